/* GridCommand executive page: the KPI tiles and the staffing panel, drawn from the live state (the `kpi` push) and
   the server's figures for today and the same hours last week. Values and commitments come from the page's config
   (layouts/executive/tiles.py); nothing here knows a rule. Redrawn only when what they show changed. */
(function () {
  "use strict";
  const G = window.gridcmd = window.gridcmd || {};
  const NO = () => window.dash_clientside.no_update;
  const el = (...a) => G.el(...a);
  const isNum = x => typeof x === "number" && isFinite(x);

  function value(tile, kpi, today, rel) {
    if (tile.key === "asai") return rel ? rel.asai : null;
    if (tile.live && kpi[tile.live] !== undefined) return kpi[tile.live];
    const part = today && tile.period && today[tile.period[0]];
    return part ? part[tile.period[1]] : null;
  }

  function baseline(tile, figures) {
    const part = figures && tile.period && figures.baseline && figures.baseline[tile.period[0]];
    return part ? part[tile.period[1]] : null;
  }

  function show(tile, x) {
    if (!isNum(x)) return "–";
    if (tile.fmt === "pct") return (100 * x).toFixed(1) + "%";
    if (tile.fmt === "pct4") return (100 * x).toFixed(4) + "%";
    if (tile.fmt === "min") return x.toFixed(1);
    return Math.round(x).toLocaleString(G.lang() === "en" ? "en-GB" : "zh-CN");
  }

  function delta(tile, d) {
    if (tile.fmt === "pct" || tile.fmt === "pct4") return `${(100 * Math.abs(d)).toFixed(1)} ${G.tr("exec.pt")}`;
    if (tile.fmt === "min") return `${Math.abs(d).toFixed(1)} ${G.tr("exec.min")}`;
    return Math.round(Math.abs(d)).toLocaleString(G.lang() === "en" ? "en-GB" : "zh-CN");
  }

  function trend(tile, x, base, rel) {
    // ASAI's second line names the reliability panel's period instead; "customers out now" has no last week.
    if (tile.key === "asai") {
      return [rel ? `${rel.district ? rel.district + " · " : ""}${rel.from} – ${rel.to_last || rel.to}` : "", "exec-flat"];
    }
    if (!tile.trend) return ["", ""];
    if (!isNum(x) || !isNum(base)) return [`${G.tr("exec.vs_last_week")} –`, ""];
    const d = x - base;
    if (Math.abs(d) < 1e-9) return [`＝ ${G.tr("exec.vs_last_week")}`, "exec-flat"];
    const good = tile.better === "none" ? null : (d > 0) === (tile.better === "higher");
    return [`${d > 0 ? "▲" : "▼"} ${delta(tile, d)} ${G.tr("exec.vs_last_week")}`,
            good === null ? "exec-flat" : good ? "exec-good" : "exec-bad"];
  }

  function state(tile, x, rel) {
    const target = tile.key === "asai" ? (rel ? rel.asai_target : null) : tile.target;
    if (!isNum(x) || !isNum(target)) return "";
    const met = tile.better === "lower" ? x <= target : x >= target;
    return met ? "exec-good" : "exec-bad";
  }

  function targetText(tile, rel) {
    if (tile.key !== "asai") return tile.target_label;
    // The commitment of a mix of urban and rural grids is customer-weighted (99.87 %): two decimals.
    return rel && isNum(rel.asai_target) ? `${G.tr("exec.target")} ≥ ${(100 * rel.asai_target).toFixed(2)}%` : "";
  }

  // The server's figures for today and last week, and the reliability period's ASAI, as they last came.
  const kept = {figures: null, rel: null, rostered: null, n: 0};
  function keep(figures, rel, rostered) {
    kept.figures = figures || null;
    kept.rel = rel || null;
    kept.rostered = rostered || null;
    return ++kept.n;
  }

  let drawn = null;
  function tiles() {
    const cfg = G.config, figures = kept.figures, rel = kept.rel;
    if (!cfg || !cfg.tiles) return NO();
    const kpi = (G.state && G.state.kpi) || {}, today = figures && figures.today;
    const out = cfg.tiles.map(tile => {
      const x = value(tile, kpi, today, rel);
      const [arrow, arrowClass] = trend(tile, x, baseline(tile, figures), rel);
      return {x, arrow, arrowClass, cls: state(tile, x, rel), target: targetText(tile, rel)};
    });
    const key = JSON.stringify(out) + G.lang();
    if (key === drawn) return cfg.tiles.map(NO);
    drawn = key;
    return out.map((o, i) => [
      el("div", {className: `exec-tile-value ${o.cls}`}, [show(cfg.tiles[i], o.x),
        cfg.tiles[i].fmt === "min" ? el("span", {className: "exec-unit"}, ` ${G.tr("exec.min")}`) : null]),
      el("div", {className: `exec-tile-trend ${o.arrowClass}`}, o.arrow),
      el("div", {className: "exec-tile-target"}, o.target)]);
  }

  let staffDrawn = null;
  function staffing() {
    const k = (G.state && G.state.kpi) || {};
    const queues = k.staffing || [];
    const perQueue = kept.rostered || {};
    const key = JSON.stringify([queues, k.seats_rostered_now, perQueue, G.lang()]);
    if (!G.config || key === staffDrawn) return NO();
    staffDrawn = key;
    const th = (text, cls) => el("th", {className: cls || ""}, text);
    const td = (text, cls) => el("td", {className: cls || ""}, text);
    const n = x => (isNum(x) ? String(x) : "–");
    const rows = queues.map(q => el("tr", {className: q.short ? "exec-short" : ""}, [
      td(G.tr("queue." + q.id, q.id)), td(n(q.calls_per_hour), "num"), td(n(q.aht_s), "num"),
      td(q.agents_needed === null ? "∞" : n(q.agents_needed), "num exec-needed"),
      td(n(q.agents_logged_in), "num"),
      td(n(perQueue[q.id]), "num" + (isNum(q.agents_needed) && isNum(perQueue[q.id]) && perQueue[q.id] < q.agents_needed ? " exec-bad" : "")),
      td(isNum(q.service_level_expected) ? (100 * q.service_level_expected).toFixed(0) + "%" : "–", "num")]));
    const needed = queues.reduce((s, q) => s + (isNum(q.agents_needed) ? q.agents_needed : 0), 0);
    const logged = queues.reduce((s, q) => s + (q.agents_logged_in || 0), 0);
    const rostered = k.seats_rostered_now;
    const head = el("tr", null, [th(G.tr("exec.staff.queue")), th(G.tr("exec.staff.calls"), "num"),
      th(G.tr("exec.staff.aht"), "num"), th(G.tr("exec.staff.needed"), "num"), th(G.tr("exec.staff.logged"), "num"),
      th(G.tr("exec.staff.rostered"), "num"), th(G.tr("exec.staff.sl"), "num")]);
    const total = el("div", {className: "exec-staff-total " + (logged < needed || (isNum(rostered) && rostered < needed) ? "exec-bad" : "exec-good")},
      G.tr("exec.staff.total").replace("{needed}", needed).replace("{logged}", logged)
        .replace("{rostered}", isNum(rostered) ? rostered : "–"));
    if (!queues.length) return [el("div", {className: "exec-note"}, G.tr("exec.staff.none")), total];
    return [el("table", {className: "exec-table exec-staff-table"}, [el("thead", null, head), el("tbody", null, rows)]),
            total];
  }

  window.dash_clientside = Object.assign({}, window.dash_clientside);
  window.dash_clientside.executive = {keep, tiles, staffing};
})();
