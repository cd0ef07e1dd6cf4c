/* GridCommand console, service tickets (投诉, 举报, 咨询, 业务): their tab's list and desk shown with the tab, and
   picking a ticket. The list itself is the server's, asked for with the board (outages.js) when tickets moved. */
(function () {
  "use strict";
  const NO = () => window.dash_clientside.no_update;

  function tab(value) {
    const shown = value === "tickets";
    return [!shown, !shown];
  }

  // The button pressed among pattern-matched ones (a redraw re-creates them unpressed).
  function open() {
    const t = (window.dash_clientside.callback_context.triggered || []).find(x => x.value);
    if (!t) return NO();
    try {
      const id = JSON.parse(t.prop_id.slice(0, t.prop_id.lastIndexOf(".")));
      return typeof id.ticket === "number" ? id.ticket : NO();
    } catch (err) { return NO(); }
  }

  window.dash_clientside = Object.assign({}, window.dash_clientside);
  window.dash_clientside.console_tickets = {tab, open};
})();
