/* GridCommand wall: fit the fixed 1920×1080 canvas to whatever screen shows it (a 4K projector, a 1366×768
   laptop) with CSS zoom, so nothing reflows or scrolls; and the kiosk mode of /kiosk. Started by the page. */
(function () {
  "use strict";
  const G = window.gridcmd = window.gridcmd || {};
  const W = 1920, H = 1080;
  let started = false;

  function fit() {
    const canvas = G.config && document.getElementById(G.config.ids.canvas);
    if (!canvas) return false;
    const scale = Math.min(window.innerWidth / W, window.innerHeight / H);
    canvas.style.zoom = String(scale);
    // Centre the letterboxed canvas (margins are in the canvas's own, zoomed, pixels).
    canvas.style.marginLeft = `${Math.max(0, (window.innerWidth / scale - W) / 2)}px`;
    canvas.style.marginTop = `${Math.max(0, (window.innerHeight / scale - H) / 2)}px`;
    window.dispatchEvent(new Event("gridcmd-fit"));
    return true;
  }

  function kiosk() {
    document.body.classList.add("kiosk");
    // Browsers allow full screen only after a gesture; a kiosk browser (chromium --kiosk) is full screen anyway.
    const go = () => { if (!document.fullscreenElement && document.documentElement.requestFullscreen) {
      document.documentElement.requestFullscreen().catch(() => {}); } };
    document.addEventListener("click", go, {once: true});
    document.addEventListener("keydown", go, {once: true});
  }

  function start(cfg) {
    if (!cfg || started) return window.dash_clientside.no_update;
    started = true;
    window.addEventListener("resize", fit);
    if (cfg.kiosk) kiosk();
    // The canvas comes with the layout this callback arrived with: fit it as soon as it is in the page.
    const wait = setInterval(() => { if (fit()) clearInterval(wait); }, 50);
    return true;
  }

  G.fit = fit;
  window.dash_clientside = Object.assign({}, window.dash_clientside);
  window.dash_clientside.wall = Object.assign({}, window.dash_clientside.wall, {start});
})();
