/* GridCommand wall: the alarms ticker, derived every second from the live state: orders at each 催办 level (the
   server's levels) and overdue, queues below their service level, outages with vulnerable or important customers,
   planned outages noticed later than their rule (the server's notice_ok) until they end.
   A new (or louder) alarm flashes once and stays listed until its cause is gone. */
(function () {
  "use strict";
  const G = window.gridcmd = window.gridcmd || {};
  const S = () => G.state;
  const MIN_OFFERED = 5, SHOWN = 7, FLASH_MS = 4000;
  const QUEUE_SEVERITY = 3.5;  // a queue losing callers outranks a level-3 order: it is many customers at once
  const A = {list: new Map(), primed: false, sound: false, beeps: 0};
  G.alarms = A;

  function conditions(cfg) {
    const found = new Map();
    const st = S(), tr = G.tr;
    const names = (G.map && G.map.meta && G.map.meta.grid_names) || {};
    for (const w of st.workorder.values()) {
      const level = w.level || 0;
      if (!level) continue;
      const left = G.minutesLeft(w);
      const when = left === null ? "" : left >= 0 ? ` · ${tr("alarm.left")} ${Math.ceil(left)} ${tr("wall.min")}`
                                                 : ` · ${tr("alarm.late")} ${Math.floor(-left)} ${tr("wall.min")}`;
      found.set(`wo:${w.id}`, {severity: level, order: true, at: w.due_at,
        tag: level >= cfg.levels ? tr("alarm.overdue") : `${tr("alarm.level")} ${level}`,
        text: `#${w.id} ${names[w.grid_id] || w.address || ""}${when}` + (w.sensitive ? " · ▲" : "")});
    }
    for (const o of st.outage.values()) {
      const care = o.care_customers || o.sensitive_customers;
      if (!care || o.covered_by) continue;  // a covered outage's care customers alarm once, in the larger one
      const where = o.device_id ? `${o.device_id} · ${tr("outage." + (o.status === "predicted" ? "predicted" : o.kind))}`
                                : tr("outage." + o.kind, o.kind);
      found.set(`out:${o.id}`, {severity: 3, at: o.start, tag: tr("alarm.sensitive"),
        text: `▲ ${care} · ${o.customers_affected} ${tr("alarm.customers")} · ${where}`});
    }
    for (const o of [...st.outage.values(), ...st.upcoming.values()]) {
      if (o.kind !== "planned" || o.notice_ok !== false) continue;
      const where = (o.districts || []).join("、") || (o.device_ids || []).join("、");
      found.set(`notice:${o.id}`, {severity: 2, at: o.start, tag: tr("alarm.notice_late"),
        text: `${where} · ${o.customers_affected} ${tr("alarm.customers")} · ${tr("alarm.rule." + o.notice_rule, "")}`});
    }
    for (const q of st.queue.values()) {
      if (q.service_level === null || q.service_level === undefined || q.service_level >= cfg.service_level_target) continue;
      if ((q.offered_today || 0) < MIN_OFFERED) continue;  // two calls are no service level yet
      found.set(`q:${q.id}`, {severity: QUEUE_SEVERITY, at: null, tag: tr("alarm.queue"),
        text: `${tr("queue." + q.id, q.id)} · ${G.pct(q.service_level)} · ${q.waiting} ${tr("wall.waiting")}`});
    }
    return found;
  }

  function beep() {
    if (!A.sound) return;
    try {
      const ctx = A.ctx || (A.ctx = new (window.AudioContext || window.webkitAudioContext)());
      const osc = ctx.createOscillator(), gain = ctx.createGain();
      osc.frequency.value = 880;
      gain.gain.setValueAtTime(0.2, ctx.currentTime);
      gain.gain.exponentialRampToValueAtTime(0.001, ctx.currentTime + 0.5);
      osc.connect(gain).connect(ctx.destination);
      osc.start(); osc.stop(ctx.currentTime + 0.5);
      A.beeps++;
    } catch (err) { /* no audio device on this screen: the flash is the alarm */ }
  }

  function update(now, cfg) {
    const found = conditions(cfg);
    let loud = false;
    for (const [key, a] of found) {
      const old = A.list.get(key);
      if (!old || a.severity > old.severity) {
        // What was already wrong when the wall started is listed, not flashed: a restart must not ring.
        a.seen = old ? old.seen : now;
        a.flashUntil = A.primed ? now + FLASH_MS : 0;
        if (A.primed && a.severity >= 3) loud = true;
        A.list.set(key, a);
      } else {
        Object.assign(old, {text: a.text, tag: a.tag, at: a.at});
      }
    }
    for (const key of [...A.list.keys()]) if (!found.has(key)) A.list.delete(key);
    A.primed = true;
    if (loud) beep();
  }

  function alarms(_n, cfg) {
    const st = S(), tr = G.tr;
    if (!cfg) return window.dash_clientside.no_update;
    if (st.seq === null) return G.el("div", {className: "alarm-none"}, tr("wall.connecting"));
    const now = G.now();
    update(now, cfg);
    if (!A.list.size) return G.el("div", {className: "alarm-none"}, tr("wall.alarms.none"));
    // The chips count orders per escalation level; outage and queue alarms are listed, not counted as levels.
    const levels = [...Array(cfg.levels).keys()].map(i => i + 1);
    const counts = levels.map(l => [...A.list.values()].filter(a => a.order && a.severity === l).length);
    const chips = G.el("div", {className: "alarm-chips"}, counts.map((n, i) =>
      G.el("span", {className: `alarm-chip sev-${i + 1}`}, [tr("warn." + (i + 1)), G.el("b", {}, String(n))])));
    const sorted = [...A.list.values()].sort((a, b) => (b.severity - a.severity) || (b.seen - a.seen));
    // The time beside an alarm is the server's: when the order is due (or was), when the outage began.
    const rows = sorted.slice(0, SHOWN).map(a => G.el("div",
      {className: `alarm sev-${Math.floor(a.severity)}` + (a.flashUntil > now ? " alarm-new" : "")},
      [G.el("span", {className: "alarm-time"}, a.at ? G.hm(a.at) : G.hm(new Date(a.seen).toISOString())),
       G.el("span", {className: "alarm-tag"}, a.tag), G.el("span", {className: "alarm-text"}, a.text)]));
    const more = sorted.length > SHOWN ? [G.el("div", {className: "alarm-more"}, `${tr("wall.alarms.more")} ${sorted.length - SHOWN}`)] : [];
    return [chips, ...rows, ...more];
  }

  function toggleSound(n) {
    A.sound = n % 2 === 1;
    if (A.sound) beep();
    return [`${G.tr("wall.sound")} ${G.tr(A.sound ? "wall.on" : "wall.off")}`, `header-button ${A.sound ? "sound-on" : "sound-off"}`];
  }

  window.dash_clientside = Object.assign({}, window.dash_clientside);
  window.dash_clientside.wall = Object.assign({}, window.dash_clientside.wall, {alarms, toggleSound});
})();
