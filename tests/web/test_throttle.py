"""Sign-in throttling per user and per address (429 with Retry-After), no timing oracle, failures in the log;
with Redis the count is shared by every server process."""
import logging

import pytest
import requests

from dashboard.services import accounts
from tests.conftest import TYPED, add_person, post_login


def _from(app, address: str):
    client = app.server.test_client()
    client.environ_base["REMOTE_ADDR"] = address
    return client


def test_wrong_passwords_for_one_user_from_one_address_are_throttled(app, services):
    name = add_person(services, "dispatcher")
    guesser = _from(app, "10.0.0.1")
    answers = [post_login(guesser, name, f"guess-{i}").status_code for i in range(12)]
    assert answers[:10] == [401] * 10 and answers[10:] == [429, 429]
    r = post_login(guesser, name, "correct-horse-9")  # even the right password waits now, from there
    assert r.status_code == 429 and 0 < int(r.headers["Retry-After"]) <= 15 * 60 + 1
    assert "尝试次数过多" in r.data.decode()
    # The person at their own desk is not locked out by someone guessing elsewhere.
    assert post_login(_from(app, "10.0.0.99"), name, "correct-horse-9").status_code == 302


def test_one_name_guessed_from_many_addresses_is_throttled(app, services):
    name = add_person(services, "dispatcher")
    answers = [post_login(_from(app, f"10.5.{i // 200}.{i % 200}"), name, f"guess-{i}").status_code
               for i in range(51)]
    assert answers[:50] == [401] * 50 and answers[50] == 429


def test_a_burst_of_parallel_guesses_is_counted_before_it_is_answered(app, services):
    from concurrent.futures import ThreadPoolExecutor
    name = add_person(services, "dispatcher")

    def guess(i: int) -> int:
        return post_login(_from(app, "10.7.7.7"), name, f"guess-{i}").status_code

    with ThreadPoolExecutor(max_workers=20) as pool:
        answers = list(pool.map(guess, range(40)))
    assert answers.count(401) == 10 and answers.count(429) == 30


def test_only_the_refused_answer_says_retry_after(app, services):
    name = add_person(services, "dispatcher")
    client = _from(app, "10.8.8.8")
    assert "Retry-After" not in post_login(client, name, "wrong-one").headers
    assert "Retry-After" not in post_login(client, name, "correct-horse-9").headers


def test_one_address_guessing_many_users_is_throttled(app, services):
    names = [add_person(services, "viewer") for _ in range(5)]  # 6 guesses each: under the per-user limit
    attacker = _from(app, "10.9.9.9")
    answers = [post_login(attacker, names[i % 5], f"guess-{i}").status_code for i in range(31)]
    assert answers[:30] == [401] * 30 and answers[30] == 429
    assert post_login(_from(app, "10.9.9.10"), names[0], "correct-horse-9").status_code == 302


def test_successful_sign_ins_do_not_count(app, services):
    name = add_person(services, "dispatcher")
    for _ in range(15):
        client = _from(app, "10.1.1.1")
        assert post_login(client, name, "correct-horse-9").status_code == 302


def test_kiosk_token_guessing_is_throttled(app):
    client = _from(app, "10.2.2.2")
    answers = [client.get(f"/kiosk?token=guess-{i}", headers=TYPED).status_code for i in range(31)]
    assert answers[-1] == 429 and answers[:30] == [401] * 30


def test_unknown_and_known_users_cost_the_same(app, services, monkeypatch):
    """No timing oracle: the same hash work whoever is asked about, and no hash made while answering."""
    name = add_person(services, "dispatcher")
    post_login(_from(app, "10.3.3.1"), "someone-else", "x")  # the decoy hash is made once, on first use
    checks, made = [], []
    real_check = accounts.check_password_hash
    monkeypatch.setattr(accounts, "check_password_hash", lambda h, p: checks.append(h.split("$")[0]) or
                        real_check(h, p))
    monkeypatch.setattr(accounts, "generate_password_hash", lambda *a, **k: made.append(1))
    for user in (name, "nobody-by-this-name", name):
        checks.clear()
        assert post_login(_from(app, "10.3.3.2"), user, "wrong-password").status_code == 401
        assert len(checks) == 1
        methods = set(checks)
    assert made == [] and len(methods) == 1


def test_failed_sign_ins_are_logged_without_the_password(app, services, caplog):
    name = add_person(services, "dispatcher")
    with caplog.at_level(logging.INFO):
        post_login(_from(app, "10.4.4.4"), name, "Secret-Guess-123")
        post_login(_from(app, "10.4.4.4"), name + "\nforged line", "x")
    lines = [r.getMessage() for r in caplog.records]
    assert any("sign-in failed" in line and name in line and "10.4.4.4" in line for line in lines)
    assert not any("Secret-Guess-123" in line for line in lines)
    assert not any("\nforged line" in line for line in lines)  # names are quoted: no fake log lines


@pytest.mark.multiprocess
def test_with_redis_the_limit_holds_across_server_processes(tmp_path, redis_server, sqlite_template):
    import shutil

    from tests.support.processes import ServerProcess
    from tests.support.servers import free_port
    db = tmp_path / "shared.db"
    shutil.copy(sqlite_template, db)
    env = {"GRIDCMD_DATABASE_URL": f"sqlite:///{db}", "GRIDCMD_REDIS_URL": redis_server.url,
           "GRIDCMD_SECRET_KEY": "k", "GRIDCMD_DEMO": "1", "GRIDCMD_DEMO_HISTORY_DAYS": "0"}
    servers = [ServerProcess(free_port(), env, tmp_path / f"s{i}.log").start() for i in range(2)]
    try:
        statuses = []
        for i in range(12):
            server = servers[i % 2]
            session = requests.Session()
            page = session.get(f"{server.url}/login").text
            token = page.split('name="csrf_token" value="')[1].split('"')[0]
            r = session.post(f"{server.url}/login", data={"user": "dispatch", "password": f"wrong-{i}",
                                                          "csrf_token": token},
                             headers={"Origin": server.url}, allow_redirects=False)
            statuses.append(r.status_code)
        assert statuses[:10] == [401] * 10 and statuses[10:] == [429, 429]
    finally:
        for server in servers:
            server.stop()
