"""The HTML of the public outage notices (/outages): the public feed as a page, escaped, no script, phone first."""
from __future__ import annotations

from collections import defaultdict
from datetime import datetime
from html import escape
from typing import Any
from zoneinfo import ZoneInfo

from dashboard.i18n import t

REFRESH_S = 60  # the page reloads itself (a meta refresh: no script to allow or to break)
STYLESHEET = "/assets/public/outages.css"


def local_time(value: str | None, tz: str, code: str, seconds: bool = False) -> str:
    """An ISO time as people in the center's zone read it, with the date (planned outages are days ahead)."""
    if not value:
        return ""
    local = datetime.fromisoformat(value.replace("Z", "+00:00")).astimezone(ZoneInfo(tz))
    clock = local.strftime("%H:%M:%S" if seconds else "%H:%M")
    return f"{local.month}月{local.day}日 {clock}" if code == "zh" else f"{local.strftime('%d %b')} {clock}"


def zone_label(tz: str, at: str) -> str:
    """The zone as an offset people know: UTC+8."""
    offset = datetime.fromisoformat(at.replace("Z", "+00:00")).astimezone(ZoneInfo(tz)).utcoffset()
    minutes = int(offset.total_seconds() // 60) if offset is not None else 0
    sign, minutes = ("+" if minutes >= 0 else "-"), abs(minutes)
    return f"UTC{sign}{minutes // 60}" + (f":{minutes % 60:02d}" if minutes % 60 else "")


def _number(n: int) -> str:
    return f"{n:,}"


def _area(outage: dict[str, Any], code: str) -> str:
    names = ("、" if code == "zh" else ", ").join(outage["areas"])
    more = t("public.more_areas", code).format(n=outage["areas_more"]) if outage["areas_more"] else ""
    return escape(" ".join(p for p in (names, more) if p) or "–")


def _outage(outage: dict[str, Any], tz: str, code: str) -> str:
    planned = outage["kind"] == "planned"
    start_label = t("public.starts" if outage["status"] == "scheduled" else "public.start", code)
    etr_label = t("public.planned_end" if planned else "public.etr", code)
    etr = local_time(outage["etr"], tz, code) or t("public.etr_unknown", code)
    kind = t("outage.planned" if planned else "outage.unplanned", code)
    rows = [(start_label, escape(local_time(outage["start"], tz, code))),
            (etr_label, escape(etr)),
            (t("public.customers", code), escape(t("public.customers_n", code)
                                                 .format(n=_number(outage["customers_affected"])))),
            (t("public.cause", code), escape(outage["cause_text"]["en" if code == "en" else "zh"]))]
    items = "".join(f'<div class="pub-row"><dt>{escape(label)}</dt><dd>{value}</dd></div>' for label, value in rows)
    return (f'<article class="pub-outage pub-{escape(outage["kind"])}" data-id="{escape(outage["id"])}">'
            f'<h4><span class="pub-kind">{escape(kind)}</span><span class="pub-area" title="{escape(t("public.area", code))}">'
            f'{_area(outage, code)}</span></h4><dl>{items}</dl></article>')


def _by_district(outages: list[dict[str, Any]], tz: str, code: str) -> str:
    groups: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for outage in outages:
        groups[outage["district"] or ""].append(outage)
    out = []
    for district in sorted(groups, key=lambda d: (d == "", d)):
        items = groups[district]
        total = t("public.district_total", code).format(
            n=len(items), customers=_number(sum(o["customers_affected"] for o in items)))
        name = district or t("public.other_areas", code)
        out.append(f'<section class="pub-district"><h3>{escape(name)}<small>{escape(total)}</small></h3>'
                   + "".join(_outage(o, tz, code) for o in items) + "</section>")
    return "".join(out)


def _section(title: str, empty: str, outages: list[dict[str, Any]], tz: str, code: str, css: str) -> str:
    body = _by_district(outages, tz, code) if outages else f'<p class="pub-none">{escape(empty)}</p>'
    return f'<section class="pub-section {css}"><h2>{escape(title)}</h2>{body}</section>'


def notice_page(feed: dict[str, Any], code: str, tz: str, center: str) -> str:
    """The whole page, in `code` ("zh" or "en"): outages now, then planned ones, each grouped by district."""
    other = "en" if code == "zh" else "zh"
    days = f"{feed['upcoming_days']:g}"
    current, upcoming = feed["current"], feed["upcoming"]
    summary = t("public.summary", code).format(
        n=len(current), customers=_number(sum(o["customers_affected"] for o in current)), planned=len(upcoming))
    updated = t("public.updated", code).format(time=local_time(feed["generated_at"], tz, code, seconds=True),
                                               zone=zone_label(tz, feed["generated_at"]))
    title = t("public.title", code)
    return f"""<!doctype html><html lang="{'zh-CN' if code == 'zh' else 'en'}"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="refresh" content="{REFRESH_S}"><link rel="icon" href="data:,">
<title>{escape(title)} · {escape(center)}</title>
<link rel="stylesheet" href="{STYLESHEET}"></head>
<body class="pub"><header class="pub-head"><div class="pub-top"><h1>{escape(title)}</h1>
<a class="pub-lang" href="/outages?lang={other}" lang="{'en' if other == 'en' else 'zh-CN'}">{escape(t("public.other_lang", code))}</a>
</div><p class="pub-center">{escape(center)}</p>
<p class="pub-summary" id="pub-summary">{escape(summary)}</p>
<p class="pub-updated" id="pub-updated">{escape(updated)}</p></header>
<main>{_section(t("public.current", code), t("public.none_current", code), current, tz, code, "pub-now")}
{_section(t("public.upcoming", code).format(days=days), t("public.none_upcoming", code), upcoming, tz, code,
          "pub-coming")}</main>
<footer class="pub-foot">{escape(t("public.hotline", code))}</footer></body></html>"""


def throttled_page(code: str, seconds: int) -> str:
    """A 429's page: plain, saying how long to wait."""
    title = t("public.title", code)
    return f"""<!doctype html><html lang="{'zh-CN' if code == 'zh' else 'en'}"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1"><link rel="icon" href="data:,">
<title>{escape(title)}</title>
<link rel="stylesheet" href="{STYLESHEET}"></head><body class="pub"><header class="pub-head"><h1>{escape(title)}</h1>
<p class="pub-summary">{escape(t("public.throttled", code).format(seconds=seconds))}</p></header></body></html>"""
