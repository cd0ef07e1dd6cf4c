/* GridCommand wall: KPI tiles, seats and queues, and the map's tick. Cheap DOM updates from the live state once a
   second; every count is the server's (its KPIs), so the tiles, the map line and the console never disagree. */
(function () {
  "use strict";
  const G = window.gridcmd = window.gridcmd || {};
  const S = () => G.state;
  const NO = () => window.dash_clientside.no_update;
  const el = (...a) => G.el(...a);

  function tile(text, state) { return el("span", {className: state ? `tile-${state}` : ""}, text); }

  function kpiValues() {
    const st = S();
    if (!G.config || st.seq === null) return Array(10).fill(tile("–"));
    const k = st.kpi || {}, cfg = G.config;
    const v = x => (x === null || x === undefined ? "–" : String(x));
    return [
      tile(v(k.received_today)),
      tile(v(k.open)),
      tile(v(k.overdue), k.overdue ? "bad" : "good"),
      tile(k.avg_arrival_min === null || k.avg_arrival_min === undefined ? "–" : k.avg_arrival_min.toFixed(0)),
      tile(G.pct(k.on_time_arrival_rate), k.on_time_arrival_rate == null ? "" : k.on_time_arrival_rate < cfg.on_time_target ? "bad" : "good"),
      tile(v(k.customers_out), k.customers_out ? "warn" : ""),
      tile(G.pct(k.service_level), k.service_level == null ? "" : k.service_level < cfg.service_level_target ? "bad" : "good"),
      tile(`${v(k.crews_available)} / ${v((k.crews_available || 0) + (k.crews_busy || 0))}`),
      tile(v(k.screening), k.screening ? "warn" : ""),
      // 研判's worth: calls per outage today, and the crew trips it saved (calls that made no order of their own).
      tile(k.calls_per_outage == null ? "–" : `${k.calls_per_outage.toFixed(1)} · ${v(k.trips_saved_today)}`),
    ];
  }

  const UPCOMING_H = 24, UPCOMING_SHOWN = 3;
  let upcomingDrawn = null;
  function upcomingPanel(_meta, _n, cfg) {
    const st = S();
    if (!cfg) return NO();
    const now = G.now(), until = now + UPCOMING_H * 3600e3;
    const soon = [...st.upcoming.values()].filter(o => Date.parse(o.start) <= until)
      .sort((a, b) => Date.parse(a.start) - Date.parse(b.start));
    const names = (G.map && G.map.meta && G.map.meta.grid_names) || {};
    // Redrawn when the list changes, or when the grids' names arrive (the map's metadata loads after the state).
    const key = soon.map(o => `${o.id}:${o.start}:${o.customers_affected}`).join("|") + "@" + G.lang() +
      Object.keys(names).length;
    if (key === upcomingDrawn) return NO();
    upcomingDrawn = key;
    if (!soon.length) return el("div", {className: "alarm-none"}, G.tr("wall.upcoming.none"));
    const rows = soon.slice(0, UPCOMING_SHOWN).map(o => el("div", {className: "upcoming-row"}, [
      el("span", {className: "upcoming-time"}, G.hm(o.start)),
      el("span", {className: "upcoming-where"}, (o.grid_ids || []).map(g => names[g] || g).join("、") || (o.districts || []).join("、") || "–"),
      el("span", {className: "upcoming-count"}, `${o.customers_affected} ${G.tr("alarm.customers")}`),
      el("span", {className: o.notice_ok === false ? "upcoming-late" : "upcoming-ok"},
        o.notice_ok === false ? G.tr(o.notice_rule === "temporary_24h" ? "wall.upcoming.late24" : "wall.upcoming.late")
                              : G.tr("wall.upcoming.noticed"))]));
    if (soon.length > UPCOMING_SHOWN) rows.push(el("div", {className: "alarm-more"}, `+${soon.length - UPCOMING_SHOWN}`));
    return rows;
  }

  let seatDrawn = -1;
  function seatPanel(_meta, _n, cfg) {
    const st = S();
    if (!cfg || seatDrawn === st.seatRev) return NO();  // most updates carry no seat: leave the DOM alone
    seatDrawn = st.seatRev;
    const groups = new Map();
    for (const s of st.seat.values()) {
      if (!groups.has(s.group)) groups.set(s.group, []);
      groups.get(s.group).push(s);
    }
    const rows = [];
    for (const [group, seats] of [...groups.entries()].sort()) {
      seats.sort((a, b) => (a.id < b.id ? -1 : 1));
      const counts = cfg.seat_states.map(x => el("span", {className: `seat-count seat-${x}`},
        [el("b", {}, String(seats.filter(s => s.state === x).length)), " " + G.tr("seat." + x, x)]));
      const dots = seats.map(s => el("span", {className: `seat-dot seat-${s.state}`, title: `${s.id} ${s.agent || ""}`}, null));
      rows.push(el("div", {className: "seat-group"}, [
        el("div", {className: "seat-group-name"}, `${G.tr("queue." + group, group)} · ${seats.length}`),
        el("div", {className: "seat-dots"}, dots), el("div", {className: "seat-counts-row"}, counts)]));
    }
    return rows.length ? rows : el("div", {className: "alarm-none"}, "–");
  }

  function queuePanel(_meta, _n, cfg) {
    if (!cfg) return NO();
    const now = G.now();
    const head = el("tr", {}, ["wall.queue", "wall.waiting", "wall.longest", "wall.sl", "wall.abandon", "wall.staffing"]
      .map(k => el("th", {title: k === "wall.staffing" ? G.tr("wall.staffing.title") : ""}, G.tr(k))));
    // Live staffing rides in the KPIs (Erlang C per queue): agents needed now / logged in, red when short.
    const staffing = new Map(((S().kpi || {}).staffing || []).map(x => [x.id, x]));
    const rows = [...S().queue.values()].sort((a, b) => (a.id < b.id ? -1 : 1)).map(q => {
      const wait = q.oldest_since ? (now - Date.parse(q.oldest_since)) / 1000 : 0;
      const slBad = q.service_level !== null && q.service_level < cfg.service_level_target;
      const st = staffing.get(q.id);
      return el("tr", {}, [el("td", {}, G.tr("queue." + q.id, q.id)),
        el("td", {className: q.waiting ? "warn" : ""}, String(q.waiting)),
        el("td", {className: wait > 60 ? "bad" : ""}, q.waiting ? G.dur(wait) : "–"),
        el("td", {className: slBad ? "bad" : "good"}, G.pct(q.service_level)),
        el("td", {}, G.pct(q.abandon_rate)),
        st ? el("td", {className: `queue-staffing ${st.short ? "bad" : "good"}`, title: G.tr("wall.staffing.title")},
                `${st.agents_needed === null ? "∞" : st.agents_needed} / ${st.agents_logged_in}`)
           : el("td", {className: "queue-staffing"}, "–")]);
    });
    return el("table", {className: "queue-table"}, [el("thead", {}, head), el("tbody", {}, rows)]);
  }

  function mapTick(_n, measure, cfg) {
    if (!cfg) return NO();
    G.ticks = (G.ticks || 0) + 1;  // for tests: how long the page has been ticking
    G.map.measure = measure || "open";
    const drawn = G.redrawMap();
    return drawn ? G.mapStamp(drawn) : NO();
  }

  window.dash_clientside = Object.assign({}, window.dash_clientside);
  window.dash_clientside.wall = Object.assign({}, window.dash_clientside.wall, {kpiValues, seatPanel, queuePanel, upcomingPanel, mapTick});
})();
