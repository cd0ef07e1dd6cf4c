"""A panel for a page (the executive page): download the day's report or the month's assessment, and who is on
duty now. Plain GET forms: the browser downloads the file with the person's sign-in, no callback needed."""
from __future__ import annotations

from datetime import date

from dash import dcc, html

from dashboard.i18n import t

REPORT_ID = "reports-panel"


def panel(lang: str, today: date, on_duty: dict) -> html.Section:
    """`on_duty` is roster.on_duty(session, now)."""
    # An uncontrolled <select> (no value prop): the browser submits what was picked, XLSX first.
    fmt = lambda: html.Select([html.Option("XLSX", value="xlsx"), html.Option("CSV", value="csv")],  # noqa: E731
                              name="format", className="report-format")
    chief = ", ".join(s["person"] for s in on_duty["duty_chief"]) or "–"
    counts = on_duty["counts"]
    return html.Section([
        html.H2(t("reports.title", lang), className="panel-title"),
        html.Form([
            html.Label(t("reports.daily", lang)),
            dcc.Input(type="text", name="date", value=today.isoformat(), maxLength=10, pattern=r"\d{4}-\d{2}-\d{2}",
                      className="report-date desk-input"),
            fmt(),
            html.Button(t("reports.download", lang), type="submit", className="go-button"),
        ], action="/api/v1/reports/daily", method="GET", className="report-form", id="report-daily-form"),
        html.Form([
            html.Label(t("reports.assessment", lang)),
            dcc.Input(type="text", name="month", value=f"{today:%Y-%m}", maxLength=7, pattern=r"\d{4}-\d{2}",
                      className="report-month desk-input"),
            fmt(),
            html.Button(t("reports.download", lang), type="submit", className="go-button"),
        ], action="/api/v1/reports/assessment", method="GET", className="report-form",
            id="report-assessment-form"),
        html.Div([
            html.Span(f"{t('wall.duty.chief', lang)} {chief}"),
            html.Span(f" · {t('wall.duty.dispatchers', lang)} {counts['dispatcher']}"),
            html.Span(f" · {t('wall.duty.seats', lang)} {counts['seat']}"),
            html.Span(f" · {t('wall.duty.crews', lang)} {counts['crew']}"),
        ], className="report-duty", id="report-duty"),
    ], className="panel reports-panel", id=REPORT_ID)
