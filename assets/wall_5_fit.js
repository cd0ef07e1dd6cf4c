/* GridCommand wall, part 5: fit the fixed 1920×1080 canvas to whatever screen shows it (a 4K projector, a
   1366×768 laptop) with CSS zoom, so nothing reflows or scrolls; and the kiosk mode of /kiosk. */
(function () {
  "use strict";
  const W = 1920, H = 1080;

  function fit() {
    const canvas = document.getElementById("wall-canvas");
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
    const params = new URLSearchParams(location.search);
    if (params.get("kiosk") !== "1") return;
    document.body.classList.add("kiosk");
    // Browsers allow full screen only after a gesture; a kiosk browser (chromium --kiosk) is full screen anyway.
    const go = () => { if (!document.fullscreenElement && document.documentElement.requestFullscreen) {
      document.documentElement.requestFullscreen().catch(() => {}); } };
    document.addEventListener("click", go, {once: true});
    document.addEventListener("keydown", go, {once: true});
  }

  window.addEventListener("resize", fit);
  document.addEventListener("DOMContentLoaded", kiosk);
  // The canvas is rendered by Dash after load: fit as soon as it exists.
  const wait = setInterval(() => { if (fit()) clearInterval(wait); }, 50);
  window.gridcmd = Object.assign(window.gridcmd || {}, {fit});
})();
