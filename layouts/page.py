"""The HTML document around the app; on a live page its head starts the snapshot, outline and plotly.js requests."""
from __future__ import annotations

import json
from collections.abc import Callable

from dashboard.web.pages import PageTable

# Left to Dash, the map's plotly.js (4.8 MB, seconds to compile on a wall PC) is only requested once the layout has
# come and rendered, and the snapshot (a second of server work in a storm) once our scripts run. On a live page all
# start as the page opens; assets/live/state.js and assets/live/map.js take the requests over.
PLOTLY_URL = "/_dash-component-suites/plotly/package_data/plotly.min.js"


def early_script(pages: PageTable) -> str:
    """The head's one inline script (its hash is in the Content-Security-Policy): what each page prefetches."""
    prefetch = {p.path: p.prefetch for p in pages if p.prefetch}
    return f"""
(() => {{
  const want = {json.dumps(prefetch, sort_keys=True)}[location.pathname];
  if (!want) return;
  const opts = {{credentials: "same-origin", cache: "no-store"}};
  if (want.snapshot) window.gridcmdFirstSnapshot = {{url: want.snapshot, answer: fetch(want.snapshot, opts)}};
  if (want.grids) window.gridcmdGrids = fetch("/api/v1/grids", {{credentials: "same-origin"}});
  if (!want.plotly) return;
  const load = () => new Promise((resolve, reject) => {{
    const s = document.createElement("script");
    s.src = {json.dumps(PLOTLY_URL)}; s.async = true; s.onload = resolve; s.onerror = reject;
    document.head.appendChild(s);
  }});
  const plotly = load().catch(load);
  // dcc.Graph uses window.Plotly when set, through Promise.resolve(): a thenable makes it wait for this load
  // instead of starting its own. plotly.min.js replaces it with the real Plotly when it runs.
  window.Plotly = {{then: (ok, fail) => plotly.then(ok, fail)}};
}})();
"""


def index(pages: PageTable) -> str:
    return f"""<!DOCTYPE html>
<html lang="zh-CN">
    <head>
        {{%metas%}}
        <title>{{%title%}}</title>
        {{%favicon%}}
        <script>{early_script(pages)}</script>
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


def in_language(interpolate: Callable[..., str], lang: Callable[[], str]) -> Callable[..., str]:
    """Dash's page builder, with `<html lang>` naming the reader's language (screen readers and the browser's
    hyphenation and font choice follow it)."""
    def page(**kwargs) -> str:
        code = "en" if lang() == "en" else "zh-CN"
        return interpolate(**kwargs).replace('<html lang="zh-CN">', f'<html lang="{code}">', 1)
    return page
