"""The executive page's KPI tiles: where each figure comes from, its commitment, and which way is better.
The browser draws them (assets/executive/tiles.js) from these values: it keeps no copy of a rule."""
from __future__ import annotations

from dataclasses import asdict, dataclass

from dash import html

from dashboard.domain import (CALLBACK_COMPLETION_TARGET, COMPLAINT_CONTACT_TARGET, ON_TIME_TARGET,
                              SERVICE_LEVEL_TARGET)
from dashboard.i18n import t


@dataclass(frozen=True)
class Tile:
    key: str
    live: str | None  # the live KPIs' key (GET /kpis, the `kpi` push), preferred while it is there
    period: tuple[str, str] | None  # (section, key) of period_kpis: today's value when the live KPIs lack it
    fmt: str  # "pct" (0..1), "min", "int", "pct4" (ASAI: four decimals, 99.9999 %, so a small gap shows)
    better: str  # "higher" | "lower" | "none": the arrow's colour
    target: float | None  # the commitment the value is coloured against; None: there is none to meet
    target_text: str | None = None  # i18n key of a commitment that is not one number (arrival limits)
    trend: bool = True  # an arrow against the same hours last week (a state "now" has no last week to match)


TILES: tuple[Tile, ...] = (
    Tile("on_time_arrival", "on_time_arrival_rate", ("orders", "on_time_arrival_rate"), "pct", "higher",
         ON_TIME_TARGET),
    Tile("avg_arrival", "avg_arrival_min", ("orders", "avg_arrival_min"), "min", "lower", None,
         "exec.target.avg_arrival"),
    Tile("on_time_restoration", "on_time_restoration_rate", ("orders", "on_time_restoration_rate"), "pct",
         "higher", ON_TIME_TARGET),
    Tile("customers_out", "customers_out", ("outages", "customers_out_now"), "int", "lower", None, trend=False),
    Tile("service_level", "service_level", ("calls", "service_level"), "pct", "higher", SERVICE_LEVEL_TARGET),
    Tile("abandon_rate", "abandon_rate", ("calls", "abandon_rate"), "pct", "lower", None),
    Tile("complaint_contact", "complaint_contact_rate", ("service", "complaint_contact_rate"), "pct", "higher",
         COMPLAINT_CONTACT_TARGET),
    Tile("callback_completion", "callback_completion", ("service", "callback_completion"), "pct", "higher",
         CALLBACK_COMPLETION_TARGET),
    Tile("satisfaction", "satisfaction_rate", ("service", "satisfaction_rate"), "pct", "higher", None),
    Tile("asai", None, None, "pct4", "higher", None, trend=False),  # the reliability panel's period; its target comes with it
)


def target_label(x: Tile, lang: str, arrival_limits_min: dict[str, float]) -> str:
    """The commitment as the tile says it: "≥ 95%", the arrival limits by area class, or that there is none."""
    if x.target_text:
        return t(x.target_text, lang).format(**{k: f"{v:g}" for k, v in arrival_limits_min.items()})
    if x.target is None:
        return t("exec.target.none", lang) if x.key != "asai" else ""
    return f"{t('exec.target', lang)} ≥ {100 * x.target:g}%"


def config(lang: str, arrival_limits_min: dict[str, float]) -> list[dict]:
    """The tiles as the browser draws them (assets/executive/tiles.js)."""
    return [asdict(x) | {"target_label": target_label(x, lang, arrival_limits_min)} for x in TILES]


def rule_values(config) -> dict[str, str]:
    """The configured thresholds the tiles' names and definitions quote (GRIDCMD_SL_TARGET_S, GRIDCMD_SHORT_ABANDON_S,
    the arrival and restoration limits): {target_s, short_s, arrival_urban…, restore_urban…}, restoration in hours."""
    return ({"target_s": f"{config.sl_target_s:g}", "short_s": f"{config.short_abandon_s:g}"}
            | {f"arrival_{a}": f"{m:g}" for a, m in config.arrival_limits_min}
            | {f"restore_{a}": f"{m / 60:g}" for a, m in config.restore_limits_min})


def tile(x: Tile, lang: str, values: dict[str, str]) -> html.Div:
    """One tile: its name (the definition on hover), the value, the trend arrow, the commitment; the browser fills
    the value, arrow and commitment's colour. `values`: rule_values, quoted by the name and the definition."""
    return html.Div([
        html.Div(t(f"exec.kpi.{x.key}", lang).format(**values), className="exec-tile-label"),
        html.Div(html.Div("–", className="exec-tile-value"), className="exec-tile-body", id=f"exec-tile-{x.key}"),
    ], className="exec-tile", title=t(f"exec.def.{x.key}", lang).format(**values), id=f"exec-box-{x.key}")
