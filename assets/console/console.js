/* GridCommand console: the list kept fresh by the live stream (at most once a second, selection kept), the map
   linked both ways, and the keyboard: arrows move, Enter opens, 1-5 asks to send the ranked crew, Enter confirms,
   Escape cancels. Started by the page's config; nothing runs when this file loads. */
(function () {
  "use strict";
  const G = window.gridcmd = window.gridcmd || {};
  const C = {started: false, listRev: -1, refreshedAt: 0, pending: null, selected: null};
  G.console = C;
  const NO = () => window.dash_clientside.no_update;
  const ids = () => G.config.ids;
  const api = () => {
    try {
      return window.dash_ag_grid && window.dash_ag_grid.getApi ? window.dash_ag_grid.getApi(ids().grid) : null;
    } catch (err) { return null; }  // not initialised yet (the first ticks after the page loads)
  };

  // Bring the order into view on the map (the list and the map follow each other).
  function centre(id) {
    const order = G.state.workorder.get(String(id));
    try {
      const map = G.map.gd && G.map.gd._fullLayout.map._subplot.map;
      if (order && map) map.easeTo({center: [order.lon, order.lat], zoom: Math.max(map.getZoom(), 11.5), duration: 400});
    } catch (err) { /* the map is not drawn yet: it shows the ring when it is */ }
  }

  function select(orderId) {
    const id = String(orderId);
    C.selected = id;
    G.map.selected = id;
    centre(id);
    const grid = api();
    const node = grid && grid.getRowNode(id);
    if (node) {
      node.setSelected(true);
      grid.ensureNodeVisible(node);
    }
    if (window.dash_clientside.set_props && G.laidOut(ids().selected)) {
      window.dash_clientside.set_props(ids().selected, {data: Number(id)});
    }
  }

  function pick(rows) {
    const row = rows && rows[0];
    if (!row) return NO();
    C.selected = String(row.id);
    G.map.selected = C.selected;
    centre(C.selected);
    return row.id;
  }

  function refilter() {
    const grid = api();
    if (grid) grid.purgeInfiniteCache();
    return NO();
  }

  // Once a second: the map from the live state; the list re-asked when an order changed (its rows keep their
  // selection by id); time left counts down in the cells.
  function tick() {
    if (!C.started) return NO();
    G.redrawMap();
    if (G.consoleBoard) G.consoleBoard.tick(Date.now());  // the outage list and the lane (outages.js)
    const grid = api();
    if (!grid) return NO();
    const st = G.state, now = Date.now();
    if (st.listRev !== C.listRev && now - C.refreshedAt >= 1000) {
      C.listRev = st.listRev;
      C.refreshedAt = now;
      grid.refreshInfiniteCache();
    } else {
      grid.refreshCells({columns: ["left", "level"], force: true});
    }
    const left = document.querySelector(".desk-left[data-due]");
    if (left && left.dataset.due) {
      const mins = (Date.parse(left.dataset.due) - now) / 60000;
      left.textContent = mins >= 0 ? `${G.tr("alarm.left")} ${Math.floor(mins)} ${G.tr("wall.min")}`
                                   : `${G.tr("alarm.late")} ${Math.ceil(-mins)} ${G.tr("wall.min")}`;
    }
    return NO();
  }

  function confirmBar() { return document.getElementById(ids().confirm); }

  function ask(rank) {
    const button = document.querySelector(`.assign-button[data-rank="${rank}"]`);
    if (!button) return;
    C.pending = button;
    const bar = confirmBar();
    bar.textContent = G.tr("console.confirm").replace("{crew}", button.dataset.crew).replace("{eta}", button.dataset.eta);
    bar.hidden = false;
  }

  function cancel() {
    C.pending = null;
    const bar = confirmBar();
    if (bar) bar.hidden = true;
  }

  function typing(target) {
    return target && (target.tagName === "INPUT" || target.tagName === "TEXTAREA" || target.isContentEditable);
  }

  function onKey(ev) {
    if (ev.key === "Escape") { cancel(); return; }
    if (C.pending && ev.key === "Enter") {
      ev.preventDefault();
      const button = C.pending;
      cancel();
      button.click();
      return;
    }
    if (typing(ev.target) || ev.altKey || ev.ctrlKey || ev.metaKey) return;
    const grid = api();
    const tab = G.consoleBoard ? G.consoleBoard.tab : "orders";  // the order desk is out of sight on "outages"
    if (/^[1-5]$/.test(ev.key)) { if (tab !== "outages") { ev.preventDefault(); ask(Number(ev.key)); } return; }
    if (!grid || tab !== "orders") return;
    if ((ev.key === "ArrowDown" || ev.key === "ArrowUp") && !grid.getFocusedCell()) {
      ev.preventDefault();  // the first arrow press brings the list into play at its most urgent order
      grid.ensureIndexVisible(0);
      grid.setFocusedCell(0, "id");
      return;
    }
    if (ev.key === "Enter") {
      const cell = grid.getFocusedCell();
      const node = cell && grid.getDisplayedRowAtIndex(cell.rowIndex);
      if (node && node.data) { ev.preventDefault(); select(node.data.id); }
    }
  }

  function start(cfg) {
    if (!cfg || C.started) return NO();
    C.started = true;
    G.map.onSelect = select;
    document.addEventListener("keydown", onKey, true);
    return true;
  }

  window.dash_clientside = Object.assign({}, window.dash_clientside);
  window.dash_clientside.console = {start, pick, refilter, tick};
})();
