/* GridCommand wall: who is on duty now (值班), from the server's KPIs — "值班长 NAME · 调度 n · 座席 n · 抢修队 n" —
   redrawn only when it changes. */
(function () {
  "use strict";
  const G = window.gridcmd = window.gridcmd || {};
  const NO = () => window.dash_clientside.no_update;
  let drawn = null;

  function line() {
    const st = G.state;
    if (!st || st.seq === null) return NO();
    const d = (st.kpi && st.kpi.on_duty) || null;
    const key = d ? [d.duty_chief, d.dispatchers, d.seats, d.crews, G.lang()].join("|") : "";
    if (key === drawn) return NO();
    drawn = key;
    if (!d) return "";
    if (!d.duty_chief && !d.dispatchers && !d.seats && !d.crews) return G.tr("wall.duty.none");
    return [
      G.tr("wall.duty.chief") + " ", G.el("b", {}, d.duty_chief || "–"),
      ` · ${G.tr("wall.duty.dispatchers")} `, G.el("b", {}, String(d.dispatchers)),
      ` · ${G.tr("wall.duty.seats")} `, G.el("b", {}, String(d.seats)),
      ` · ${G.tr("wall.duty.crews")} `, G.el("b", {}, String(d.crews)),
    ];
  }

  window.dash_clientside = Object.assign({}, window.dash_clientside);
  window.dash_clientside.wall_duty = {line};
})();
