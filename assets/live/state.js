/* GridCommand, every live page: the in-browser live state. Applies `update` batches in seq order; a gap is filled
   from the server's recent updates (GET /api/v1/updates?after=seq), and only if those are gone from a snapshot.
   State lives here, not in a dcc.Store: 10,000 orders copied through Dash props per update would cost more than
   the update. Dash sees only a small {seq, rev} summary. Nothing runs when this file loads: a page calls start()
   with its config (layouts/live.py), through a clientside callback. */
(function () {
  "use strict";
  const G = window.gridcmd = window.gridcmd || {};
  const KINDS = ["workorder", "crew", "outage", "seat", "queue"];
  const S = {
    seq: null, syncing: false, pending: [], rev: 0, mapRev: 0, seatRev: 0, listRev: 0, ticketRev: 0,
    lastUpdate: null,
    workorder: new Map(), crew: new Map(), outage: new Map(), seat: new Map(), queue: new Map(), kpi: {},
    upcoming: new Map(),  // planned outages not started yet: shown apart, counted nowhere
    resyncs: 0, gapFills: 0, applied: 0, connected: null, resyncLog: [], firstSnapshotMs: null,
  };
  const L = {started: false, open: new Set(), listeners: []};
  const NO = () => window.dash_clientside.no_update;

  // The page shows what is live: a restored or closed order, an ended outage leave the state.
  function isLive(kind, data) {
    if (!data) return false;
    if (kind === "workorder") return L.open.has(data.status);
    if (kind === "outage") return data.active !== false && !data.end;
    return true;
  }

  function upsert(kind, id, data) {
    const map = S[kind];
    const old = map.get(id);
    // A late, older copy (a snapshot raced an update) must not overwrite a newer one.
    if (old && old.version !== undefined && data.version !== undefined && data.version < old.version) return;
    if (isLive(kind, data)) map.set(id, data); else map.delete(id);
    if (kind === "outage") {
      if (data.status === "scheduled") S.upcoming.set(id, data); else S.upcoming.delete(id);
    }
  }

  function applyChanges(changes) {
    for (const c of changes) {
      if (c.kind === "kpi") { S.kpi = c.data || {}; continue; }
      if (c.kind === "ticket") { S.ticketRev++; continue; }  // counted only: the console asks for its list
      if (KINDS.indexOf(c.kind) < 0) continue;
      if (c.op === "remove") { S[c.kind].delete(String(c.id)); if (c.kind === "outage") S.upcoming.delete(String(c.id)); }
      else upsert(c.kind, String(c.id), c.data);
      if (c.kind === "workorder" || c.kind === "crew" || c.kind === "outage") S.mapRev++;
      if (c.kind === "workorder") S.listRev++;
      if (c.kind === "seat") S.seatRev++;
    }
    S.rev++;
    S.applied++;
    S.lastUpdate = new Date();
    if (G.mapChanged) G.mapChanged();  // the map draws when the data moved, not on the next tick
  }

  function applySnapshot(snap) {
    for (const k of KINDS) S[k].clear();
    S.upcoming.clear();
    for (const o of snap.upcoming || []) S.upcoming.set(String(o.id), o);
    for (const o of snap.workorders) if (isLive("workorder", o)) S.workorder.set(String(o.id), o);
    for (const c of snap.crews) S.crew.set(String(c.id), c);
    for (const o of snap.outages) if (isLive("outage", o)) S.outage.set(String(o.id), o);
    for (const s of snap.seats) S.seat.set(String(s.id), s);
    for (const q of snap.queues) S.queue.set(String(q.id), q);
    S.kpi = snap.kpis || {};
    S.seq = snap.seq;
    if (G.replay && G.config.replay) G.replay.at(snap.replay_at, snap.replay);
    S.mapRev++;
    S.seatRev++;
    S.listRev++;
    S.rev++;
    S.lastUpdate = new Date();
  }

  // Start-up milestones in the browser's performance timeline, for bench/wall_render.py and DevTools.
  function mark(name) { try { performance.mark("gridcmd:" + name); } catch (err) { /* old browser */ } }

  function meta() { return {seq: S.seq, rev: S.rev, resyncs: S.resyncs, applied: S.applied}; }

  // Dash's set_props fails inside the renderer when the component is not laid out yet (the snapshot can come
  // first): only once the layout holds it.
  G.laidOut = function (id) {
    const state = window.store && window.store.getState && window.store.getState();
    return Boolean(state && state.paths && state.paths.strs && state.paths.strs[id]);
  };

  function publish() {
    const id = G.config && G.config.ids.meta;
    if (id && window.dash_clientside && window.dash_clientside.set_props && G.laidOut(id)) {
      window.dash_clientside.set_props(id, {data: meta()});
    }
  }

  function apply(u) {
    applyChanges(u.changes);
    S.seq = u.seq;
    if (G.replay && G.config.replay) G.replay.at(u.at);
  }

  function drainPending() {
    S.pending.sort((a, b) => a.seq - b.seq);
    while (S.pending.length) {
      const u = S.pending[0];
      if (u.seq <= S.seq) { S.pending.shift(); continue; }
      if (u.seq !== S.seq + 1) return false;  // still a hole
      S.pending.shift();
      apply(u);
    }
    return true;
  }

  async function getJSON(url) {
    const res = await fetch(url, {credentials: "same-origin", cache: "no-store"});
    if (res.status === 401) {
      window.location.assign("/login?next=" + encodeURIComponent(location.pathname + location.search));
      throw new Error("signed out");
    }
    return res;
  }
  G.getJSON = getJSON;

  // A replay wall fills its gaps from its replay's own updates, never from the live stream's.
  function updatesUrl() { return (G.config && G.config.updates_url) || "/api/v1/updates"; }

  // A missed update or two (two pushes in one browser tick collapse into one): fetch just those. The newest
  // may still be on its way into the server's ring when we ask, so a remaining hole is asked about again.
  async function fillGap() {
    for (let attempt = 0; attempt < 4 && S.seq !== null; attempt++) {
      if (attempt) await new Promise(r => setTimeout(r, 150 * attempt));
      try {
        const res = await getJSON(updatesUrl() + "?after=" + S.seq);
        if (!res.ok) { S.gapMiss = `${res.status} after ${S.seq}`; return false; }  // 410: no longer held here
        const got = (await res.json()).updates;
        for (const u of got) S.pending.push(u);
        if (drainPending()) { S.gapFills++; return true; }
        S.gapMiss = `hole after ${S.seq}`;
      } catch (err) { S.gapMiss = String(err); return false; }
    }
    return false;
  }

  // The page's head started the first snapshot request before Dash's scripts loaded (layouts/page.py).
  function firstOrNewSnapshot() {
    const url = G.config.snapshot_url;
    const early = window.gridcmdFirstSnapshot;
    window.gridcmdFirstSnapshot = null;
    if (early && early.url === url) {
      return early.answer.then(res => (res.status === 401 ? getJSON(url) : res), () => getJSON(url));
    }
    return getJSON(url);
  }

  async function resync(full) {
    if (S.syncing) return;
    S.syncing = true;
    try {
      if (!full && await fillGap()) return;
      S.resyncs++;
      S.resyncLog = S.resyncLog.slice(-19).concat([{at: new Date().toISOString(), why: full ? "start or reconnect" : `gap not filled (${S.gapMiss})`}]);
      for (let attempt = 0; ; attempt++) {
        try {
          const res = await firstOrNewSnapshot();
          if (!res.ok) throw new Error("snapshot " + res.status);
          mark("snapshot-response");
          const snap = await res.json();
          mark("snapshot-parsed");
          applySnapshot(snap);
          if (S.firstSnapshotMs === null) { S.firstSnapshotMs = performance.now(); mark("snapshot-applied"); }
          if (drainPending() || await fillGap()) break;
        } catch (err) {
          if (String(err.message) === "signed out") return;
          console.warn("resync failed, retrying", err);
          await new Promise(r => setTimeout(r, Math.min(1000 * (attempt + 1), 5000)));
        }
      }
    } finally {
      S.syncing = false;
      publish();
    }
  }

  // Dash records every input change in an undo history that never shrinks (plotly/dash#727) and copies the
  // whole array on each change: a page ticking for days would grow it by hundreds of thousands. Error
  // recovery only ever reverts one step, so a few are kept.
  const HISTORY_KEPT = 5;
  function trimHistory() {
    const state = window.store && window.store.getState && window.store.getState();
    const past = state && state.history && state.history.past;
    if (Array.isArray(past) && past.length > HISTORY_KEPT) past.splice(0, past.length - HISTORY_KEPT);
  }

  // A wall may hold one live connection for weeks without another request; its sign-in is renewed by use, so
  // it asks the server something small every half hour (an up-to-date /updates answers an empty list).
  const KEEP_SIGNED_IN_MS = 30 * 60 * 1000;
  function keepSignedIn() {
    if (S.seq !== null && !S.syncing) getJSON(updatesUrl() + "?after=" + S.seq).catch(() => null);
  }

  // The page's config arrived with its layout: start once, then keep going for the page's life.
  function start(config) {
    if (!config) return NO();
    G.config = config;
    L.open = new Set(config.open_statuses);
    if (config.title) document.title = `${G.tr(config.title)} · ${G.tr("wall.title")}`;
    document.documentElement.lang = config.lang === "en" ? "en" : "zh-CN";
    if (L.started) return NO();
    L.started = true;
    setInterval(trimHistory, 1000);
    setInterval(keepSignedIn, KEEP_SIGNED_IN_MS);
    resync(true);  // the snapshot is already on its way (the page's head asked): take it without waiting for hello
    return meta();
  }

  function onUpdate(u) {
    if (!L.started || !u || typeof u.seq !== "number") return NO();
    if (S.syncing || S.seq === null) { S.pending.push(u); if (!S.syncing && S.seq === null) resync(true); return NO(); }
    if (u.seq <= S.seq) return NO();
    if (u.seq !== S.seq + 1) { S.pending.push(u); resync(false); return NO(); }
    apply(u);
    // Nothing in Dash is re-run per update: panels and maps read the state on their 1 s tick.
    return NO();
  }

  function onHello(hello) {
    if (!L.started || !hello) return NO();
    // Every (re)connect may follow missed updates: catch up from the recent ones if the server still has
    // them (a short blip), else take a fresh snapshot; keep what arrives meanwhile.
    resync(S.seq === null);
    return NO();
  }

  function clock() {
    const d = new Date(G.now());  // a replay wall shows the replay's time, never now
    return [G.el("span", {className: "clock-date"}, G.fmt(d, {year: "numeric", month: "2-digit", day: "2-digit", weekday: "short"})),
            G.el("span", {className: "clock-time"}, G.hms(d))];
  }

  function link(connected) {
    S.connected = connected;
    // A resync while the socket is up is routine healing (a dropped batch), not a lost link: stay green.
    if (connected && S.seq !== null) {
      return G.config && G.config.replay ? [`▶ ${G.tr("replay.link", "REPLAY")}`, "link link-replay"]
                                         : [`● ${G.tr("wall.connected", "LIVE")}`, "link link-ok"];
    }
    if (connected === false || S.lastUpdate) {
      const last = S.lastUpdate ? G.hms(S.lastUpdate) : "–";
      return [`${G.tr("wall.reconnecting", "reconnecting · last update")} ${last}`, "link link-lost"];
    }
    return [G.tr("wall.connecting", "connecting"), "link link-connecting"];
  }

  Object.assign(G, {state: S, resync: () => resync(true), mark});
  window.dash_clientside = Object.assign({}, window.dash_clientside);
  window.dash_clientside.live = {start, onUpdate, onHello, clock, link};
})();
