/* EventHub gate scanner: hand scanner (code + Enter), camera, manual look-up, walk-ins.
 *
 * The text field keeps the focus so that a USB/Bluetooth scanner, which types
 * the code and Enter, always lands in it. The camera uses the browser's
 * BarcodeDetector where present, else the vendored jsQR decoder. Each scan
 * carries a nonce: a retried request gets the first answer back.
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
    return "bad";
  }

  function timeOf(iso) {
    return window.fairTime(iso);  // the fair's zone, not the device's
  }

  function show(body) {
    var kind = body.result ? kindOf(body.result) : "bad";
    answer.className = "answer answer-" + kind;
    answer.dataset.result = body.result || "error";
    $("answer-icon").textContent = { ok: "✔", warn: "!", bad: "✖" }[kind];
    $("answer-title").textContent = t[body.result] || t.invalid;
    $("answer-name").textContent = body.display_name || "";
    $("answer-category").textContent = body.category_label || "";
    $("answer-message").textContent = body.message || "";
    answer.hidden = false;
    beep(kind);
    addRecent(body, kind);
    clearTimeout(answerTimer);
    answerTimer = setTimeout(hideAnswer, kind === "ok" ? 2000 : 4000);
  }

  function hideAnswer() {
    clearTimeout(answerTimer);
    answer.hidden = true;
    focusScan();
  }
  answer.addEventListener("click", hideAnswer);

  function addRecent(body, kind) {
    var li = document.createElement("li");
    li.className = "recent-" + kind;
    var when = document.createElement("span");
    when.className = "recent-time";
    when.textContent = timeOf(new Date().toISOString());
    var what = document.createElement("span");
    what.textContent = (t[body.result] || t.error) + (body.display_name ? " — " + body.display_name : "");
    li.appendChild(when); li.appendChild(what);
    if (config.undo_url && body.result === "ok" && body.ticket) {
      var undo = document.createElement("button");
      undo.type = "button"; undo.className = "link undo";
      undo.textContent = t.undo;
      undo.addEventListener("click", function (e) {
        e.stopPropagation();
        undo.disabled = true;
        post(config.undo_url, { ticket: body.ticket, reason: store(gateKey) }).then(function (response) {
          if (response.status !== 204) { undo.disabled = false; what.textContent = httpError(response); return; }
          li.className = "recent-undone";
          what.textContent = t.undone + (body.display_name ? " — " + body.display_name : "");
          undo.remove();
        }, function () { undo.disabled = false; });
      });
      li.appendChild(undo);
    }
    var list = $("recent");
    $("recent-heading").hidden = false;
    list.insertBefore(li, list.firstChild);
    while (list.children.length > 6) { list.removeChild(list.lastChild); }
  }

  /* --- Talking to the API --------------------------------------------------------------- */
  function post(url, data) {
    return fetch(url, {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRFToken": csrf, "Accept": "application/json" },
      body: JSON.stringify(data)
    });
  }

  function httpError(response) {
    if (response.status === 401) { return t.login; }
    if (response.status === 403) { return t.forbidden; }
    return t.error;
  }

  function checkIn(payload, method, attendeeId) {
    // A group's QR (its contact's group page) links to the group's gate page
    // of this fair on this site: open it, to admit the members (docs/groups.md).
    var groupPage = window.location.origin + "/staff/" + config.event + "/groups/";
    if (!attendeeId && payload.indexOf(groupPage) === 0) {
      window.location.assign(payload);
      return Promise.resolve();
    }
    var data = { gate: store(gateKey), device: deviceId(), nonce: randomId(), method: method || "scan" };
    if (attendeeId) { data.attendee = attendeeId; } else { data.payload = payload; }
    var attempt = function (tries) {
      return post(config.checkin_url, data).then(function (response) {
        if (!response.ok) { return show({ result: "", message: httpError(response) }); }
        return response.json().then(show);
      }, function () {
        // Network hiccup: the same nonce makes the retry safe.
        if (tries > 0) { return attempt(tries - 1); }
        show({ result: "", message: t.error });
      });
    };
    return attempt(1);
  }

  $("scan-form").addEventListener("submit", function (e) {
    e.preventDefault();
    var payload = scanInput.value.trim();
    scanInput.value = "";
    scanInput.focus({ preventScroll: true });
    if (!payload) { return; }
    checkIn(payload, "scan");
  });

  /* --- Camera ------------------------------------------------------------------------ */
  var video = $("camera-video");
  var stream = null;
  var detector = null;
  var canvas = null;
  var lastRead = { text: "", at: 0 };

  function loadJsQR() {
    return new Promise(function (resolve, reject) {
      if (window.jsQR) { return resolve(window.jsQR); }
      var script = document.createElement("script");
      script.src = $("scanner-script").dataset.jsqr;
      script.onload = function () { resolve(window.jsQR); };
      script.onerror = reject;
      document.head.appendChild(script);
    });
  }

  function makeDecoder() {
    if ("BarcodeDetector" in window) {
      return window.BarcodeDetector.getSupportedFormats().then(function (formats) {
        if (formats.indexOf("qr_code") < 0) { throw new Error("no qr"); }
        detector = new window.BarcodeDetector({ formats: ["qr_code"] });
        return function () {
          return detector.detect(video).then(function (codes) { return codes.length ? codes[0].rawValue : ""; });
        };
      }).catch(function () { return jsQRDecoder(); });
    }
    return jsQRDecoder();
  }

  function jsQRDecoder() {
    return loadJsQR().then(function (jsQR) {
      canvas = canvas || document.createElement("canvas");
      var ctx = canvas.getContext("2d", { willReadFrequently: true });
      return function () {
        var w = video.videoWidth, h = video.videoHeight;
        if (!w || !h) { return Promise.resolve(""); }
        var scale = Math.min(1, 640 / Math.max(w, h));
        canvas.width = Math.round(w * scale); canvas.height = Math.round(h * scale);
        ctx.drawImage(video, 0, 0, canvas.width, canvas.height);
        var image = ctx.getImageData(0, 0, canvas.width, canvas.height);
        var code = jsQR(image.data, image.width, image.height, { inversionAttempts: "dontInvert" });
        return Promise.resolve(code ? code.data : "");
      };
    });
  }

  function loop(decode) {
    if (!cameraOn) { return; }
    decode().then(function (text) {
      var now = Date.now();
      // The same code stays in view: count it once, not on every frame.
      if (text && (text !== lastRead.text || now - lastRead.at > 3000)) {
        lastRead = { text: text, at: now };
        checkIn(text, "scan");
      } else if (text) { lastRead.at = now; }
    }).catch(function () { /* a frame that could not be read */ }).then(function () {
      setTimeout(function () { window.requestAnimationFrame(function () { loop(decode); }); }, 120);
    });
  }

  function startCamera() {
    if (!navigator.mediaDevices || !navigator.mediaDevices.getUserMedia) {
      $("camera-note").textContent = t.camera_unavailable;
      return;
    }
    navigator.mediaDevices.getUserMedia({ video: { facingMode: "environment" }, audio: false })
      .then(function (s) {
        stream = s; video.srcObject = s; cameraOn = true;
        $("camera-view").hidden = false;
        $("camera-toggle").textContent = t.camera_stop;
        $("camera-note").textContent = "";
        return video.play().then(makeDecoder).then(loop);
      })
      .catch(function () { stopCamera(); $("camera-note").textContent = t.camera_unavailable; });
  }

  function stopCamera() {
    cameraOn = false;
    if (stream) { stream.getTracks().forEach(function (track) { track.stop(); }); }
    stream = null;
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
              checkIn("", "manual", row.id).then(function () {
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
      }, function () { list.textContent = t.error; });
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
        errors.textContent = (body.error && body.error.message) || httpError(response);
        errors.hidden = false;
      });
    }, function () { errors.textContent = t.error; errors.hidden = false; });
  });

  showGate();
})();
