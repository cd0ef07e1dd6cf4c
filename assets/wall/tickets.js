/* GridCommand wall: the open service tickets (投诉, 举报, 咨询, 业务) by 催办 level, from the server's KPIs: one
   coloured count per level, level 0 first, redrawn only when the counts change. */
(function () {
  "use strict";
  const G = window.gridcmd = window.gridcmd || {};
  const NO = () => window.dash_clientside.no_update;
  let drawn = null;

  function tile() {
    const st = G.state;
    if (!st || st.seq === null) return NO();
    const levels = (st.kpi && st.kpi.tickets_by_level) || null;
    const key = levels ? levels.join(",") : "";
    if (key === drawn) return NO();
    drawn = key;
    if (!levels) return "–";
    return levels.map((n, level) => G.el("span", {className: `tl tl-${Math.min(level, 4)}` + (n ? "" : " tl-zero"),
      title: level ? G.tr("warn." + level) : G.tr("console.in_time")}, String(n)));
  }

  window.dash_clientside = Object.assign({}, window.dash_clientside);
  window.dash_clientside.wall_tickets = {tile};
})();
