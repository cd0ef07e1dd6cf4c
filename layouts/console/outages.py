"""The console's outage list (停电) and the tabs above the left side: orders, outages, the screening lane, the
pending callbacks (回访)."""
from __future__ import annotations

import dash_ag_grid as dag
from dash import dcc, html

from dashboard.i18n import t
from layouts import ids

TABS = ("orders", "outages", "screening", "tickets", "callbacks")


def tab_options(lang: str, counts: dict[str, int] | None = None) -> list[dict]:
    """The tabs, each with its live count (none until the first answer)."""
    def label(key: str) -> html.Span:
        n = (counts or {}).get(key)
        return html.Span([t(f"console.tab.{key}", lang),
                          html.B("–" if n is None else str(n), className=f"tab-count tab-count-{key}")])
    return [{"label": label(k), "value": k} for k in TABS]


def tabs(lang: str) -> dcc.RadioItems:
    return dcc.RadioItems(id=ids.TAB, options=tab_options(lang), value="orders", inline=True,
                          className="console-tabs", inputClassName="tab-input", labelClassName="tab-label")


def columns(lang: str) -> list[dict]:
    """Cells that need words or the browser's clock are formatted by assets/console/outages.js. The rows come
    predicted first, then by customers out; a click on a header sorts them in the browser."""
    def col(field: str, key: str, width: int, **extra) -> dict:
        return {"field": field, "headerName": t(key, lang), "width": width, "sortable": True, **extra}
    return [
        col("status", "outage.col.status", 112, valueFormatter={"function": "outageStatus(params)"},
            cellClass={"function": "outageStatusClass(params)"}),
        col("device_id", "outage.col.device", 170, valueFormatter={"function": "outageDevice(params)"},
            tooltipField="device_name", flex=2),
        col("device_kind", "outage.col.kind", 112, valueFormatter={"function": "deviceKind(params)"}),
        col("calls", "outage.col.calls", 70),
        col("customers", "outage.col.customers", 104),
        col("care", "outage.col.care", 84, valueFormatter={"function": "careMark(params)"},
            cellClass={"function": "careClass(params)"}),
        col("etr", "outage.col.etr", 92, valueFormatter={"function": "clockTime(params)"}),
        col("crew_id", "outage.col.crew", 104),
        col("workorder_id", "outage.col.order", 72),
        col("grid", "outage.col.grid", 140, valueFormatter={"function": "outageGrid(params)"}, flex=1),
    ]


def outage_grid(lang: str) -> dag.AgGrid:
    """Rows come whole from the server (a few hundred at most), at most once a second while outages move."""
    return dag.AgGrid(
        id=ids.OGRID, rowData=[], columnDefs=columns(lang), getRowId="params.data.row_id",
        dashGridOptions={"rowSelection": {"mode": "singleRow", "checkboxes": False, "enableClickSelection": True},
                         "rowHeight": 34, "headerHeight": 36, "animateRows": False,
                         "suppressColumnVirtualisation": True,  # ten columns; the pane may open hidden
                         "getRowClass": {"function": "outageRowClass(params)"},
                         "localeText": {"noRowsToShow": t("outage.none", lang)}},
        className="console-grid outage-grid", style={"height": "100%", "width": "100%"})


def pane(lang: str) -> html.Div:
    return html.Div(html.Div(outage_grid(lang), className="console-grid-box"), id=ids.OUTAGES_PANE,
                    className="console-pane", hidden=True)
