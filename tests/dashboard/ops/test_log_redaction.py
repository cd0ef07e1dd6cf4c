"""No token or password reaches a log line: the filter, and a real server's log after the requests that carry them."""
import logging

import pytest
import requests
import socketio

from dashboard.ops.log_redaction import RedactSecrets, redact
from tests.conftest import TYPED


@pytest.mark.parametrize("line, secret", [
    ('127.0.0.1 - - "GET /kiosk?token=Abc-123_x HTTP/1.1" 302 -', "Abc-123_x"),
    ('"GET /kiosk?lang=en&token=Abc.123 HTTP/1.1"', "Abc.123"),
    ("Authorization: Bearer s3cr3t-TOKEN.value", "s3cr3t-TOKEN.value"),
    ("user=li&password=hunter2-hunter2&csrf_token=qwe", "hunter2-hunter2"),
    ('{"token": "xyz-secret", "user": "li"}', "xyz-secret"),
    ("GRIDCMD_API_TOKENS=tok1:ingest", "tok1:ingest"),
])
def test_redact(line, secret):
    cleaned = redact(line)
    assert secret not in cleaned and "[redacted]" in cleaned


def test_the_filter_rewrites_the_formatted_message():
    record = logging.LogRecord("werkzeug", logging.INFO, __file__, 1, '"%s %s" %s', ("GET", "/kiosk?token=abc", 302),
                               None)
    RedactSecrets().filter(record)
    assert record.getMessage() == '"GET /kiosk?token=[redacted]" 302'


@pytest.mark.multiprocess
def test_a_real_servers_log_holds_no_secret(tmp_path, sqlite_template):
    import shutil

    from tests.support.processes import ServerProcess
    from tests.support.servers import free_port
    db = tmp_path / "db.sqlite"
    shutil.copy(sqlite_template, db)
    viewer, ingest = "viewer-SECRET-tok-1", "ingest-SECRET-tok-2"
    log = tmp_path / "server.log"
    server = ServerProcess(free_port(), {"GRIDCMD_DATABASE_URL": f"sqlite:///{db}", "GRIDCMD_REDIS_URL": "",
                                         "GRIDCMD_DEMO": "1", "GRIDCMD_DEMO_HISTORY_DAYS": "0",
                                         "GRIDCMD_API_TOKENS": f"{viewer}:viewer,{ingest}:ingest"}, log).start()
    try:
        url = server.url
        browser = requests.Session()
        assert browser.get(f"{url}/kiosk?token={viewer}", allow_redirects=False, headers=TYPED).status_code == 302
        requests.get(f"{url}/kiosk?token=guessed-SECRET-3", allow_redirects=False, headers=TYPED)
        page = requests.Session()
        token = page.get(f"{url}/login").text.split('name="csrf_token" value="')[1].split('"')[0]
        for password in ("wrong-SECRET-pw", "dispatch-demo"):
            page.post(f"{url}/login", data={"user": "dispatch", "password": password, "csrf_token": token},
                      headers={"Origin": url}, allow_redirects=False)
        requests.get(f"{url}/api/v1/snapshot", headers={"Authorization": f"Bearer {ingest}"})
        requests.get(f"{url}/api/v1/snapshot?token={ingest}")
        sio = socketio.Client()
        sio.connect(url, namespaces=["/live"], auth={"token": viewer}, transports=["polling"])
        sio.disconnect()
    finally:
        server.stop()
    text = log.read_text()
    assert "GET /kiosk?token=[redacted]" in text  # the access log is on, and it was cleaned
    for secret in (viewer, ingest, "guessed-SECRET-3", "wrong-SECRET-pw", "dispatch-demo", "demo-ingest-token",
                   "wall-demo", token):
        assert secret not in text, secret


@pytest.mark.parametrize("line, secret", [
    ('"GET /kiosk?tok%65n=Abc123secret HTTP/1.1"', "Abc123secret"),
    ("Authorization: Basic dXNlcjpwYXNz", "dXNlcjpwYXNz"),
    ('{"password": "has \\"quotes\\" inside"}', "quotes"),
    ("{'password': 'from-a-repr'}", "from-a-repr"),
])
def test_redact_more_shapes(line, secret):
    assert secret not in redact(line)


def test_tracebacks_are_cleaned(caplog):
    from dashboard.ops import log_redaction
    log_redaction.install()
    logger = logging.getLogger("gridcommand.test")
    with caplog.at_level(logging.ERROR):
        try:
            raise ValueError("token=in-the-exception-SECRET")
        except ValueError:
            logger.exception("failed with password=%s", "in-the-args-SECRET")
    text = caplog.text
    assert "SECRET" not in text and "[redacted]" in text
