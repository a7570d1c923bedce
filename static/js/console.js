/* Doctor console: a live view of one station's queue.
 *
 * Listens on /ws/stations/<id>/ (snapshot, then deltas with seq; a gap asks
 * for a resync) and acts through the staff API. The server decides who is
 * called; this page only shows what the socket says. */
(function () {
  "use strict";
  var config = JSON.parse(document.getElementById("console-config").textContent);
  var T = config.text;
  var csrf = document.querySelector("input[name=csrfmiddlewaretoken]").value;
  var EARLY_MS = 5 * 60 * 1000;
  var state = { seq: -1, entries: {}, station: null, stations: [], order: [], figures: {} };
  var orderTimer = null;
  var socket = null;
  // What the doctor typed per entry, kept across re-renders (a delta from
  // another station must never wipe a half-written note).
  var drafts = {};
  var retry = 500;

  var el = function (id) { return document.getElementById(id); };

  function h(tag, attrs, children) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (key) {
      if (key === "text") node.textContent = attrs[key];
      else if (key === "class") node.className = attrs[key];
      else node.setAttribute(key, attrs[key]);
    });
    (children || []).forEach(function (child) { if (child) node.appendChild(child); });
    return node;
  }

  function flagList(flags) {
    var list = h("ul", { class: "flags" });
    (flags || []).forEach(function (flag) {
      list.appendChild(h("li", { class: "flag", text: config.flagLabels[flag] || flag }));
    });
    return list;
  }

  // The server's serving order (``waiting_order``) comes with the snapshot and
  // every delta: the list shows exactly who "Call next" takes. This local rank
  // only places people beyond the order's first few (the server's rule).
  function rank(entry, now) {
    var due = Date.parse(entry.due_at);
    var group;
    if (entry.station_id !== null && entry.station_id !== undefined) group = 0;
    else if (entry.kind === "appointment" && due <= now + EARLY_MS) group = 1;
    else if (entry.kind === "walk_in") group = 2;
    else group = 3;
    return [group, due, entry.id];
  }

  function compare(a, b) {
    for (var i = 0; i < a.length; i++) { if (a[i] !== b[i]) return a[i] < b[i] ? -1 : 1; }
    return 0;
  }

  function time(iso) {
    return window.fairTime(iso);  // the fair's zone, not the device's
  }

  function render() {
    var now = Date.now();
    var all = Object.keys(state.entries).map(function (k) { return state.entries[k]; });
    var mine = all.filter(function (e) {
      return e.station_id === config.station && (e.status === "called" || e.status === "in_progress");
    });
    var waiting = all.filter(function (e) { return e.status === "waiting"; });
    var index = {};
    state.order.forEach(function (id, i) { index[id] = i; });
    waiting.sort(function (a, b) {
      var ia = a.id in index ? index[a.id] : Infinity;
      var ib = b.id in index ? index[b.id] : Infinity;
      if (ia !== ib) return ia < ib ? -1 : 1;
      return compare(rank(a, now), rank(b, now));
    });

    var current = el("current");
    var focused = document.activeElement && current.contains(document.activeElement)
      ? document.activeElement.id : null;
    current.replaceChildren();
    if (!mine.length) current.appendChild(h("p", { class: "meta", text: T.nobody }));
    mine.forEach(function (entry) { current.appendChild(currentCard(entry)); });
    if (focused && el(focused)) {
      var again = el(focused);
      again.focus();
      if (again.type === "text") again.setSelectionRange(again.value.length, again.value.length);
    }

    var body = el("waiting");
    body.replaceChildren();
    if (!waiting.length) {
      body.appendChild(h("tr", {}, [h("td", { colspan: "4", class: "meta", text: T.empty })]));
    }
    waiting.forEach(function (entry) {
      var kind = entry.kind === "appointment" ? T.appointment + " " + time(entry.slot_starts_at) : T.walkIn;
      body.appendChild(h("tr", { "data-entry": entry.id }, [
        h("td", { class: "number", text: entry.number }),
        h("td", { text: entry.first_name }),
        h("td", { text: kind }),
        h("td", {}, [flagList(entry.flags)]),
      ]));
    });
    el("waiting-count").textContent = waiting.length;
    var figures = state.figures;
    el("wait-estimate").textContent = typeof figures.estimated_wait_minutes === "number"
      ? T.average.replace("{minutes}", figures.average_service_minutes) + " · " +
        T.wait.replace("{minutes}", figures.estimated_wait_minutes)
      : "";
    var open = state.station ? state.station.open : true;
    el("paused-banner").hidden = open;
    var toggle = el("toggle-open");
    toggle.dataset.open = open ? "1" : "0";
    toggle.textContent = open ? T.pause : T.reopen;
    el("call-next").disabled = !open;
  }

  function currentCard(entry) {
    var card = h("article", { class: "current-card " + entry.status, "data-entry": entry.id });
    card.appendChild(h("p", { class: "queue-number", text: entry.number }));
    card.appendChild(h("p", { class: "person", text: entry.first_name || "—" }));
    card.appendChild(h("p", { class: "meta", text: config.statusLabels[entry.status] +
      (entry.recalls ? " ×" + (entry.recalls + 1) : "") }));
    card.appendChild(flagList(entry.flags));
    var buttons = h("div", { class: "console-actions" });
    function button(label, cls, action, body) {
      var b = h("button", { type: "button", class: cls, text: label });
      b.addEventListener("click", function () { act("queue-entries/" + entry.id + "/" + action + "/", body ? body() : {}); });
      buttons.appendChild(b);
    }
    if (entry.status === "called") {
      button(T.start, "primary", "start");
      button(T.recall, "secondary", "recall");
      button(T.noShow, "danger", "no-show");
    }
    var draft = drafts[entry.id] || (drafts[entry.id] = { referral: false, note: "" });
    var referral = h("input", { type: "checkbox", id: "referral-" + entry.id });
    var note = h("input", { type: "text", maxlength: "500", id: "note-" + entry.id, "aria-label": T.note, placeholder: T.note });
    referral.checked = draft.referral;
    note.value = draft.note;
    referral.addEventListener("change", function () { draft.referral = referral.checked; });
    note.addEventListener("input", function () { draft.note = note.value; });
    if (entry.status === "in_progress") {
      card.appendChild(h("div", { class: "outcome" }, [
        h("label", { class: "checkbox", for: "referral-" + entry.id }, [referral, h("span", { text: T.referral })]),
        note,
      ]));
    }
    button(T.complete, entry.status === "in_progress" ? "primary" : "secondary", "complete", function () {
      return { referral_recommended: referral.checked, note: note.value };
    });
    var options = el("hand-over-options").content;
    if (options.children.length) {
      var select = h("select", { "aria-label": T.handOver });
      select.appendChild(options.cloneNode(true));
      var send = h("button", { type: "button", class: "secondary", text: T.handOver });
      send.addEventListener("click", function () {
        act("queue-entries/" + entry.id + "/hand-over/", { station: Number(select.value) });
      });
      buttons.appendChild(h("span", { class: "hand-over" }, [send, select]));
    }
    card.appendChild(buttons);
    return card;
  }

  function showError(message) {
    var box = el("action-error");
    box.textContent = message || "";
    box.hidden = !message;
  }

  function act(path, body) {
    showError("");
    return fetch(config.api + path, {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRFToken": csrf, "Accept": "application/json" },
      body: JSON.stringify(body || {}),
    }).then(function (response) {
      if (response.status === 204) { showError(T.empty); return null; }
      if (!socket || socket.readyState !== WebSocket.OPEN) setTimeout(resync, 0);
      return response.json().then(function (data) {
        if (!response.ok) {
          showError((data.error && data.error.message) || T.error);
          resync();
          return null;
        }
        if (data && data.id && data.number) {  // apply at once; the delta confirms it
          state.entries[data.id] = data;
          render();
        }
        return data;
      });
    }).catch(function () { showError(T.error); resync(); });
  }

  // Over the socket when it is up; over HTTP otherwise (a proxy that blocks
  // WebSockets still leaves a working console).
  function resync() {
    if (socket && socket.readyState === WebSocket.OPEN) {
      socket.send(JSON.stringify({ type: "resync" }));
      return;
    }
    fetch(config.api + "stations/" + config.station + "/", {
      credentials: "same-origin", headers: { "Accept": "application/json" },
    }).then(function (response) { return response.ok ? response.json() : null; })
      .then(function (snapshot) { if (snapshot) apply(snapshot); })
      .catch(function () {});
  }

  // The figures every board and console of the service shows alike.
  function applyFigures(message) {
    if (Array.isArray(message.waiting_order)) state.order = message.waiting_order;
    ["waiting_count", "estimated_wait_minutes", "average_service_minutes"].forEach(function (key) {
      if (key in message) state.figures[key] = message[key];
    });
    if ("order_changes_at" in message) {
      // An early appointment holder's slot comes: the order changes by itself.
      clearTimeout(orderTimer);
      if (message.order_changes_at) {
        var wait = Date.parse(message.order_changes_at) - Date.now();
        orderTimer = setTimeout(resync, Math.max(wait, 0) + 1000);
      }
    }
  }

  function apply(message) {
    if (message.type === "snapshot") {
      state.seq = message.seq;
      state.entries = {};
      message.waiting.concat(message.current).forEach(function (e) { state.entries[e.id] = e; });
      state.station = message.station;
      state.stations = message.stations;
      state.order = [];
      state.figures = {};
      applyFigures(message);
      render();
      return;
    }
    if (typeof message.seq !== "number") return;
    if (message.seq <= state.seq) return;
    if (message.seq !== state.seq + 1) { resync(); return; }
    state.seq = message.seq;
    applyFigures(message);
    if (message.type === "queue.entry_removed") {
      delete state.entries[message.entry.id];
      delete drafts[message.entry.id];
    } else if (message.entry) {
      state.entries[message.entry.id] = message.entry;
    }
    if (message.type === "queue.station_updated" && message.station.id === config.station) {
      state.station = message.station;
    }
    render();
  }

  // While the socket is down, poll the snapshot so the list stays current.
  setInterval(function () {
    if (!socket || socket.readyState !== WebSocket.OPEN) resync();
  }, 5000);

  function connect() {
    var scheme = location.protocol === "https:" ? "wss://" : "ws://";
    socket = new WebSocket(scheme + location.host + config.socket);
    socket.addEventListener("open", function () {
      retry = 500;
      var conn = el("conn");
      conn.textContent = T.live;
      conn.className = "conn live";
    });
    socket.addEventListener("message", function (event) { apply(JSON.parse(event.data)); });
    socket.addEventListener("close", function () {
      var conn = el("conn");
      conn.textContent = T.offline;
      conn.className = "conn offline";
      setTimeout(connect, retry);
      retry = Math.min(retry * 2, 10000);
    });
  }

  var toggle = el("toggle-open");
  el("call-next").addEventListener("click", function () { act("stations/" + config.station + "/call-next/", {}); });
  toggle.addEventListener("click", function () {
    var open = toggle.dataset.open === "1";
    act("stations/" + config.station + (open ? "/pause/" : "/open/"), {}).then(function (data) {
      if (data && typeof data.open === "boolean") { state.station = data; render(); }
    });
  });
  apply(JSON.parse(document.getElementById("console-snapshot").textContent));
  connect();
})();
