/* GridCommand, every live page with a map (wall, console): at most once a second (slower when painting is slow) it
   rebuilds the live traces from the state and hands them to one Plotly.react on the graph already on screen —
   never a figure through Dash. Past a threshold of open orders (a storm) the orders are drawn as one bubble per
   grid; zoomed in, the orders in view come back. Levels and due times are the server's, kept on each order. */
(function () {
  "use strict";
  const G = window.gridcmd = window.gridcmd || {};
  const S = () => G.state;
  const DETAIL_MAX = 2500;     // open orders above which the city view aggregates per grid
  const DETAIL_ZOOM = 10.5;    // zoomed in this far, individual orders come back (those in view)
  const M = {drawnRev: -1, drawnMeasure: null, drawnView: null, measure: "open", gd: null, idx: null,
             lastDrawMs: 0, draws: 0, maxDrawMs: 0, aggregated: false, zoom: 0, bounds: null, selected: null,
             onSelect: null};
  G.map = M;

  // The grid outlines come from /api/v1/grids (the page's head started the request), not inside the figure.
  let outlines = null;
  function loadOutlines() {
    if (outlines) return;
    const early = window.gridcmdGrids;
    window.gridcmdGrids = null;
    outlines = (early || Promise.reject(new Error("no early request")))
      .then(res => (res.ok ? res : fetch("/api/v1/grids", {credentials: "same-origin"})))
      .catch(() => fetch("/api/v1/grids", {credentials: "same-origin"}))
      .then(res => { if (!res.ok) throw new Error("grids " + res.status); return res.json(); })
      .then(fc => {
        G.mark("outlines-loaded");
        M.outlines = {type: "FeatureCollection", features: fc.features};
        M.geoms = new Map(fc.features.map(f => [f.properties.id, f.geometry]));
      })
      .catch(err => { console.warn("grid outlines failed, retrying", err); setTimeout(() => { outlines = null; }, 2000); });
  }

  function graphDiv() {
    loadOutlines();
    if (M.gd && document.body.contains(M.gd)) return M.gd;
    const outer = G.config && document.getElementById(G.config.map_id);
    const gd = outer && outer.querySelector(".js-plotly-plot");
    if (!gd || !gd.layout || !gd.layout.meta || !window.Plotly || !window.Plotly.react || !M.outlines) return null;
    // Plotly.react before MapLibre has its style throws inside plotly.js ("reading 'layers'"): wait for it.
    const sub = gd._fullLayout && gd._fullLayout.map && gd._fullLayout.map._subplot;
    if (!sub || !sub.map || !sub.map.isStyleLoaded()) return null;
    G.mark("map-ready");
    M.gd = gd;
    M.idx = {};
    gd.layout.meta.traces.forEach((name, i) => { M.idx[name] = i; });
    M.meta = gd.layout.meta;
    gd.on("plotly_relayout", () => { readView(); M.drawnView = null; });
    // A click on an order picks it (the console selects its row and opens it).
    gd.on("plotly_click", ev => {
      const p = ev && ev.points && ev.points[0];
      if (!p || !M.onSelect) return;
      const name = p.data && p.data.name;
      if ((name === "orders" || name === "order-warn" || name === "selected") && p.customdata !== undefined) {
        M.onSelect(String(p.customdata));
      }
    });
    readView();
    return gd;
  }

  function readView() {
    try {
      const map = M.gd._fullLayout.map._subplot.map;  // the MapLibre map behind the trace
      M.zoom = map.getZoom();
      const b = map.getBounds();
      M.bounds = [b.getWest(), b.getSouth(), b.getEast(), b.getNorth()];
    } catch (err) {
      M.zoom = (M.gd && M.gd.layout.map && M.gd.layout.map.zoom) || 0;
      M.bounds = null;
    }
  }

  const inView = (lon, lat) => !M.bounds || (lon >= M.bounds[0] && lon <= M.bounds[2] && lat >= M.bounds[1] && lat <= M.bounds[3]);
  const tr = (key, fallback) => G.tr(key, fallback);
  const hm = G.hm;
  const plain = G.plain;

  // Which map layer an outage is drawn in: planned, predicted by 研判, or confirmed.
  const layerOf = o => o.kind === "planned" ? "planned" : (o.status === "predicted" ? "predicted" : "unplanned");

  function outageTrace(kind) {
    const features = [], locations = [], text = [];
    for (const o of S().outage.values()) {
      if (layerOf(o) !== kind) continue;
      const label = `${tr("outage." + kind)} · ${o.device_id ? o.device_id + " · " : ""}` +
        `${o.customers_affected} ${tr("alarm.customers")} · ETR ${hm(o.etr)}` +
        (o.sensitive_customers ? ` · ▲ ${o.sensitive_customers}` : "");
      const parts = o.geometry ? [[String(o.id), o.geometry]] : o.grid_ids.map(g => [`${o.id}:${g}`, M.geoms.get(g)]);
      for (const [fid, geometry] of parts) {
        if (!geometry) continue;
        features.push({type: "Feature", id: fid, properties: {}, geometry});
        locations.push(fid);
        text.push(label);
      }
    }
    return {geojson: [{type: "FeatureCollection", features}], locations: [locations], z: [locations.map(() => 1)], text: [text]};
  }

  function gridMeasure(levelOf) {
    const per = new Map();
    const add = (g, v) => { if (g) per.set(g, (per.get(g) || 0) + v); };
    if (M.measure === "customers_out") {
      // As the "customers out" tile counts them: active outages, spread evenly over their grids.
      for (const o of S().outage.values()) {
        if (o.covered_by) continue;  // counted in the larger outage it lies under
        const share = o.grid_ids && o.grid_ids.length ? o.customers_affected / o.grid_ids.length : 0;
        for (const g of o.grid_ids || []) add(g, share);
      }
    } else {
      for (const w of S().workorder.values()) {
        if (M.measure === "overdue" && levelOf(w) < 4) continue;
        add(w.grid_id, 1);
      }
    }
    return per;
  }

  function build() {
    const st = S(), P = M.meta.palette;
    const level = w => w.level || 0;
    const out = {};

    const per = gridMeasure(level);
    const locs = M.gd.data[0].locations;
    const z = locs.map(id => Math.round(per.get(id) || 0));
    out.grids = {z: [z], zmax: [Math.max(M.measure === "customers_out" ? 500 : 5, ...z)], zmin: [0], zauto: [false],
                 geojson: [M.outlines]};
    out["outage-planned"] = outageTrace("planned");
    out["outage-predicted"] = outageTrace("predicted");
    out["outage-unplanned"] = outageTrace("unplanned");
    const dv = {lon: [], lat: [], color: [], text: []};
    for (const o of st.outage.values()) {
      if (o.lon == null || o.lat == null) continue;
      dv.lon.push(o.lon); dv.lat.push(o.lat);
      dv.color.push(P.outage[layerOf(o)].replace(/[\d.]+\)$/, "1)"));
      // What a supervisor asks of a failed device: which, how sure, how many customers out, who is calling.
      dv.text.push(`${G.plain(o.device_id)} · ${tr("outage." + layerOf(o))} · ${o.customers_affected} ${tr("alarm.customers")}` +
                   `${o.care_customers ? " · ▲" + o.care_customers : ""} · ${o.calls || 0} ${tr("outage.calls", "calls")}`);
    }
    out.devices = {lon: [dv.lon], lat: [dv.lat], "marker.color": [dv.color], text: [dv.text]};

    M.aggregated = st.workorder.size > DETAIL_MAX && M.zoom < DETAIL_ZOOM;
    const o = {lon: [], lat: [], color: [], size: [], text: [], ids: []};
    const w4 = {lon: [], lat: [], color: [], text: []};
    const cl = {lon: [], lat: [], size: [], color: [], text: []};
    if (M.aggregated) {
      const grids = new Map();
      for (const w of st.workorder.values()) {
        const key = w.grid_id || "?";
        const g = grids.get(key) || {n: 0, worst: 0};
        g.n++; g.worst = Math.max(g.worst, level(w));
        grids.set(key, g);
      }
      for (const [gid, g] of grids) {
        const p = M.meta.grid_points[gid];
        if (!p) continue;
        cl.lon.push(p[0]); cl.lat.push(p[1]);
        cl.size.push(Math.min(10 + 3 * Math.sqrt(g.n), 46));
        cl.color.push(g.worst ? P.warn[g.worst] : "#4fc3f7");
        cl.text.push(`${plain(M.meta.grid_names[gid] || gid)} · ${g.n} ${tr("wall.legend.orders")}` +
                     (g.worst ? ` · ${tr("warn." + g.worst)}` : ""));
      }
    } else {
      const zoomed = M.zoom >= DETAIL_ZOOM;
      for (const w of st.workorder.values()) {
        if (zoomed && !inView(w.lon, w.lat)) continue;
        const l = level(w);
        o.lon.push(w.lon); o.lat.push(w.lat); o.ids.push(w.id);
        o.color.push(P.order[w.status] || "#ffffff");
        o.size.push(w.sensitive ? 13 : Math.min(8 + 2 * Math.log2(w.report_count || 1), 14));
        const txt = `#${w.id} ${tr("order." + w.status)} · ${plain(w.address || w.grid_id)} · ${w.report_count}` +
                    (w.sensitive ? " · ▲" : "") + (l ? ` · ${tr("warn." + l)}` : "");
        o.text.push(txt);
        if (l) { w4.lon.push(w.lon); w4.lat.push(w.lat); w4.color.push(P.warn[l]); w4.text.push(txt); }
      }
    }
    out.orders = {lon: [o.lon], lat: [o.lat], text: [o.text], customdata: [o.ids], "marker.color": [o.color], "marker.size": [o.size]};
    out["order-warn"] = {lon: [w4.lon], lat: [w4.lat], text: [w4.text], "marker.color": [w4.color]};
    out.clusters = {lon: [cl.lon], lat: [cl.lat], text: [cl.text], "marker.size": [cl.size], "marker.color": [cl.color]};

    const c = {lon: [], lat: [], color: [], text: [], ids: []};
    const links = {lon: [], lat: []};
    for (const k of st.crew.values()) {
      if (k.lon === null || k.lat === null || k.lon === undefined) continue;
      c.lon.push(k.lon); c.lat.push(k.lat); c.ids.push(k.id);
      c.color.push(P.crew[k.status] || "#ffffff");
      c.text.push(`${plain(k.name)} · ${tr("crew." + k.status)}` + (k.workorder_id ? ` → #${k.workorder_id}` : ""));
      const target = k.workorder_id && st.workorder.get(String(k.workorder_id));
      if (target) { links.lon.push(k.lon, target.lon, null); links.lat.push(k.lat, target.lat, null); }
    }
    out.crews = {lon: [c.lon], lat: [c.lat], text: [c.text], customdata: [c.ids], "marker.color": [c.color]};
    const picked = M.selected && st.workorder.get(M.selected);
    out.selected = picked ? {lon: [[picked.lon]], lat: [[picked.lat]], customdata: [[picked.id]],
                             text: [[`#${picked.id} ${plain(picked.address || picked.grid_id)}`]]}
                          : {lon: [[]], lat: [[]], customdata: [[]], text: [[]]};
    // In the storm view orders are grid bubbles, so plain dots are crews: their white rings (a second layer of
    // 2,000 circles for software WebGL to paint) are left out.
    out["crew-rings"] = M.aggregated ? {lon: [[]], lat: [[]]} : {lon: [c.lon], lat: [c.lat]};
    out["crew-links"] = {lon: [links.lon], lat: [links.lat]};
    return {out, shown: o.ids.length, crews: c.ids.length};
  }

  // `upd` in restyle form ({"marker.color": [values]}) applied to a copy of `trace`.
  function withValues(trace, upd) {
    const next = Object.assign({}, trace);
    for (const [key, [value]] of Object.entries(upd)) {
      const [head, tail] = key.split(".");
      if (tail) next[head] = Object.assign({}, next[head], {[tail]: value}); else next[head] = value;
    }
    return next;
  }

  // Called when live changes arrive and every second by the Dash tick; draws only when something on the map
  // changed (or time moved a warning level, checked every 10 s), and no sooner than the spacing allows.
  G.redrawMap = function () {
    const st = S();
    const gd = graphDiv();
    // Plotly (5 MB) may still be loading when the snapshot is in, or the other way round: draw the moment
    // both are there rather than on the next tick, up to a second later.
    if (!gd || st.seq === null) { drawSoon(); return null; }
    const now = Date.now();
    const view = `${M.zoom.toFixed(2)}|${M.bounds ? M.bounds.join(",") : ""}`;
    const stale = M.drawnRev !== st.mapRev || M.drawnMeasure !== M.measure || M.drawnView !== view ||
                  M.drawnSelected !== M.selected || now - (M.lastAt || 0) > 10000;
    // Software WebGL on a wall PC can take a large part of a second to paint a storm: space redraws so the
    // map never takes more than about a quarter of the main thread.
    if (!stale || now - (M.lastAt || 0) < spacing()) return null;
    const started = performance.now();
    const {out, shown, crews} = build();
    // One Plotly.react for all traces: it redraws once; unchanged traces (the grid polygons' geometry) are
    // passed as the same objects, so Plotly skips them.
    const data = gd.data.slice();
    for (const name of Object.keys(out)) data[M.idx[name]] = withValues(gd.data[M.idx[name]], out[name]);
    const drawing = window.Plotly.react(gd, data, gd.layout);
    if (!M.firstDrawAt && !M.firstDrawWatch) { M.firstDrawWatch = true; Promise.resolve(drawing).then(whenPainted); }
    // The paint happens in the next animation frames; time it to pace the next redraw.
    requestAnimationFrame(() => requestAnimationFrame(() => { M.paintMs = performance.now() - started; }));
    M.drawnRev = st.mapRev; M.drawnMeasure = M.measure; M.drawnView = view; M.drawnSelected = M.selected;
    M.lastAt = now;
    M.lastDrawMs = performance.now() - started;
    M.maxDrawMs = Math.max(M.maxDrawMs, M.lastDrawMs);
    M.draws++;
    M.drawTimes = (M.drawTimes || []).slice(-999).concat([M.lastDrawMs]);
    return {orders: st.workorder.size, shown, crews, aggregated: M.aggregated};
  };

  // The first picture is on screen once MapLibre has taken the new data in (its sources loaded) and painted a
  // frame after that: what bench/wall_render.py reports as the first full map draw.
  function whenPainted() {
    let map = null;
    try { map = M.gd._fullLayout.map._subplot.map; } catch (err) { /* no MapLibre: count the react */ }
    const check = () => {
      if (map && !map.loaded()) { requestAnimationFrame(check); return; }
      requestAnimationFrame(() => { M.firstDrawAt = performance.now(); G.mark("first-map-draw"); });
    };
    requestAnimationFrame(check);
  }

  // At most one draw per spacing: half a second, or four paints when the machine paints slowly (a storm in
  // software WebGL), so the map never takes more than about a quarter of the main thread.
  function spacing() { return Math.max(500, 4 * (M.paintMs || 0)); }

  // Live changes came in: draw as soon as the spacing allows (the 1 s tick stays as the fallback).
  G.mapChanged = function () {
    drawSoon(Math.max(50, (M.lastAt || 0) + spacing() - Date.now() + 5));
  };

  function drawSoon(delay = 50) {
    if (M.retry) return;
    M.retry = setTimeout(() => {
      M.retry = null;
      const drawn = G.redrawMap();
      const stamp = G.config && G.config.ids.map_stamp;
      if (drawn && stamp && window.dash_clientside.set_props && G.laidOut(stamp)) {
        window.dash_clientside.set_props(stamp, {children: G.mapStamp(drawn)});
      }
    }, delay);
  }

  // The line under the map: when it was drawn, and the counts every panel shows (the server's, from its KPIs:
  // one source for every count on every page).
  G.mapStamp = function (drawn) {
    const k = S().kpi || {}, v = x => (x === null || x === undefined ? "–" : String(x));
    const agg = drawn.aggregated ? ` · ${tr("wall.aggregated", "")}` : "";
    const onDuty = k.crews_available === undefined ? undefined : (k.crews_available || 0) + (k.crews_busy || 0);
    return `${tr("wall.updated", "")} ${G.hms(new Date(G.now()))} · ${tr("wall.legend.orders")} ${v(k.open)} · ` +
           `${tr("wall.legend.crews")} ${v(onDuty)}${agg}`;
  };

  G.setMeasure = function (measure) { M.measure = measure || "open"; };
})();
