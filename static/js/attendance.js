/* Organizer's attendance page: live totals from /ws/events/{event}/stats/.
 * A gap in the sequence numbers asks the server for a fresh snapshot. */
(function () {
  "use strict";
  var totals = document.getElementById("totals");
  var strings = JSON.parse(document.getElementById("attendance-strings").textContent);
  var state = document.getElementById("live-state");
  var seq = null;
  var retry = 1000;

  function render(message) {
    Array.prototype.forEach.call(totals.querySelectorAll("[data-total]"), function (dd) {
      var key = dd.dataset.total;
      if (key in message) { dd.textContent = message[key]; }
    });
    var body = document.getElementById("by-gate");
    body.textContent = "";
    Object.keys(message.by_gate || {}).sort().forEach(function (gate) {
      var tr = document.createElement("tr");
      var name = document.createElement("td"); name.textContent = gate || "—";
      var n = document.createElement("td"); n.textContent = message.by_gate[gate];
      tr.appendChild(name); tr.appendChild(n); body.appendChild(tr);
    });
  }

  function connect() {
    var scheme = window.location.protocol === "https:" ? "wss://" : "ws://";
    var socket = new WebSocket(scheme + window.location.host + totals.dataset.socket);
    socket.onopen = function () { retry = 1000; state.textContent = strings.live; };
    socket.onmessage = function (e) {
      var message = JSON.parse(e.data);
      if (message.type === "snapshot") { seq = message.seq; render(message); return; }
      if (message.type !== "stats") { return; }
      if (seq !== null && message.seq !== seq + 1) {
        socket.send(JSON.stringify({ type: "resync" }));
        return;
      }
      seq = message.seq;
      render(message);
    };
    socket.onclose = function () {
      state.textContent = strings.offline;
      setTimeout(connect, retry);
      retry = Math.min(retry * 2, 15000);
    };
  }
  if (window.WebSocket) { connect(); }
})();
