/* GridCommand wall: applies `update` batches to an in-browser state, resyncs on a seq gap, redraws on a throttle.
   State lives here, not in a dcc.Store: 10,000 orders copied through Dash props per update would cost more
   than the update. Dash sees only a small {seq, rev} summary and the figures built from it. */
(function () {
  "use strict";
  const KINDS = ["workorder", "crew", "outage", "seat", "queue"];
  const S = {
    seq: null, syncing: false, pending: [], rev: 0, mapRev: 0, drawnRev: -1, seatRev: 0, seatDrawn: -1,
    lastUpdate: null,
    workorder: new Map(), crew: new Map(), outage: new Map(), seat: new Map(), queue: new Map(), kpi: {},
    gridGeom: null, resyncs: 0, applied: 0,
  };
  const NO = () => window.dash_clientside.no_update;
  const ORDER_COLOURS = {received: "#4fc3f7", dispatched: "#b388ff", accepted: "#b388ff", en_route: "#ffd54f",
                         on_site: "#69f0ae"};
  const WARN_COLOURS = [null, "#fff176", "#ffb300", "#ff6d00", "#ff1744"];
  const CREW_COLOURS = {available: "#00e676", dispatched: "#40c4ff", en_route: "#ffca28", on_site: "#e040fb",
                        off_duty: "#546e7a"};
  const LIMIT_MIN = {urban: 45, rural: 90, remote: 120};
  const LEVELS = [0.5, 0.75, 0.9, 1.0];

  function upsert(kind, id, data) {
    const map = S[kind];
    const old = map.get(id);
    // A late, older copy (a snapshot raced an update) must not overwrite a newer one.
    if (old && data && old.version !== undefined && data.version !== undefined && data.version < old.version) return;
    map.set(id, data);
  }

  function applyChanges(changes) {
    for (const c of changes) {
      if (c.kind === "kpi") { S.kpi = c.data || {}; continue; }
      if (!S[c.kind] || KINDS.indexOf(c.kind) < 0) continue;
      if (c.op === "remove") S[c.kind].delete(String(c.id)); else upsert(c.kind, String(c.id), c.data);
      if (c.kind === "workorder" || c.kind === "crew" || c.kind === "outage") S.mapRev++;
      if (c.kind === "seat") S.seatRev++;
    }
    S.rev++;
    S.applied++;
    S.lastUpdate = new Date();
  }

  function applySnapshot(snap) {
    for (const k of KINDS) S[k].clear();
    for (const o of snap.workorders) S.workorder.set(String(o.id), o);
    for (const c of snap.crews) S.crew.set(String(c.id), c);
    for (const o of snap.outages) S.outage.set(String(o.id), o);
    for (const s of snap.seats) S.seat.set(String(s.id), s);
    for (const q of snap.queues) S.queue.set(String(q.id), q);
    S.kpi = snap.kpis || {};
    S.seq = snap.seq;
    S.mapRev++;
    S.seatRev++;
    S.rev++;
    S.lastUpdate = new Date();
  }

  function meta() { return {seq: S.seq, rev: S.rev, resyncs: S.resyncs, applied: S.applied}; }

  function publish() {
    if (window.dash_clientside && window.dash_clientside.set_props) {
      window.dash_clientside.set_props("live-meta", {data: meta()});
    }
  }

  function drainPending() {
    S.pending.sort((a, b) => a.seq - b.seq);
    while (S.pending.length) {
      const u = S.pending[0];
      if (u.seq <= S.seq) { S.pending.shift(); continue; }
      if (u.seq !== S.seq + 1) return false;  // still a hole: needs another snapshot
      S.pending.shift();
      applyChanges(u.changes);
      S.seq = u.seq;
    }
    return true;
  }

  async function resync() {
    if (S.syncing) return;
    S.syncing = true;
    S.resyncs++;
    try {
      for (let attempt = 0; ; attempt++) {
        try {
          const res = await fetch("/api/v1/snapshot", {credentials: "same-origin", cache: "no-store"});
          if (res.status === 401) { window.location.assign("/login?next=" + encodeURIComponent(location.pathname)); return; }
          if (!res.ok) throw new Error("snapshot " + res.status);
          applySnapshot(await res.json());
          if (drainPending()) break;
        } catch (err) {
          console.warn("resync failed, retrying", err);
          await new Promise(r => setTimeout(r, Math.min(1000 * (attempt + 1), 5000)));
        }
      }
    } finally {
      S.syncing = false;
      publish();
    }
  }

  function onUpdate(u) {
    if (!u || typeof u.seq !== "number") return NO();
    if (S.syncing || S.seq === null) { S.pending.push(u); if (!S.syncing) resync(); return NO(); }
    if (u.seq <= S.seq) return NO();
    if (u.seq !== S.seq + 1) { S.pending.push(u); resync(); return NO(); }
    applyChanges(u.changes);
    S.seq = u.seq;
    return meta();
  }

  // --- formatting -----------------------------------------------------------------------------------
  function clockEl() { return document.getElementById("wall-clock"); }
  function tz() { const el = clockEl(); return (el && el.dataset.tz) || "Asia/Shanghai"; }
  function lang() { const el = clockEl(); return (el && el.dataset.lang) || "zh"; }
  function fmt(date, opts) {
    return new Intl.DateTimeFormat(lang() === "en" ? "en-GB" : "zh-CN", Object.assign({timeZone: tz(), hour12: false}, opts)).format(date);
  }
  const hms = d => fmt(d, {hour: "2-digit", minute: "2-digit", second: "2-digit"});
  function pct(x) { return x === null || x === undefined ? "–" : (100 * x).toFixed(1) + "%"; }
  function dur(s) { s = Math.max(0, Math.round(s)); const m = Math.floor(s / 60); return m ? `${m}:${String(s % 60).padStart(2, "0")}` : `${s}s`; }

  function warnLevel(o, now) {
    if (o.arrived_at) return 0;
    const limit = (LIMIT_MIN[o.area_class] || 45) * 60000;
    const share = (now - Date.parse(o.reported_at)) / limit;
    let level = 0;
    for (const t of LEVELS) if (share >= t) level++;
    return level;
  }

  // --- figures ----------------------------------------------------------------------------------------
  function gridGeometries(fig) {
    if (!S.gridGeom) {
      S.gridGeom = new Map();
      for (const f of fig.data[0].geojson.features) S.gridGeom.set(f.properties.id, f.geometry);
    }
    return S.gridGeom;
  }

  function outageTrace(trace, kind, geoms, i18n) {
    const features = [], locations = [], text = [];
    for (const o of S.outage.values()) {
      if (o.kind !== kind) continue;
      const label = `${i18n["outage." + kind] || kind} · ${o.customers_affected} · ETR ${o.etr ? hms(new Date(o.etr)) : "–"}`;
      const parts = o.geometry ? [[String(o.id), o.geometry]] : o.grid_ids.map(g => [`${o.id}:${g}`, geoms.get(g)]);
      for (const [fid, geometry] of parts) {
        if (!geometry) continue;
        features.push({type: "Feature", id: fid, properties: {}, geometry});
        locations.push(fid);
        text.push(label);
      }
    }
    return Object.assign({}, trace, {geojson: {type: "FeatureCollection", features}, locations,
                                     z: locations.map(() => 1), text});
  }

  function redrawMap(_n, fig, i18n) {
    if (!fig || S.seq === null || S.drawnRev === S.mapRev) return [NO(), NO()];
    const started = performance.now();
    const now = Date.now();
    const geoms = gridGeometries(fig);
    const perGrid = new Map();
    const o = {lon: [], lat: [], color: [], size: [], text: [], ids: []};
    for (const w of S.workorder.values()) {
      o.lon.push(w.lon); o.lat.push(w.lat); o.ids.push(w.id);
      const level = warnLevel(w, now);
      o.color.push(WARN_COLOURS[level] || ORDER_COLOURS[w.status] || "#ffffff");
      o.size.push(w.sensitive ? 14 : Math.min(8 + 2 * Math.log2(w.report_count || 1), 16));
      o.text.push(`#${w.id} ${i18n["order." + w.status] || w.status} · ${w.category} · ${w.report_count}`);
      if (w.grid_id) perGrid.set(w.grid_id, (perGrid.get(w.grid_id) || 0) + 1);
    }
    const c = {lon: [], lat: [], color: [], text: [], ids: []};
    for (const k of S.crew.values()) {
      if (k.lon === null || k.lat === null) continue;
      c.lon.push(k.lon); c.lat.push(k.lat); c.ids.push(k.id);
      c.color.push(CREW_COLOURS[k.status] || "#ffffff");
      c.text.push(`${k.name} · ${i18n["crew." + k.status] || k.status}`);
    }
    const grids = fig.data[0];
    const z = grids.locations.map(id => perGrid.get(id) || 0);
    const data = [
      Object.assign({}, grids, {z, zmax: Math.max(10, ...z)}),
      outageTrace(fig.data[1], "planned", geoms, i18n),
      outageTrace(fig.data[2], "unplanned", geoms, i18n),
      Object.assign({}, fig.data[3], {lon: o.lon, lat: o.lat, text: o.text, customdata: o.ids,
                                      marker: Object.assign({}, fig.data[3].marker, {color: o.color, size: o.size})}),
      Object.assign({}, fig.data[4], {lon: c.lon, lat: c.lat, text: c.text, customdata: c.ids,
                                      marker: Object.assign({}, fig.data[4].marker, {color: c.color})}),
    ];
    S.drawnRev = S.mapRev;
    S.lastBuildMs = performance.now() - started;
    return [{data, layout: fig.layout}, `${i18n["wall.updated"] || ""} ${hms(new Date())} · ${S.workorder.size} / ${c.ids.length}`];
  }

  // --- panels -------------------------------------------------------------------------------------------
  function el(type, props, children) {
    const name = type.charAt(0).toUpperCase() + type.slice(1);  // Dash names html components Div, Table, Td...
    return {type: name, namespace: "dash_html_components", props: Object.assign({children}, props || {})};
  }

  function kpiValues(_meta, _n) {
    const now = Date.now();
    let overdue = 0;
    for (const w of S.workorder.values()) if (warnLevel(w, now) >= LEVELS.length) overdue++;
    const k = S.kpi || {};
    const v = x => (x === null || x === undefined ? "–" : String(x));
    return [v(S.seq === null ? null : S.workorder.size), v(k.received_today), v(S.seq === null ? null : overdue),
            v(k.customers_out), v(k.crews_available), v(k.crews_busy), pct(k.on_time_arrival_rate), pct(k.service_level)];
  }

  const SEAT_STATES = ["available", "ringing", "talking", "wrap_up", "not_ready", "logged_out"];
  function seatPanel(_meta, i18n) {
    if (S.seatDrawn === S.seatRev) return NO();  // most updates carry no seat: keep the DOM as it is
    S.seatDrawn = S.seatRev;
    const groups = new Map();
    for (const s of S.seat.values()) {
      if (!groups.has(s.group)) groups.set(s.group, []);
      groups.get(s.group).push(s);
    }
    const rows = [];
    for (const [group, seats] of [...groups.entries()].sort()) {
      seats.sort((a, b) => (a.id < b.id ? -1 : 1));
      const counts = SEAT_STATES.map(st => el("span", {className: `seat-count seat-${st}`, title: i18n["seat." + st]},
        `${i18n["seat." + st] || st} ${seats.filter(s => s.state === st).length}`));
      const dots = seats.map(s => el("span", {className: `seat-dot seat-${s.state}`, title: `${s.id} ${s.agent || ""}`}, null));
      rows.push(el("div", {className: "seat-group"}, [el("div", {className: "seat-group-name"}, i18n["queue." + group] || group),
        el("div", {className: "seat-dots"}, dots), el("div", {className: "seat-counts-row"}, counts)]));
    }
    return rows;
  }

  function queuePanel(_meta, _n, i18n) {
    const now = Date.now();
    const head = el("tr", {}, ["wall.queue", "wall.waiting", "wall.longest", "wall.sl", "wall.abandon"].map(k => el("th", {}, i18n[k] || k)));
    const rows = [...S.queue.values()].sort((a, b) => (a.id < b.id ? -1 : 1)).map(q => {
      const wait = q.oldest_since ? (now - Date.parse(q.oldest_since)) / 1000 : 0;
      const slBad = q.service_level !== null && q.service_level < 0.8;
      return el("tr", {}, [el("td", {}, i18n["queue." + q.id] || q.id), el("td", {className: q.waiting ? "warn" : ""}, String(q.waiting)),
        el("td", {}, q.waiting ? dur(wait) : "–"), el("td", {className: slBad ? "bad" : ""}, pct(q.service_level)),
        el("td", {}, pct(q.abandon_rate))]);
    });
    return el("table", {className: "queue-table"}, [el("thead", {}, head), el("tbody", {}, rows)]);
  }

  function clock(_n) {
    const d = new Date();
    return `${fmt(d, {year: "numeric", month: "2-digit", day: "2-digit"})} ${hms(d)}`;
  }

  function link(connected, _n, i18n) {
    // A resync while the socket is up is routine healing (a dropped batch), not a lost link: stay green.
    if (connected && (S.seq !== null || S.lastUpdate)) return [`● ${i18n["wall.connected"] || "LIVE"}`, "link link-ok"];
    if (connected === false || S.lastUpdate) {
      const last = S.lastUpdate ? hms(S.lastUpdate) : "–";
      return [`${i18n["wall.reconnecting"] || "reconnecting · last update"} ${last}`, "link link-lost"];
    }
    return [i18n["wall.connecting"] || "connecting", "link link-connecting"];
  }

  function onHello(hello) {
    if (!hello) return NO();
    // Every (re)connect may follow missed updates: take a fresh snapshot, keep what arrives meanwhile.
    S.seq = null;
    resync();
    return NO();
  }

  window.gridcmd = {state: S, resync};
  window.dash_clientside = Object.assign({}, window.dash_clientside, {
    gridcmd: {onUpdate, onHello, redrawMap, kpiValues, seatPanel, queuePanel, clock, link},
  });
})();
