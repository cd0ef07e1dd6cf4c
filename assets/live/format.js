/* GridCommand, every live page: formatting in the center's time zone and language, Dash elements, plain text. */
(function () {
  "use strict";
  const G = window.gridcmd = window.gridcmd || {};
  const cfg = () => G.config || {};
  G.tz = () => cfg().tz || "Asia/Shanghai";
  G.lang = () => cfg().lang || "zh";
  G.tr = (key, fallback) => (cfg().i18n || {})[key] || fallback || key;
  G.fmt = (date, opts) => new Intl.DateTimeFormat(G.lang() === "en" ? "en-GB" : "zh-CN",
    Object.assign({timeZone: G.tz(), hour12: false}, opts)).format(date);
  G.hms = d => G.fmt(d, {hour: "2-digit", minute: "2-digit", second: "2-digit"});
  G.hm = iso => (iso ? G.fmt(new Date(iso), {hour: "2-digit", minute: "2-digit"}) : "–");
  G.pct = x => (x === null || x === undefined ? "–" : (100 * x).toFixed(1) + "%");
  G.dur = s => { s = Math.max(0, Math.round(s)); const m = Math.floor(s / 60); return m ? `${m}:${String(s % 60).padStart(2, "0")}` : `${s}s`; };
  // Minutes left to the limit running now (negative: late by), from the due time the server keeps on the order.
  // The wall's "now": the replay's clock on a replay wall (assets/live/replay.js), the real one everywhere else.
  G.now = () => (cfg().replay && G.replay ? G.replay.now() : Date.now());
  G.minutesLeft = o => (o && o.due_at ? (Date.parse(o.due_at) - G.now()) / 60000 : null);
  // A Dash component description, so clientside callbacks can return real elements.
  G.el = (type, props, children) => ({type: type.charAt(0).toUpperCase() + type.slice(1), namespace: "dash_html_components",
                                       props: Object.assign({children}, props || {})});
  // Plotly renders a subset of HTML in hover text (<b>, <span style>, <a href>, ...): what clients wrote
  // (addresses, crew names, grid names) is shown as text, never as markup. Plotly turns the entities back.
  G.plain = v => String(v === null || v === undefined ? "" : v)
    .replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
})();
