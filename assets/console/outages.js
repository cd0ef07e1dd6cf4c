/* GridCommand console, 研判 side: the tabs (orders, outages, screening), the outage list's cells, picking an outage
   or a device in its one-line diagram, and when to ask the server for the list again (at most once a second, only
   when outages or orders moved). Nothing runs when this file loads: console.js's tick calls boardTick. */
(function () {
  "use strict";
  const G = window.gridcmd = window.gridcmd || {};
  const B = {tab: "orders", orders: -1, seen: new Set(), at: 0, asked: 0, selected: null, shown: undefined,
             deskAt: 0, live: 0};
  G.consoleBoard = B;
  const NO = () => window.dash_clientside.no_update;
  const ids = () => G.config.ids;
  const tr = (k, f) => (G.tr ? G.tr(k, f) : f || k);
  const setProps = (id, props) => {
    if (window.dash_clientside.set_props && G.laidOut(id)) window.dash_clientside.set_props(id, props);
  };

  // The outage list's cells (AG Grid evaluates these by name, without eval).
  const fns = window.dashAgGridFunctions = window.dashAgGridFunctions || {};
  fns.outageStatus = p => (p.value ? tr("ostatus." + p.value, p.value) : "");
  fns.outageStatusClass = p => (p.value ? "ostatus ostatus-" + p.value : "");
  fns.outageDevice = p => (p.data ? [p.value || p.data.external_id || "–", p.data.device_name].filter(Boolean).join(" · ") : "");
  fns.deviceKind = p => (p.value ? tr("device." + p.value, p.value) : "");
  fns.careMark = p => (p.value ? "▲ " + p.value : "");
  fns.careClass = p => (p.value ? "care" : "");
  fns.clockTime = p => (p.value ? G.hm(p.value) : "–");
  fns.outageGrid = p => (p.data && p.value ? p.value + (p.data.grids > 1 ? ` +${p.data.grids - 1}` : "") : "–");
  fns.outageRowClass = p => (p.data ? "orow-" + p.data.status + (p.data.covered_by ? " orow-covered" : "") : "");

  // Did an outage change since the last look? The live state replaces an outage's object on every change, so a
  // pass over the few hundred outages by identity says it without a copy.
  function outagesMoved() {
    const now = new Set();
    let moved = false;
    for (const store of [G.state.outage, G.state.upcoming]) {
      if (!store) continue;
      for (const o of store.values()) {
        now.add(o);
        if (!B.seen.has(o)) moved = true;
      }
    }
    moved = moved || now.size !== B.seen.size;
    B.seen = now;
    return moved;
  }

  // From console.js's 1 s tick.
  function boardTick(now) {
    const st = G.state;
    const moved = outagesMoved() || st.listRev !== B.orders || st.ticketRev !== B.tickets;
    if ((moved || B.pending) && now - B.at >= 1000) {
      B.orders = st.listRev;
      B.tickets = st.ticketRev;
      B.at = now;
      B.pending = false;
      setProps(ids().board_tick, {data: ++B.asked});
    } else if (moved) {
      B.pending = true;  // asked less than a second ago: ask again on a later tick
    }
    if (B.selected !== null) {
      const o = st.outage.get(B.selected);
      if (o !== B.shown && now - B.deskAt >= 1000) {
        B.shown = o;
        B.deskAt = now;
        setProps(ids().outage_live, {data: ++B.live});
      }
    }
  }

  function centre(o) {
    try {
      const map = G.map.gd && G.map.gd._fullLayout.map._subplot.map;
      if (o && o.lon != null && map) map.easeTo({center: [o.lon, o.lat], zoom: Math.max(map.getZoom(), 12), duration: 400});
    } catch (err) { /* the map is not drawn yet */ }
  }

  function pick(rows) {
    const row = rows && rows[0];
    if (!row) return NO();
    B.selected = String(row.id);
    B.shown = G.state.outage.get(B.selected);
    centre(B.shown);
    return row.id;
  }

  function tab(value) {
    B.tab = value || "orders";
    return [B.tab !== "orders", B.tab !== "outages", B.tab !== "screening", B.tab === "outages" || B.tab === "tickets",
            B.tab !== "outages", "console-side side-" + B.tab, B.tab !== "callbacks"];
  }

  // The button pressed among pattern-matched ones: its id, or null (a redraw re-creates buttons unpressed).
  function pressed() {
    const t = (window.dash_clientside.callback_context.triggered || []).find(x => x.value);
    if (!t) return null;
    try { return JSON.parse(t.prop_id.slice(0, t.prop_id.lastIndexOf("."))); } catch (err) { return null; }
  }

  function pickDevice() {
    const id = pressed();
    if (!id) return NO();
    setProps(ids().o_move_to, {value: id.device});
    document.querySelectorAll(".ol-dev.ol-picked").forEach(el => el.classList.remove("ol-picked"));
    const el = document.querySelector(`.ol-dev[data-device="${CSS.escape(id.device)}"]`);
    if (el) el.classList.add("ol-picked");
    return NO();
  }

  function openOrder() {
    const id = pressed();
    if (!id) return [NO(), NO()];
    G.map.selected = String(id.order);
    return [id.order, "orders"];
  }

  function openLaneOrder() {
    const id = pressed();
    if (!id) return NO();
    G.map.selected = String(id.order);
    return id.order;
  }

  B.tick = boardTick;
  window.dash_clientside = Object.assign({}, window.dash_clientside);
  window.dash_clientside.console_outages = {pick, tab, pickDevice, openOrder, openLaneOrder};
})();
