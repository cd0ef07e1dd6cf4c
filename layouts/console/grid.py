"""The console's order list: an AG Grid fed a page at a time by the server, most urgent first."""
from __future__ import annotations

import dash_ag_grid as dag

from dashboard.i18n import t
from layouts import ids

PAGE_ROWS = 100  # rows per request: a storm's 10,000 open orders are never loaded at once


def columns(lang: str) -> list[dict]:
    """The list's columns; cells that need a rule's value or the browser's clock are formatted by functions in
    assets/console/grid.js (the grid evaluates them without eval)."""
    def col(field: str, key: str, width: int, **extra) -> dict:
        return {"field": field, "headerName": t(key, lang), "width": width, "sortable": False, **extra}
    return [
        col("id", "console.col.id", 90),
        col("status", "console.col.status", 90, valueFormatter={"function": "orderStatus(params)"}),
        col("level", "console.col.level", 96, valueFormatter={"function": "orderLevel(params)"},
            cellClass={"function": "levelClass(params)"}),
        col("due_at", "console.col.left", 104, colId="left", valueFormatter={"function": "timeLeft(params)"},
            cellClass={"function": "leftClass(params)"}),
        col("district", "console.col.district", 110),
        col("grid_id", "console.col.grid", 120),
        col("category", "console.col.category", 100, valueFormatter={"function": "orderCategory(params)"}),
        col("customers_affected", "console.col.customers", 84),
        col("sensitive", "console.col.sensitive", 64, valueFormatter={"function": "sensitiveMark(params)"}),
        col("report_count", "console.col.reports", 72),
        col("crew_id", "console.col.crew", 110),
        col("address", "console.col.address", 260, flex=1),
    ]


def order_grid(lang: str) -> dag.AgGrid:
    return dag.AgGrid(
        id=ids.GRID, rowModelType="infinite", columnDefs=columns(lang), getRowId="params.data.id",
        dashGridOptions={"rowSelection": {"mode": "singleRow", "checkboxes": False, "enableClickSelection": True},
                         "cacheBlockSize": PAGE_ROWS, "maxBlocksInCache": 40, "infiniteInitialRowCount": PAGE_ROWS,
                         "rowBuffer": 20, "animateRows": False, "rowHeight": 34, "headerHeight": 36,
                         "localeText": {"loadingOoo": t("console.loading", lang), "noRowsToShow": "–"}},
        className="console-grid", style={"height": "100%", "width": "100%"})
