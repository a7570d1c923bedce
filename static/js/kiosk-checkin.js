/* Self check-in terminal: scan a ticket, see the day, join a screening queue. */
(function () {
  "use strict";
  var config = Kiosk.config();
  var texts = JSON.parse(document.getElementById("kiosk-texts").textContent);
  var input = document.getElementById("scan-input");
  var idle = document.getElementById("idle");
  var answer = document.getElementById("answer");
  var resetTimer = null;
  var lastPayload = null;
  var busy = false;

  function t(message) { return Kiosk.t(texts, message, document.documentElement.lang); }

  function post(url, body) {
    return fetch(url, {
      method: "POST",
      headers: { "Content-Type": "application/json", Accept: "application/json" },
      body: JSON.stringify(body),
    }).then(function (response) {
      return response.json().then(function (data) { return { status: response.status, data: data }; });
    });
  }

  function reset() {
    clearTimeout(resetTimer);
    answer.hidden = true;
    idle.hidden = false;
    document.getElementById("number-box").hidden = true;
    document.getElementById("print").hidden = true;
    lastPayload = null;
    input.value = "";
    input.focus();
  }

  function later() {
    clearTimeout(resetTimer);
    resetTimer = setTimeout(reset, 45000);
  }

  function show(result, ok) {
    var box = document.getElementById("result");
    box.className = "result " + (ok ? "ok" : "bad");
    box.textContent = result;
    idle.hidden = true;
    answer.hidden = false;
    later();
  }

  function showNumber(data, serviceName) {
    document.getElementById("number").textContent = data.number;
    document.getElementById("number-info").textContent = t("You are number %(position)s in line, about %(minutes)s min.")
      .replace("%(position)s", data.position).replace("%(minutes)s", data.estimated_wait_minutes);
    document.getElementById("number-box").hidden = false;
    var receipt = document.getElementById("receipt");
    receipt.innerHTML = "";
    [config.event_name, serviceName, data.number, new Date().toLocaleTimeString()].forEach(function (line, i) {
      var p = document.createElement("p");
      if (i === 2) p.className = "big-number";
      p.textContent = line;
      receipt.appendChild(p);
    });
    document.getElementById("print").hidden = false;
    later();
  }

  function renderDay(data) {
    var today = document.getElementById("today");
    today.replaceChildren();
    (data.training || []).forEach(function (item) {
      var li = document.createElement("li");
      li.textContent = t("Training") + ": " + item.label;
      today.appendChild(li);
    });
    (data.appointments || []).forEach(function (item) {
      var li = document.createElement("li");
      li.textContent = t("Appointment") + ": " + item.label;
      today.appendChild(li);
    });
    var queues = document.getElementById("queues");
    queues.replaceChildren();
    (data.queues || []).forEach(function (queue) {
      if (queue.number) {
        showNumber(queue, queue.name);
        return;
      }
      var button = document.createElement("button");
      button.type = "button";
      button.textContent = t("Join the queue: %(service)s").replace("%(service)s", queue.name);
      button.addEventListener("click", function () { join(queue); });
      queues.appendChild(button);
    });
  }

  function join(queue) {
    if (busy || !lastPayload) return;
    busy = true;
    post(config.queue_url.replace("__service__", encodeURIComponent(queue.code)), {
      kiosk: config.token,
      ticket: lastPayload,
    })
      .then(function (response) {
        if (response.status === 200 || response.status === 201) {
          document.getElementById("queues").replaceChildren();
          showNumber(response.data, queue.name);
        } else {
          var error = response.data.error || {};
          show(error.message || t("Please try again."), false);
        }
      })
      .catch(function () { show(t("Please try again."), false); })
      .finally(function () { busy = false; });
  }

  var MESSAGES = {
    invalid: "This ticket is not valid here.",
    wrong_event: "This ticket belongs to another event.",
    cancelled: "This registration was cancelled.",
    waitlisted: "You are on the waiting list; please ask at the information desk.",
  };

  function lookup(payload) {
    if (busy || !payload) return;
    busy = true;
    post(config.lookup_url, { payload: payload })
      .then(function (response) {
        var data = response.data;
        if (response.status !== 200) {
          show((data.error && data.error.message) || t("Please try again."), false);
          return;
        }
        if (data.result === "ok" || data.result === "already_checked_in") {
          lastPayload = payload;
          show(t("Welcome, %(name)s!").replace("%(name)s", data.first_name), true);
          renderDay(data);
        } else {
          show(t(MESSAGES[data.result] || "Please try again."), false);
        }
      })
      .catch(function () { show(t("Please try again."), false); })
      .finally(function () { busy = false; input.value = ""; });
  }

  document.getElementById("scan-form").addEventListener("submit", function (event) {
    event.preventDefault();
    lookup(input.value.trim());
  });
  document.getElementById("done").addEventListener("click", reset);
  document.getElementById("print").addEventListener("click", function () { window.print(); });
  // Hand scanners type into the focused field: keep the focus there.
  document.addEventListener("click", function (event) {
    if (!answer.hidden || event.target.tagName === "BUTTON") return;
    input.focus();
  });

  // Camera scanning where the browser can decode QR codes itself.
  if ("BarcodeDetector" in window && navigator.mediaDevices) {
    var detector = new window.BarcodeDetector({ formats: ["qr_code"] });
    var video = document.getElementById("camera");
    navigator.mediaDevices.getUserMedia({ video: { facingMode: "user" } }).then(function (stream) {
      video.srcObject = stream;
      video.hidden = false;
      video.play();
      var scan = function () {
        if (!idle.hidden && !busy && video.readyState >= 2) {
          detector.detect(video).then(function (codes) {
            if (codes.length) lookup(codes[0].rawValue);
          }).catch(function () {});
        }
        setTimeout(scan, 300);
      };
      scan();
    }).catch(function () { /* no camera: the hand scanner field still works */ });
  }

  // Live link for the connection badge (the terminal also works without it).
  if (config.socket_url) {
    window.kioskSocket = new LiveSocket({ url: config.socket_url, onStatus: Kiosk.setStatus }).start();
  } else {
    Kiosk.setStatus("live");
  }
  reset();
})();
