/* EventHub gate scanner: hand scanner (code + Enter), camera, manual look-up, walk-ins.
 *
 * The text field keeps the focus so that a USB/Bluetooth scanner, which types
 * the code and Enter, always lands in it. The camera is qr-camera.js. Each
 * scan carries a nonce: a retried request gets the first answer back.
 *
 * Offline (gate-offline.js): when the network, the server or the login fails,
 * the scan is decided on this device (the ticket's Ed25519 signature, the
 * event's admitted list, this device's own scans), answered green, amber or
 * red at once, and queued; the queue is sent when the server answers again,
 * and double entries (one ticket let in offline at two gates) are shown here.
 * The page itself and its scripts come from the service worker's cache
 * (scanner-sw.js) when the network is gone.
 */
(function () {
  "use strict";

  var config = JSON.parse(document.getElementById("scanner-config").textContent);
  var t = config.strings;
  var $ = function (id) { return document.getElementById(id); };
  var csrf = (document.querySelector("input[name=csrfmiddlewaretoken]") || {}).value || "";
  var gateKey = "eventhub.gate." + config.event;
  var deviceKey = "eventhub.device";

  var scanInput = $("scan-input");
  var answer = $("answer");
  var answerTimer = null;
  var busy = false;
  var cameraOn = false;

  function store(key, value) {
    try { if (value === undefined) { return window.localStorage.getItem(key) || ""; }
      window.localStorage.setItem(key, value); } catch (e) { /* private mode */ }
    return value || "";
  }

  function randomId() {
    if (window.crypto && window.crypto.randomUUID) { return window.crypto.randomUUID(); }
    var bytes = new Uint8Array(16);
    (window.crypto || window.msCrypto).getRandomValues(bytes);
    return Array.prototype.map.call(bytes, function (b) { return ("0" + b.toString(16)).slice(-2); }).join("");
  }

  function deviceId() {
    var id = store(deviceKey);
    if (!id) { id = "web-" + randomId().slice(0, 12); store(deviceKey, id); }
    return id;
  }

  /* --- Gate, chosen once per device ------------------------------------------------ */
  function showGate() {
    var gate = store(gateKey);
    $("gate-setup").hidden = !!gate;
    $("scan-panel").hidden = !gate;
    $("gate-chip").hidden = !gate;
    $("gate-name").textContent = gate;
    if (gate) { scanInput.focus({ preventScroll: true }); } else { $("gate-input").focus(); }
  }

  $("gate-form").addEventListener("submit", function (e) {
    e.preventDefault();
    var name = $("gate-input").value.trim();
    if (!name) { return; }
    store(gateKey, name.slice(0, 60));
    showGate();
  });

  $("gate-chip").addEventListener("click", function () {
    $("gate-input").value = store(gateKey);
    store(gateKey, "");
    stopCamera();
    showGate();
  });

  /* --- Focus: the hand scanner types into the scan field --------------------------- */
  function focusScan() {
    if ($("scan-panel").hidden || cameraOn) { return; }
    var active = document.activeElement;
    var elsewhere = active && active !== scanInput && active !== document.body &&
      active.closest && !active.closest("#answer") &&
      /^(INPUT|SELECT|TEXTAREA)$/.test(active.tagName);
    if (!elsewhere) { scanInput.focus({ preventScroll: true }); }
  }

  scanInput.addEventListener("blur", function () { setTimeout(focusScan, 150); });

  // On a touch screen the field keeps the focus without raising the on-screen
  // keyboard (a Bluetooth scanner types anyway); the keyboard button brings it.
  var touch = window.matchMedia && window.matchMedia("(pointer: coarse)").matches;
  var keyboardButton = $("keyboard-toggle");
  function setKeyboard(on) {
    scanInput.setAttribute("inputmode", on ? "text" : "none");
    keyboardButton.setAttribute("aria-pressed", on ? "true" : "false");
  }
  if (touch) { setKeyboard(false); keyboardButton.hidden = false; }
  keyboardButton.addEventListener("click", function () {
    setKeyboard(scanInput.getAttribute("inputmode") === "none");
    scanInput.blur();
    scanInput.focus({ preventScroll: true });
  });
  document.addEventListener("click", function () { setTimeout(focusScan, 0); });

  /* --- Feedback: colour, sound, vibration --------------------------------------------- */
  var audio = null;
  function beep(kind) {
    try {
      audio = audio || new (window.AudioContext || window.webkitAudioContext)();
      var tones = { ok: [[880, 0, 0.12]], warn: [[660, 0, 0.1], [660, 0.16, 0.1]], bad: [[220, 0, 0.45]] }[kind];
      tones.forEach(function (tone) {
        var osc = audio.createOscillator();
        var gain = audio.createGain();
        osc.type = kind === "bad" ? "square" : "sine";
        osc.frequency.value = tone[0];
        gain.gain.value = 0.2;
        osc.connect(gain); gain.connect(audio.destination);
        var start = audio.currentTime + tone[1];
        osc.start(start); osc.stop(start + tone[2]);
      });
    } catch (e) { /* no audio: colour and vibration still tell */ }
    if (navigator.vibrate) {
      navigator.vibrate({ ok: 80, warn: [80, 60, 80], bad: [300, 80, 300] }[kind]);
    }
  }

  function kindOf(result) {
    if (result === "ok") { return "ok"; }
    if (result === "already_checked_in") { return "warn"; }
    if (CALM[result]) { return "calm"; }
    return "bad";
  }

  function timeOf(iso) {
    return window.fairTime(iso);  // the fair's zone, not the device's
  }

  /* Calm screens: the gate could not tell, and says why; never "invalid". */
  var CALM = { network: true, offline: true, server: true, login: true, forbidden: true, error: true };

  function show(body) {
    var kind = kindOf(body.result);
    answer.className = "answer answer-" + kind;
    answer.dataset.result = body.result || "error";
    answer.dataset.source = body.source || "server";
    $("answer-icon").textContent = { ok: "✔", warn: "!", bad: "✖", calm: "ℹ" }[kind];
    $("answer-title").textContent = body.title || t[body.result] || t.error_title;
    $("answer-name").textContent = body.display_name || "";
    $("answer-category").textContent = body.category_label || "";
    $("answer-message").textContent = body.message || "";
    var source = $("answer-source");
    source.textContent = body.source_text || "";
    source.hidden = !body.source_text;
    $("answer-login").hidden = body.result !== "login";
    answer.hidden = false;
    beep(kind === "calm" ? "warn" : kind);
    if (kind !== "calm") { addRecent(body, kind); }
    clearTimeout(answerTimer);
    answerTimer = setTimeout(hideAnswer, kind === "ok" ? 2000 : 4000);
  }

  function hideAnswer() {
    clearTimeout(answerTimer);
    answer.hidden = true;
    focusScan();
  }
  answer.addEventListener("click", function (e) {
    if (e.target.closest && e.target.closest("a")) { return; }  // "Log in again"
    hideAnswer();
  });

  var recentByNonce = new Map();

  function recentText(body) {
    var title = body.title || t[body.result] || t.error_title;
    return title + (body.display_name ? " — " + body.display_name : "");
  }

  function addRecent(body, kind) {
    var li = document.createElement("li");
    li.className = "recent-" + kind;
    var when = document.createElement("span");
    when.className = "recent-time";
    when.textContent = timeOf(body.scanned_at || new Date().toISOString());
    var what = document.createElement("span");
    what.className = "recent-what";
    what.textContent = recentText(body);
    li.appendChild(when); li.appendChild(what);
    if (body.source === "device" && body.nonce) {  // decided here: waits for the server
      var mark = document.createElement("span");
      mark.className = "recent-waiting";
      mark.textContent = t.waiting_mark;
      li.appendChild(mark);
      li.dataset.nonce = body.nonce;
      recentByNonce.set(body.nonce, li);
    }
    if (config.undo_url && body.result === "ok" && body.ticket) {
      var undo = document.createElement("button");
      undo.type = "button"; undo.className = "link undo";
      undo.textContent = t.undo;
      undo.addEventListener("click", function (e) {
        e.stopPropagation();
        undo.disabled = true;
        post(config.undo_url, { ticket: body.ticket, reason: store(gateKey) }).then(function (response) {
          if (response.status !== 204) { undo.disabled = false; what.textContent = t.error_title; return; }
          li.className = "recent-undone";
          what.textContent = t.undone + (body.display_name ? " — " + body.display_name : "");
          undo.remove();
        }, function () { undo.disabled = false; what.textContent = t.offline_title; });
      });
      li.appendChild(undo);
    }
    var list = $("recent");
    $("recent-heading").hidden = false;
    list.insertBefore(li, list.firstChild);
    while (list.children.length > 8) {
      recentByNonce.delete(list.lastChild.dataset.nonce);
      list.removeChild(list.lastChild);
    }
  }

  /* --- Talking to the server ------------------------------------------------------ */
  var ONLINE_TIMEOUT_MS = 2500;  // then the device decides: a queue beats a crowd

  function post(url, data, timeoutMs) {
    return window.gateOffline.fetchWithin(url, {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRFToken": csrf, "Accept": "application/json" },
      body: JSON.stringify(data)
    }, timeoutMs || 15000);
  }

  /* The calm screen of a failure: "offline", "server", "login", "forbidden", "error".
   * A failing server reads like no network; "forbidden" says what its banner says. */
  var CALM_MESSAGE = { server: "offline_message", forbidden: "status_forbidden" };
  function calm(kind, message) {
    var fallback = t[CALM_MESSAGE[kind] || kind + "_message"] || "";
    return { result: kind, title: t[kind + "_title"], message: message || fallback };
  }

  /* --- The link to the server, and the offline store ------------------------------- */
  // "online", "offline" (no network), "server" (it fails), "login" (the
  // session ended), "forbidden" (no role here any more).
  var link = navigator.onLine === false ? "offline" : "online";
  var gate = null;        // gate-offline.js store; null where the browser cannot
  var syncTimer = null;
  var syncBackoff = 3000;
  var doublesKey = "eventhub.doubles." + config.event;
  var doublesSeen = new Set();
  try { doublesSeen = new Set(JSON.parse(store(doublesKey) || "[]")); } catch (e) { /* start afresh */ }

  function setLink(state) {
    link = state;
    renderStatus();
    if (state !== "online") { scheduleSync(syncBackoff); }
  }

  function renderStatus(syncing) {
    var status = $("link-status");
    var count = gate ? gate.waiting : 0;
    var text;
    if (syncing) {
      text = t.status_syncing.replace("%(count)s", count);
    } else if (link === "online") {
      text = count ? t.status_syncing.replace("%(count)s", count)
        : gate && gate.pack ? t.status_ready.replace("%(time)s", timeOf(gate.pack.fetched_at))
        : t.status_online;
    } else {
      text = (t["status_" + link] || t.status_offline).replace("%(count)s", count);
      if (!gate) { text += " · " + t.status_no_offline; }
    }
    status.className = "link-status link-" + (syncing ? "syncing" : link);
    status.dataset.state = link;
    status.dataset.waiting = String(count);
    status.dataset.pack = gate && gate.pack ? "ready" : "none";
    $("link-status-text").textContent = text;
    $("link-status-login").hidden = link !== "login";
  }

  function scheduleSync(delay) {
    clearTimeout(syncTimer);
    syncTimer = setTimeout(syncNow, delay);
  }

  function syncNow() {
    clearTimeout(syncTimer);
    if (!gate) {  // nothing kept here: only learn whether the server answers again
      window.gateOffline.fetchWithin(config.offline_url, { credentials: "same-origin" }, 8000).then(function (r) {
        return Promise.resolve(r.ok ? "online" : window.gateOffline.failure(r));
      }, function () { return "offline"; }).then(function (state) {
        link = state === "error" ? "server" : state;
        renderStatus();
        if (link !== "online") { syncBackoff = Math.min(syncBackoff * 2, 30000); scheduleSync(syncBackoff); }
      });
      return;
    }
    if (gate.waiting) { renderStatus(true); }
    gate.sync(deviceId()).then(function (outcome) {
      outcome.results.forEach(settleRecent);
      showDoubles(outcome.doubles, outcome.status === "ok");
      if (outcome.status === "ok") {
        syncBackoff = 3000;
        link = "online";
        renderStatus();
        gate.refresh().then(function () { renderStatus(); });
        scheduleSync(30000);  // a double entry found at another gate reaches this one too
      } else {
        link = outcome.status === "error" ? "server" : outcome.status;
        renderStatus();
        syncBackoff = Math.min(syncBackoff * 2, 30000);
        scheduleSync(syncBackoff);
      }
    });
  }

  /* A scan decided here, now answered by the server: its name, its fate. */
  function settleRecent(result) {
    var li = recentByNonce.get(result.nonce);
    if (!li) { return; }
    var mark = li.querySelector(".recent-waiting");
    if (mark) { mark.remove(); }
    var what = li.querySelector(".recent-what");
    what.textContent = recentText({ result: result.result, display_name: result.display_name });
    if (result.double_entry) {
      li.className = "recent-bad recent-double";
      what.textContent = t.double_entry + (result.display_name ? " — " + result.display_name : "");
    }
    recentByNonce.delete(result.nonce);
  }

  function showDoubles(doubles, complete) {
    if (!doubles || (!doubles.length && !complete)) { return; }
    var list = $("double-list");
    var fresh = false;
    list.textContent = "";
    doubles.slice().reverse().forEach(function (item) {  // newest first
      var li = document.createElement("li");
      var name = document.createElement("strong");
      name.textContent = item.display_name || "";
      li.appendChild(name);
      li.appendChild(document.createTextNode(" " + item.text));
      li.dataset.id = String(item.id);
      list.appendChild(li);
      if (!doublesSeen.has(item.id)) { fresh = true; doublesSeen.add(item.id); }
    });
    $("double-entries").hidden = !doubles.length;
    if (fresh) {
      store(doublesKey, JSON.stringify(Array.from(doublesSeen).slice(-200)));
      beep("bad");
    }
  }

  /* Decide on this device: the link is down (``why``) or did not answer in time. */
  function decideHere(scan, why) {
    if (!gate) { return Promise.resolve(show(calm(why))); }
    return gate.decide(scan.payload).then(function (decision) {
      if (decision.result === "unverifiable") {
        return show(calm(why, why === "login" ? t.login_message : t.unverifiable_message));
      }
      // Kept in memory at once (the next scan knows it), in IndexedDB a few
      // milliseconds later: the colour does not wait for the disk.
      var kept = gate.keep(scan, decision);
      var body = {
        result: decision.result,
        source: "device",
        source_text: t["checked_here_" + why] || t.checked_here_offline,
        nonce: scan.nonce,
        scanned_at: scan.scanned_at
      };
      if (decision.first) {
        body.message = t.first_here.replace("%(time)s", timeOf(decision.first.at)).replace("%(gate)s", decision.first.gate);
      }
      show(body);
      renderStatus();
      return kept;
    });
  }

  function checkIn(payload, method, attendeeId) {
    // A group's QR (its contact's group page) links to the group's gate page
    // of this fair on this site: open it, to admit the members (docs/groups.md).
    var groupPage = window.location.origin + "/staff/" + config.event + "/groups/";
    if (!attendeeId && payload.indexOf(groupPage) === 0) {
      window.location.assign(payload);
      return Promise.resolve(false);
    }
    var scan = { nonce: randomId(), payload: payload, gate: store(gateKey), scanned_at: new Date().toISOString() };
    if (!attendeeId && (link !== "online" || navigator.onLine === false)) {
      return decideHere(scan, link === "online" ? "offline" : link).then(function () { return false; });
    }
    var data = { gate: scan.gate, device: deviceId(), nonce: scan.nonce, method: method || "scan" };
    if (attendeeId) { data.attendee = attendeeId; } else { data.payload = payload; }
    var failed = function (why) {
      if (why !== "forbidden" && why !== "error") { setLink(why); }
      // A manual admission has no QR to check here: it waits for the server.
      if (attendeeId || why === "forbidden" || why === "error") {
        show(calm(why, attendeeId && why !== "forbidden" && why !== "login" ? t.retry_message : ""));
        return false;
      }
      // The same nonce goes with the queued scan: if this request did reach
      // the server, the sync gets its first answer back, nothing twice.
      return decideHere(scan, why).then(function () { return false; });
    };
    return post(config.checkin_url, data, attendeeId ? 15000 : ONLINE_TIMEOUT_MS).then(function (response) {
      if (!response.ok) { return Promise.resolve(window.gateOffline.failure(response)).then(failed); }
      return response.json().then(function (body) {
        show(body);
        if (gate && (body.result === "ok" || body.result === "already_checked_in")) { gate.noteAdmitted(body.ticket); }
        if (gate && gate.waiting) { scheduleSync(0); }
        return body.result === "ok";
      });
    }, function () { return failed("offline"); });
  }

  $("scan-form").addEventListener("submit", function (e) {
    e.preventDefault();
    var payload = scanInput.value.trim();
    scanInput.value = "";
    scanInput.focus({ preventScroll: true });
    if (!payload) { return; }
    checkIn(payload, "scan");
  });

  window.addEventListener("online", function () { syncNow(); });
  window.addEventListener("offline", function () { setLink("offline"); });

  function startOffline() {
    if ("serviceWorker" in navigator && config.sw_url) {
      navigator.serviceWorker.register(config.sw_url, { scope: config.sw_scope }).catch(function () {
        /* no page offline; scanning offline still works while this page is open */
      });
    }
    return window.gateOffline.open({
      event: config.event,
      packUrl: config.offline_url,
      syncUrl: config.sync_url,
      nobleUrl: $("scanner-script").dataset.noble,
      csrf: csrf
    }).then(function (opened) {
      gate = opened;
      renderStatus();
      if (!gate) { return; }
      gate.refresh().then(function (outcome) {
        if (outcome === "ok") { syncNow(); return; }
        setLink(outcome === "error" ? "server" : outcome);
      });
    });
  }

  /* --- Camera ------------------------------------------------------------------------ */
  var video = $("camera-video");
  var camera = null;

  function startCamera() {
    cameraOn = true;
    $("camera-view").hidden = false;
    $("camera-toggle").textContent = t.camera_stop;
    $("camera-note").textContent = "";
    window.qrCamera.start(video, {
      jsqr: $("scanner-script").dataset.jsqr,
      onText: function (text) { checkIn(text, "scan"); }
    }).then(function (controller) {
      if (!cameraOn) { controller.stop(); return; }
      camera = controller;
    }, function () { stopCamera(); $("camera-note").textContent = t.camera_unavailable; });
  }

  function stopCamera() {
    cameraOn = false;
    if (camera) { camera.stop(); }
    camera = null;
    $("camera-view").hidden = true;
    $("camera-toggle").textContent = t.camera_start;
  }

  $("camera-toggle").addEventListener("click", function (e) {
    e.stopPropagation();
    if (cameraOn) { stopCamera(); focusScan(); } else { startCamera(); }
  });

  /* --- Manual look-up ----------------------------------------------------------------- */
  $("search-form").addEventListener("submit", function (e) {
    e.preventDefault();
    var q = $("search-input").value.trim();
    var list = $("search-results");
    if (q.length < 2) { return; }
    fetch(config.search_url + "?q=" + encodeURIComponent(q), { credentials: "same-origin", headers: { "Accept": "application/json" } })
      .then(function (r) { return r.ok ? r.json() : []; })
      .then(function (rows) {
        list.textContent = "";
        if (!rows.length) {
          var none = document.createElement("li"); none.textContent = t.no_results; list.appendChild(none); return;
        }
        rows.forEach(function (row) {
          var li = document.createElement("li");
          var who = document.createElement("span");
          who.className = "who";
          var name = document.createElement("strong"); name.textContent = row.display_name;
          var extra = document.createElement("small");
          var notes = [row.email];
          if (row.status !== "confirmed") { notes.push(t["status_" + row.status] || row.status); }
          if (row.checked_in_at) { notes.push(t.checked_in_at.replace("%(time)s", timeOf(row.checked_in_at))); }
          extra.textContent = notes.filter(Boolean).join(" · ");
          who.appendChild(name); who.appendChild(document.createElement("br")); who.appendChild(extra);
          li.appendChild(who);
          if (row.id) {
            var button = document.createElement("button");
            button.type = "button"; button.className = "primary";
            button.textContent = t.check_in;
            button.addEventListener("click", function () {
              checkIn("", "manual", row.id).then(function (admitted) {
                if (!admitted) { return; }  // the answer screen said why; the button stays
                var done = document.createElement("span");
                done.className = "done-mark";
                done.textContent = "✔";
                button.replaceWith(done);
              });
            });
            li.appendChild(button);
          }
          list.appendChild(li);
        });
      }, function () { list.textContent = t.offline_title + " — " + t.retry_message; });
  });

  /* --- Walk-ins ----------------------------------------------------------------------- */
  $("walk-in-form").addEventListener("submit", function (e) {
    e.preventDefault();
    var form = e.target;
    var errors = $("walk-in-errors");
    var data = { gate: store(gateKey), device: deviceId(), nonce: randomId(), language: document.documentElement.lang || "en" };
    var missing = [];
    Array.prototype.forEach.call(form.elements, function (el) {
      if (!el.name) { return; }
      data[el.name] = el.value.trim();
      el.closest(".field").classList.remove("has-error");
      el.removeAttribute("aria-invalid");
      if (el.required && !data[el.name]) { missing.push(el); }
    });
    errors.hidden = true;
    if (missing.length) {  // e.g. where they come from: asked of every walk-in
      missing.forEach(function (el) {
        el.closest(".field").classList.add("has-error");
        el.setAttribute("aria-invalid", "true");
      });
      errors.textContent = t.fix_fields;
      errors.hidden = false;
      missing[0].focus();
      return;
    }
    post(config.walk_in_url, data).then(function (response) {
      return response.json().then(function (body) {
        if (response.status === 201) {
          form.reset();
          show(body);
          return;
        }
        var fields = (body.error && body.error.fields) || {};
        Object.keys(fields).forEach(function (name) {
          var el = form.elements[name];
          if (el) { el.closest(".field").classList.add("has-error"); }
        });
        errors.textContent = (body.error && body.error.message) || t.error_title;
        errors.hidden = false;
      });
    }, function () { errors.textContent = t.offline_title + " — " + t.retry_message; errors.hidden = false; });
  });

  showGate();
  renderStatus();
  startOffline();
})();
