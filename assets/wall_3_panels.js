/* GridCommand wall, part 3: header, KPI tiles, seats and queues. Cheap DOM updates from the state; waits tick
   in the browser from their start time, so the server never re-sends them every second. */
(function () {
  "use strict";
  const G = window.gridcmd = window.gridcmd || {};
  const S = () => G.state;
  const NO = () => window.dash_clientside.no_update;
  const SEAT_STATES = ["available", "ringing", "talking", "wrap_up", "not_ready", "logged_out"];
  const SL_TARGET = 0.8, ON_TIME_TARGET = 0.95;

  function clockEl() { return document.getElementById("wall-clock"); }
  G.tz = () => { const el = clockEl(); return (el && el.dataset.tz) || "Asia/Shanghai"; };
  G.lang = () => { const el = clockEl(); return (el && el.dataset.lang) || "zh"; };
  G.fmt = (date, opts) => new Intl.DateTimeFormat(G.lang() === "en" ? "en-GB" : "zh-CN",
    Object.assign({timeZone: G.tz(), hour12: false}, opts)).format(date);
  G.hms = d => G.fmt(d, {hour: "2-digit", minute: "2-digit", second: "2-digit"});
  G.pct = x => (x === null || x === undefined ? "–" : (100 * x).toFixed(1) + "%");
  G.dur = s => { s = Math.max(0, Math.round(s)); const m = Math.floor(s / 60); return m ? `${m}:${String(s % 60).padStart(2, "0")}` : `${s}s`; };
  // A Dash component description, so clientside callbacks can return real elements.
  G.el = (type, props, children) => ({type: type.charAt(0).toUpperCase() + type.slice(1), namespace: "dash_html_components",
                                       props: Object.assign({children}, props || {})});
  const el = G.el;

  function tile(text, state) { return el("span", {className: state ? `tile-${state}` : ""}, text); }

  function kpiValues() {
    const st = S();
    if (st.seq === null) return Array(8).fill(tile("–"));
    let overdue = 0;
    for (const level of G.levels().values()) if (level >= 4) overdue++;
    const k = st.kpi || {};
    const v = x => (x === null || x === undefined ? "–" : String(x));
    return [
      tile(v(k.received_today)),
      tile(v(st.workorder.size)),
      tile(v(overdue), overdue ? "bad" : "good"),
      tile(k.avg_arrival_min === null || k.avg_arrival_min === undefined ? "–" : k.avg_arrival_min.toFixed(0)),
      tile(G.pct(k.on_time_arrival_rate), k.on_time_arrival_rate == null ? "" : k.on_time_arrival_rate < ON_TIME_TARGET ? "bad" : "good"),
      tile(v(k.customers_out), k.customers_out ? "warn" : ""),
      tile(G.pct(k.service_level), k.service_level == null ? "" : k.service_level < SL_TARGET ? "bad" : "good"),
      tile(`${v(k.crews_available)} / ${v((k.crews_available || 0) + (k.crews_busy || 0))}`),
    ];
  }

  let seatDrawn = -1;
  function seatPanel(_meta, _n, i18n) {
    const st = S();
    if (seatDrawn === st.seatRev) return NO();  // most updates carry no seat: leave the DOM alone
    seatDrawn = st.seatRev;
    const groups = new Map();
    for (const s of st.seat.values()) {
      if (!groups.has(s.group)) groups.set(s.group, []);
      groups.get(s.group).push(s);
    }
    const rows = [];
    for (const [group, seats] of [...groups.entries()].sort()) {
      seats.sort((a, b) => (a.id < b.id ? -1 : 1));
      const counts = SEAT_STATES.map(x => el("span", {className: `seat-count seat-${x}`},
        [el("b", {}, String(seats.filter(s => s.state === x).length)), " " + (i18n["seat." + x] || x)]));
      const dots = seats.map(s => el("span", {className: `seat-dot seat-${s.state}`, title: `${s.id} ${s.agent || ""}`}, null));
      rows.push(el("div", {className: "seat-group"}, [
        el("div", {className: "seat-group-name"}, `${i18n["queue." + group] || group} · ${seats.length}`),
        el("div", {className: "seat-dots"}, dots), el("div", {className: "seat-counts-row"}, counts)]));
    }
    return rows.length ? rows : el("div", {className: "alarm-none"}, "–");
  }

  function queuePanel(_meta, _n, i18n) {
    const now = Date.now();
    const head = el("tr", {}, ["wall.queue", "wall.waiting", "wall.longest", "wall.sl", "wall.abandon"].map(k => el("th", {}, i18n[k] || k)));
    const rows = [...S().queue.values()].sort((a, b) => (a.id < b.id ? -1 : 1)).map(q => {
      const wait = q.oldest_since ? (now - Date.parse(q.oldest_since)) / 1000 : 0;
      const slBad = q.service_level !== null && q.service_level < SL_TARGET;
      return el("tr", {}, [el("td", {}, i18n["queue." + q.id] || q.id),
        el("td", {className: q.waiting ? "warn" : ""}, String(q.waiting)),
        el("td", {className: wait > 60 ? "bad" : ""}, q.waiting ? G.dur(wait) : "–"),
        el("td", {className: slBad ? "bad" : "good"}, G.pct(q.service_level)),
        el("td", {}, G.pct(q.abandon_rate))]);
    });
    return el("table", {className: "queue-table"}, [el("thead", {}, head), el("tbody", {}, rows)]);
  }

  function clock() {
    const d = new Date();
    return [el("span", {className: "clock-date"}, G.fmt(d, {year: "numeric", month: "2-digit", day: "2-digit", weekday: "short"})),
            el("span", {className: "clock-time"}, G.hms(d))];
  }

  function link(connected, _n, i18n) {
    const st = S();
    st.connected = connected;
    // A resync while the socket is up is routine healing (a dropped batch), not a lost link: stay green.
    if (connected && st.seq !== null) return [`● ${i18n["wall.connected"] || "LIVE"}`, "link link-ok"];
    if (connected === false || st.lastUpdate) {
      const last = st.lastUpdate ? G.hms(st.lastUpdate) : "–";
      return [`${i18n["wall.reconnecting"] || "reconnecting · last update"} ${last}`, "link link-lost"];
    }
    return [i18n["wall.connecting"] || "connecting", "link link-connecting"];
  }

  function mapTick(_n, measure, i18n) {
    G.ticks = (G.ticks || 0) + 1;  // for tests: how long the page has been ticking
    G.setMeasure(measure);
    const drawn = G.redrawMap(i18n);
    return drawn ? G.mapStamp(drawn) : NO();
  }

  window.dash_clientside = Object.assign({}, window.dash_clientside);
  window.dash_clientside.gridcmd = Object.assign({}, window.dash_clientside.gridcmd,
    {kpiValues, seatPanel, queuePanel, clock, link, mapTick});
})();
