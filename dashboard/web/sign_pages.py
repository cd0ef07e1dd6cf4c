"""The HTML of the pages outside the app (login, sign-out, a message, 403/404): plain, escaped, no script."""
from __future__ import annotations

from html import escape
from urllib.parse import urlparse

from flask import session

from dashboard.i18n import LANGS, t
from dashboard.web.form_token import form_token


def lang() -> str:
    value = session.get("lang", "zh")
    return value if value in LANGS else "zh"


def safe_next(target: str | None) -> str:
    """Only same-site paths (never bounce a signed-in person to another host), and nothing that could break the
    Location header (control characters)."""
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target \
            or any(ord(ch) < 0x20 or ord(ch) == 0x7F for ch in target) or urlparse(target).netloc:
        return "/"
    return target


def _shell(code: str, title: str, body: str) -> str:
    return f"""<!doctype html><html lang="{'zh-CN' if code == 'zh' else 'en'}"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{escape(t("wall.title", code))} · {escape(title)}</title>
<link rel="stylesheet" href="/assets/login.css"></head><body class="login">{body}</body></html>"""


def login_page(code: str, error: str | None, next_url: str, demo: bool) -> str:
    err = f'<p class="login-error">{escape(error)}</p>' if error else ""
    hint = f'<p class="login-hint">{escape(t("login.demo", code))}</p>' if demo else ""
    other = "en" if code == "zh" else "zh"
    return _shell(code, t("login.title", code), f"""<form method="post" action="/login" class="login-box">
<h1>{escape(t("wall.title", code))}</h1>{err}
<label>{escape(t("login.user", code))}<input name="user" autocomplete="username" required autofocus></label>
<label>{escape(t("login.password", code))}<input name="password" type="password" autocomplete="current-password"
 required></label><input type="hidden" name="next" value="{escape(next_url)}">
<input type="hidden" name="csrf_token" value="{escape(form_token())}">
<button type="submit">{escape(t("login.submit", code))}</button>{hint}
<a class="login-lang" href="/lang/{other}?next=/login">{'English' if other == 'en' else '中文'}</a>
</form>""")


def logout_page(code: str, error: str | None = None) -> str:
    err = f'<p class="login-error">{escape(error)}</p>' if error else ""
    return _shell(code, t("logout.title", code), f"""<form method="post" action="/logout" class="login-box">
<h1>{escape(t("logout.title", code))}</h1>{err}<p>{escape(t("logout.question", code))}</p>
<input type="hidden" name="csrf_token" value="{escape(form_token())}">
<button type="submit">{escape(t("logout.submit", code))}</button>
<a class="login-lang" href="/">{escape(t("logout.cancel", code))}</a></form>""")


def message_page(code: str, text: str) -> str:
    return _shell(code, t("login.title", code), f'<div class="login-box"><p class="login-error">{escape(text)}</p>'
                                               f'<a class="login-lang" href="/login">{escape(t("login.title", code))}'
                                               '</a></div>')


def status_page(code: str, text: str, links: list[tuple[str, str]]) -> str:
    """A refusal or a miss (403, 404) that says so and offers the pages this person may open instead."""
    items = "".join(f'<a class="login-link" href="{escape(href)}">{escape(label)}</a>' for href, label in links)
    return _shell(code, text, f'<div class="login-box"><h1>{escape(t("wall.title", code))}</h1>'
                              f'<p class="login-error">{escape(text)}</p>{items}</div>')
