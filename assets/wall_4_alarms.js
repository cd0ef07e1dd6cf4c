/* GridCommand wall, part 4: the alarms ticker. Derived in the browser every second from the live state: orders
   entering each escalation level (催办) and going overdue, outages with vulnerable or important customers, queues
   below their service level. A new (or louder) alarm flashes once and stays listed until its cause is gone. */
(function () {
  "use strict";
  const G = window.gridcmd = window.gridcmd || {};
  const S = () => G.state;
  const SL_TARGET = 0.8, MIN_OFFERED = 5, SHOWN = 7, FLASH_MS = 4000;
  const A = {list: new Map(), primed: false, sound: false, beeps: 0};
  G.alarms = A;

  function conditions(i18n) {
    const found = new Map();
    const st = S();
    const names = (G.map && G.map.meta && G.map.meta.grid_names) || {};
    const levels = G.levels();
    for (const w of st.workorder.values()) {
      const level = levels.get(w.id) || 0;
      if (!level) continue;
      const left = G.minutesLeft(w);
      const when = left >= 0 ? `${i18n["alarm.left"]} ${Math.ceil(left)} ${i18n["wall.min"]}`
                             : `${i18n["alarm.late"]} ${Math.floor(-left)} ${i18n["wall.min"]}`;
      found.set(`wo:${w.id}`, {severity: level, order: true, tag: level >= 4 ? i18n["alarm.overdue"] : `${i18n["alarm.level"]} ${level}`,
        text: `#${w.id} ${names[w.grid_id] || w.address || ""} · ${when}` + (w.sensitive ? " · ▲" : "")});
    }
    for (const o of st.outage.values()) {
      if (!o.sensitive_customers) continue;
      found.set(`out:${o.id}`, {severity: 3, tag: i18n["alarm.sensitive"],
        text: `${i18n["outage." + o.kind] || o.kind} · ${o.customers_affected} ${i18n["alarm.customers"]} · ▲ ${o.sensitive_customers}`});
    }
    for (const q of st.queue.values()) {
      if (q.service_level === null || q.service_level === undefined || q.service_level >= SL_TARGET) continue;
      if ((q.offered_today || 0) < MIN_OFFERED) continue;  // two calls are no service level yet
      found.set(`q:${q.id}`, {severity: 3, tag: i18n["alarm.queue"],
        text: `${i18n["queue." + q.id] || q.id} · ${G.pct(q.service_level)} · ${q.waiting} ${i18n["wall.waiting"]}`});
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

  function update(now, i18n) {
    const found = conditions(i18n);
    let loud = false;
    for (const [key, a] of found) {
      const old = A.list.get(key);
      if (!old || a.severity > old.severity) {
        // What was already wrong when the wall started is listed, not flashed: a restart must not ring.
        a.since = old ? old.since : now;
        a.flashUntil = A.primed ? now + FLASH_MS : 0;
        if (A.primed && a.severity >= 3) loud = true;
        A.list.set(key, a);
      } else {
        old.text = a.text;
        old.tag = a.tag;
      }
    }
    for (const key of [...A.list.keys()]) if (!found.has(key)) A.list.delete(key);
    A.primed = true;
    if (loud) beep();
  }

  function alarms(_n, i18n) {
    const st = S();
    if (st.seq === null) return G.el("div", {className: "alarm-none"}, i18n["wall.connecting"]);
    const now = Date.now();
    update(now, i18n);
    if (!A.list.size) return G.el("div", {className: "alarm-none"}, i18n["wall.alarms.none"]);
    // The chips count orders per escalation level; outage and queue alarms are listed, not counted as levels.
    const counts = [1, 2, 3, 4].map(l => [...A.list.values()].filter(a => a.order && a.severity === l).length);
    const chips = G.el("div", {className: "alarm-chips"}, counts.map((n, i) =>
      G.el("span", {className: `alarm-chip sev-${i + 1}`}, `${i18n["warn." + (i + 1)]} ${n}`)));
    const sorted = [...A.list.values()].sort((a, b) => (b.severity - a.severity) || (b.since - a.since));
    const rows = sorted.slice(0, SHOWN).map(a => G.el("div",
      {className: `alarm sev-${a.severity}` + (a.flashUntil > now ? " alarm-new" : "")},
      [G.el("span", {className: "alarm-time"}, G.fmt(new Date(a.since), {hour: "2-digit", minute: "2-digit"})),
       G.el("span", {className: "alarm-tag"}, a.tag), G.el("span", {className: "alarm-text"}, a.text)]));
    const more = sorted.length > SHOWN ? [G.el("div", {className: "alarm-more"}, `${i18n["wall.alarms.more"]} ${sorted.length - SHOWN}`)] : [];
    return [chips, ...rows, ...more];
  }

  function toggleSound(n, i18n) {
    A.sound = n % 2 === 1;
    if (A.sound) beep();
    return [`${i18n["wall.sound"]} ${i18n[A.sound ? "wall.on" : "wall.off"]}`, `header-button ${A.sound ? "sound-on" : "sound-off"}`];
  }

  window.dash_clientside = Object.assign({}, window.dash_clientside);
  window.dash_clientside.gridcmd = Object.assign({}, window.dash_clientside.gridcmd, {alarms, toggleSound});
})();
