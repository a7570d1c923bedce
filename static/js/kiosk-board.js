/* The "now serving" board: numbers and stations only, never names.
 *
 * State: every active entry by id, the ids being served (latest call first),
 * and what the server sends with the snapshot and each delta: the waiting
 * order (exactly who the stations call next), the figures, and the numbers
 * recently called whose visit ended ("recent", newest first).
 */
(function () {
  "use strict";
  var config = Kiosk.config();
  var texts = JSON.parse(document.getElementById("kiosk-texts").textContent);
  var entries = new Map();
  var servingIds = [];
  var waitingOrder = [];
  var figures = {};
  var recent = [];
  var orderTimer = null;
  var SERVING = ["called", "in_progress"];
  var GONE = ["done", "no_show", "cancelled"];

  function item(className, text) {
    var span = document.createElement("span");
    span.className = className;
    span.textContent = text || "";
    return span;
  }

  // The station's name in the board's current language (the page carries
  // every language's; the socket sends one), else the socket's.
  function stationNames(entry) {
    return (config.stations || {})[String(entry.station_id)] || null;
  }

  function stationName(entry) {
    var names = stationNames(entry);
    var language = Kiosk.language || (config.languages || [])[0];
    return (names && (names[language] || names.en)) || entry.station;
  }

  function stationItem(entry) {
    var span = item("station", stationName(entry));
    var names = stationNames(entry);
    if (names) span.dataset.i18n = JSON.stringify(names);
    return span;
  }

  function render(freshId) {
    var serving = servingIds.map(function (id) { return entries.get(id); }).filter(Boolean).slice(0, 5);
    var list = document.getElementById("serving");
    list.replaceChildren.apply(list, serving.map(function (entry) {
      var li = document.createElement("li");
      li.dataset.entry = entry.id;
      if (entry.id === freshId) li.classList.add("fresh");
      li.append(item("number", entry.number), stationItem(entry));
      return li;
    }));
    document.getElementById("serving-empty").hidden = serving.length > 0;
    var waiting = waitingOrder.map(function (id) { return entries.get(id); }).filter(Boolean);
    var next = document.getElementById("next");
    next.replaceChildren.apply(next, waiting.slice(0, 8).map(function (entry) {
      var li = document.createElement("li");
      li.textContent = entry.number;
      return li;
    }));
    var strip = document.getElementById("recent");
    strip.replaceChildren.apply(strip, recent.map(function (entry) {
      var li = document.createElement("li");
      li.dataset.entry = entry.id;
      li.append(item("number", entry.number), item("station", entry.station));
      return li;
    }));
    document.getElementById("recent-box").hidden = recent.length === 0;
    var count = typeof figures.waiting_count === "number" ? figures.waiting_count : waiting.length;
    document.getElementById("waiting").textContent = count;
    var minutes = figures.estimated_wait_minutes;
    document.getElementById("wait").textContent =
      typeof minutes === "number" ? Kiosk.t(texts, "%(minutes)s min").replace("%(minutes)s", minutes) : "–";
  }

  function announce(entry) {
    Kiosk.chime();
    var phrase = Kiosk.t(texts, "Number %(number)s, please go to %(station)s.")
      .replace("%(number)s", entry.number.split("").join(" "))
      .replace("%(station)s", stationName(entry) || Kiosk.t(texts, "station"));
    setTimeout(function () { Kiosk.say(phrase, Kiosk.language); }, 800);
  }

  function applyFigures(message) {
    if (Array.isArray(message.waiting_order)) waitingOrder = message.waiting_order;
    if (Array.isArray(message.recent)) recent = message.recent;
    if ("order_changes_at" in message) {
      // An early appointment holder's slot comes: the order changes by itself.
      clearTimeout(orderTimer);
      if (message.order_changes_at) {
        var wait = Date.parse(message.order_changes_at) - Date.now();
        orderTimer = setTimeout(function () {
          window.kioskSocket.send({ type: "resync" });
        }, Math.max(wait, 0) + 1000);
      }
    }
    ["waiting_count", "estimated_wait_minutes"].forEach(function (key) {
      if (key in message) figures[key] = message[key];
    });
  }

  // Latest call first, as the snapshot orders them: a call (or a recall)
  // moves the number to the top; starting the exam leaves it where it is.
  function place(entry, called) {
    var serving = SERVING.indexOf(entry.status) >= 0;
    if (serving && !called && servingIds.indexOf(entry.id) >= 0) {
      entries.set(entry.id, entry);
      return;
    }
    servingIds = servingIds.filter(function (id) { return id !== entry.id; });
    if (GONE.indexOf(entry.status) >= 0) {
      entries.delete(entry.id);
      return;
    }
    entries.set(entry.id, entry);
    if (serving) servingIds.unshift(entry.id);
  }

  window.kioskSocket = new LiveSocket({
    url: config.socket_url,
    pollUrl: config.poll_url,
    onStatus: Kiosk.setStatus,
    onSnapshot: function (snapshot) {
      entries = new Map();
      servingIds = [];
      (snapshot.serving || []).forEach(function (entry) {
        entries.set(entry.id, entry);
        servingIds.push(entry.id);
      });
      (snapshot.waiting || []).forEach(function (entry) { entries.set(entry.id, entry); });
      figures = {};
      recent = [];
      applyFigures(snapshot);
      render(null);
    },
    onDelta: function (message) {
      applyFigures(message);
      var entry = message.entry;
      if (!entry) { render(null); return; }
      if (message.type === "queue.entry_removed") entry = Object.assign({}, entry, { status: "done" });
      var called = message.type === "queue.entry_called" && SERVING.indexOf(entry.status) >= 0;
      place(entry, called);
      render(called ? entry.id : null);
      if (called) announce(entry);
    },
  }).start();
  Kiosk.cycleLanguages(config.languages, 8000);
})();
