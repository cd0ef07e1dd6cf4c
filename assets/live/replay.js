/* GridCommand, a replay wall: the replay's clock. The replayed stream itself is applied by state.js like the live
   one (same `update` batches, from namespace /replay); this file only keeps the time the replay has reached, so
   the clock, the alarms and the time limits read replay time, not now. Nothing runs when this file loads. */
(function () {
  "use strict";
  const G = window.gridcmd = window.gridcmd || {};
  const R = {at: null, seenAt: 0, speed: 1, end: null, stopped: false};

  function cfg() { return (G.config && G.config.replay) || {}; }

  // An update's or a snapshot's replay time: the replay's clock runs on from it at the replay's speed.
  function at(iso, view) {
    const t = Date.parse(iso);
    if (Number.isNaN(t)) return;
    R.at = t;
    R.seenAt = Date.now();
    if (view && view.status) R.stopped = ["done", "stopped", "failed"].indexOf(view.status) >= 0;
  }

  function now() {
    const c = cfg();
    const start = Date.parse(c.from), end = Date.parse(c.to), speed = c.speed || 1;
    if (R.at === null) return Number.isNaN(start) ? Date.now() : start;
    const t = R.stopped ? R.at : R.at + (Date.now() - R.seenAt) * speed;
    return Number.isNaN(end) ? t : Math.min(t, end);
  }

  // The banner's line: "REPLAY 回放 · 2026-10-12 14:00 · 10×".
  function banner() {
    const c = cfg();
    if (!c.id) return window.dash_clientside.no_update;
    const d = new Date(now());
    const day = G.fmt(d, {year: "numeric", month: "2-digit", day: "2-digit"});
    return `${G.tr("replay.banner", "REPLAY 回放")} · ${day} ${G.fmt(d, {hour: "2-digit", minute: "2-digit"})} · ${c.speed}×`;
  }

  // The picker: play a recorded period at a speed, then open its wall. The server decides who may (403 otherwise).
  function play(clicks, choices) {
    const NO = window.dash_clientside.no_update;
    const ctx = window.dash_clientside.callback_context;
    const which = ctx && ctx.triggered_id;
    if (!which || !choices || !(clicks || []).some(n => n)) return NO;
    const [i, speed] = String(which.index).split(":");
    const rec = choices[Number(i)];
    if (!rec) return NO;
    fetch("/api/v1/replays", {method: "POST", credentials: "same-origin", headers: {"Content-Type": "application/json"},
                              body: JSON.stringify({from: rec.from, to: rec.to, speed: Number(speed)})})
      .then(res => res.json().then(body => ({ok: res.ok, body})))
      .then(({ok, body}) => {
        if (ok) { window.location.assign("/wall?replay=" + encodeURIComponent(body.id)); return; }
        const id = G.config && G.config.ids ? G.config.ids.replay_message : "replay-message";
        window.dash_clientside.set_props(id, {children: (body.error && body.error.message) || "error"});
      })
      .catch(err => console.warn("replay not started", err));
    return "…";
  }

  G.replay = {at, now, banner};
  window.dash_clientside = Object.assign({}, window.dash_clientside);
  window.dash_clientside.replay = {banner, play};
})();
