"""The HTML page around the Dash app; on the wall it starts the snapshot, grid outline and plotly.js requests first."""
from __future__ import annotations

import json

# The work-order fields the wall draws from: half the snapshot's bytes and server time in a storm.
WALL_ORDER_FIELDS = ("id", "status", "version", "grid_id", "lon", "lat", "address", "sensitive", "report_count",
                     "reported_at", "arrival_due", "arrived_at")
WALL_SNAPSHOT_URL = "/api/v1/snapshot?order_fields=" + ",".join(WALL_ORDER_FIELDS)

# Left to Dash, the map's plotly.js (4.8 MB, seconds to compile on a wall PC) is only requested once the layout
# has come and rendered, and the snapshot (a second of server work in a storm) once our scripts run. On the
# wall all three start as the page opens, with the grid outlines; wall_1_state.js and wall_2_map.js take the
# snapshot and outline requests over.
PLOTLY_URL = "/_dash-component-suites/plotly/package_data/plotly.min.js"
EARLY_SCRIPT = f"""
window.gridcmdSnapshotUrl = {json.dumps(WALL_SNAPSHOT_URL)};
if (location.pathname === "/") {{
  window.gridcmdFirstSnapshot = fetch(window.gridcmdSnapshotUrl, {{credentials: "same-origin", cache: "no-store"}});
  window.gridcmdGrids = fetch("/api/v1/grids", {{credentials: "same-origin"}});
  const load = () => new Promise((resolve, reject) => {{
    const s = document.createElement("script");
    s.src = {json.dumps(PLOTLY_URL)}; s.async = true; s.onload = resolve; s.onerror = reject;
    document.head.appendChild(s);
  }});
  const plotly = load().catch(load);
  // dcc.Graph uses window.Plotly when set, through Promise.resolve(): a thenable makes it wait for this load
  // instead of starting its own. plotly.min.js replaces it with the real Plotly when it runs.
  window.Plotly = {{then: (ok, fail) => plotly.then(ok, fail)}};
}}
"""

INDEX = f"""<!DOCTYPE html>
<html>
    <head>
        {{%metas%}}
        <title>{{%title%}}</title>
        {{%favicon%}}
        <script>{EARLY_SCRIPT}</script>
        {{%css%}}
    </head>
    <body>
        {{%app_entry%}}
        <footer>
            {{%config%}}
            {{%scripts%}}
            {{%renderer%}}
        </footer>
    </body>
</html>"""
