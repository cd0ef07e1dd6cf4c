"""Security headers on every kind of answer; the Server header names no versions (checked on a real server)."""
import pytest
import requests

from tests.conftest import auth, sign_in

EXPECTED = {"X-Content-Type-Options": "nosniff", "X-Frame-Options": "DENY", "Referrer-Policy": "same-origin"}


def _check(response) -> dict:
    for name, value in EXPECTED.items():
        assert response.headers.get(name) == value, (name, response.headers)
    csp = dict(part.strip().split(" ", 1) for part in response.headers["Content-Security-Policy"].split(";"))
    assert csp["frame-ancestors"] == "'none'" and csp["default-src"] == "'self'"
    assert "'unsafe-inline'" not in csp["script-src"] and "'unsafe-eval'" not in csp["script-src"]
    assert "http" not in response.headers["Content-Security-Policy"]  # nothing off this machine
    return csp


@pytest.mark.parametrize("path, headers", [
    ("/login", {}), ("/assets/wall.css", {}), ("/api/v1/snapshot", auth("viewer")), ("/api/v1/nothing", {}),
    ("/api/v1/healthz", {}), ("/", {}), ("/_dash-layout", {}), ("/socket.io/?EIO=4&transport=polling", {}),
    ("/api/v1/workorders/1", auth("viewer")),
])
def test_every_answer_carries_the_headers(client, path, headers):
    _check(client.get(path, headers=headers))


def test_the_wall_page_lists_the_hashes_of_its_inline_scripts(app, client, services):
    import base64
    import hashlib
    import re
    sign_in(client, services, "viewer")
    page = client.get("/wall")
    csp = _check(page)
    inline = re.findall(r"<script>(.*?)</script>", page.data.decode(), re.S)
    inline += re.findall(r'<script id="_dash-renderer" type="application/javascript">(.*?)</script>',
                         page.data.decode(), re.S)
    assert inline
    for script in inline:
        digest = base64.b64encode(hashlib.sha256(script.encode()).digest()).decode()
        assert f"'sha256-{digest}'" in csp["script-src"]


def test_hsts_only_behind_tls(config):
    from app import create_app, runtime_of
    for secure in (False, True):
        app = create_app(config.with_(cookie_secure=secure))
        try:
            r = app.server.test_client().get("/login")
            assert ("Strict-Transport-Security" in r.headers) is secure
        finally:
            runtime_of(app).stop()


@pytest.mark.multiprocess
def test_a_real_server_names_no_versions(tmp_path, sqlite_template):
    import shutil

    from tests.support.processes import ServerProcess
    from tests.support.servers import free_port
    db = tmp_path / "db.sqlite"
    shutil.copy(sqlite_template, db)
    server = ServerProcess(free_port(), {"GRIDCMD_DATABASE_URL": f"sqlite:///{db}", "GRIDCMD_REDIS_URL": ""},
                           tmp_path / "server.log").start()
    try:
        for path in ("/login", "/assets/wall.css", "/api/v1/healthz", "/api/v1/nothing", "/",
                     "/socket.io/?EIO=4&transport=polling"):
            r = requests.get(server.url + path, allow_redirects=False)
            assert r.headers["Server"] == "GridCommand", (path, r.headers)
            _check(r)
    finally:
        server.stop()
