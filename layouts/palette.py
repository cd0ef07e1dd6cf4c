"""The wall's colours, one home for the legend (Python) and the map (sent to the browser with the figure)."""
from __future__ import annotations

# Orders: cool colours by state; the warning level is a ring around the dot, warm and louder as time runs out.
ORDER_COLOURS = {"received": "#4fc3f7", "dispatched": "#b388ff", "accepted": "#b388ff", "en_route": "#fff59d",
                 "on_site": "#69f0ae"}
WARN_COLOURS = {1: "#fff176", 2: "#ffb300", 3: "#ff6d00", 4: "#ff1744"}
# Crews: a larger dot with a white ring, so they never read as orders.
CREW_COLOURS = {"available": "#00e676", "dispatched": "#40c4ff", "en_route": "#ffca28", "on_site": "#e040fb",
                "off_duty": "#78909c"}
# Predicted outages (研判, not yet certain) are drawn faint; confirmed ones solid.
OUTAGE_COLOURS = {"planned": "rgba(255,176,32,0.55)", "predicted": "rgba(255,120,150,0.25)",
                  "unplanned": "rgba(255,45,85,0.6)"}
OUTAGE_LINES = {"planned": "#ffd180", "predicted": "#ff9db2", "unplanned": "#ff5c7a"}


def palette() -> dict:
    return {"order": ORDER_COLOURS, "warn": WARN_COLOURS, "crew": CREW_COLOURS, "outage": OUTAGE_COLOURS}
