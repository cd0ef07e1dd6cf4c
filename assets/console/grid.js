/* GridCommand console: how the order list formats its cells (AG Grid evaluates these by name, without eval). The
   words come from the page's config; time left counts in the browser from the server's due time. */
(function () {
  "use strict";
  const G = window.gridcmd = window.gridcmd || {};
  const fns = window.dashAgGridFunctions = window.dashAgGridFunctions || {};
  const tr = (k, f) => (G.tr ? G.tr(k, f) : f || k);

  fns.orderStatus = params => (params.value ? tr("order." + params.value, params.value) : "");
  fns.orderCategory = params => (params.value ? tr("category." + params.value, params.value) : "");
  fns.orderLevel = params => (params.value ? tr("warn." + params.value) : params.data ? tr("console.in_time") : "");
  fns.levelClass = params => (params.value ? `level-${Math.min(params.value, 4)}` : "");
  fns.sensitiveMark = params => (params.value ? "▲" : "");
  fns.timeLeft = params => {
    const left = params.data ? G.minutesLeft(params.data) : null;
    if (left === null || left === undefined) return params.data ? "–" : "";
    return left >= 0 ? `${Math.floor(left)} ${tr("wall.min")}` : `-${Math.ceil(-left)} ${tr("wall.min")}`;
  };
  fns.leftClass = params => {
    const left = params.data ? G.minutesLeft(params.data) : null;
    return left !== null && left < 0 ? "late" : left !== null && left < 10 ? "soon" : "";
  };
})();
