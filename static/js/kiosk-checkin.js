/* Self check-in terminal: scan a ticket, see the day, join a screening queue.
   Joining asks the service's questions and the health consent first (the
   look-up sends them, in the visitor's language); the number comes after. */
(function () {
  "use strict";
  var config = Kiosk.config();
  var texts = JSON.parse(document.getElementById("kiosk-texts").textContent);
  var input = document.getElementById("scan-input");
  var idle = document.getElementById("idle");
  var answer = document.getElementById("answer");
  var resetTimer = null;
  var lastPayload = null;
  var visitorLanguage = null;
  var formTexts = {};
  var busy = false;

  function t(message) {
    return Kiosk.t(texts, message, visitorLanguage || document.documentElement.lang);
  }

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
    closeForm();
    lastPayload = null;
    visitorLanguage = null;
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
    [formTexts.event_name || config.event_name, serviceName, data.number, window.fairTime(new Date())].forEach(function (line, i) {
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
      button.addEventListener("click", function () {
        if (queue.form) openForm(queue); else join(queue, {});
      });
      queues.appendChild(button);
    });
  }

  function element(tag, attributes, text) {
    var node = document.createElement(tag);
    Object.keys(attributes || {}).forEach(function (name) { node.setAttribute(name, attributes[name]); });
    if (text) node.textContent = text;
    return node;
  }

  function choice(name, value, label) {
    var wrap = element("label", { class: "choice" });
    wrap.appendChild(element("input", { type: "radio", name: name, value: value, required: "" }));
    wrap.appendChild(document.createTextNode(" " + label));
    return wrap;
  }

  function radioGroup(legend, name, options) {
    var group = element("fieldset", { class: "question" });
    group.appendChild(element("legend", {}, legend));
    options.forEach(function (option) { group.appendChild(choice(name, option[0], option[1])); });
    return group;
  }

  // The visitor's answers and consent for one service, then the number.
  function openForm(queue) {
    var form = document.getElementById("join-form");
    var ask = queue.form;
    form.replaceChildren();
    form.lang = visitorLanguage || "";
    form.appendChild(element("h2", {}, queue.name));
    if (ask.age || ask.sex || ask.questions.length) {
      form.appendChild(element("p", { class: "label" }, formTexts.questions));
    }
    if (ask.age) {
      var age = element("label", { class: "question" }, formTexts.age + " ");
      age.appendChild(element("input", { type: "number", name: "age", min: "1", max: "129", inputmode: "numeric", required: "" }));
      form.appendChild(age);
    }
    if (ask.sex) {
      form.appendChild(radioGroup(formTexts.sex, "sex", [["female", formTexts.female], ["male", formTexts.male]]));
    }
    ask.questions.forEach(function (question) {
      form.appendChild(radioGroup(question.text, "q:" + question.key, [["yes", formTexts.yes], ["no", formTexts.no]]));
    });
    var consent = element("label", { class: "consent" });
    consent.appendChild(element("input", { type: "checkbox", name: "health_consent" }));
    consent.appendChild(document.createTextNode(" " + formTexts.consent));
    form.appendChild(consent);
    form.appendChild(element("p", { class: "form-error", id: "join-error", role: "alert" }));
    form.appendChild(element("button", { type: "submit" }, formTexts.submit));
    var back = element("button", { type: "button", class: "secondary" }, formTexts.back);
    back.addEventListener("click", closeForm);
    form.appendChild(back);
    form.oninput = later;
    form.onsubmit = function (event) {
      event.preventDefault();
      join(queue, collect(form));
    };
    document.getElementById("queues").hidden = true;
    form.hidden = false;
    later();
  }

  function closeForm() {
    var form = document.getElementById("join-form");
    form.hidden = true;
    form.replaceChildren();
    document.getElementById("queues").hidden = false;
  }

  function collect(form) {
    var body = { answers: {}, health_consent: form.elements.health_consent.checked };
    Array.prototype.forEach.call(form.elements, function (field) {
      if (field.type === "radio" && !field.checked) return;
      if (field.name.indexOf("q:") === 0) body.answers[field.name.slice(2)] = field.value;
      else if (field.name === "sex") body.sex = field.value;
      else if (field.name === "age" && field.value) body.age = parseInt(field.value, 10);
    });
    return body;
  }

  function join(queue, answers) {
    if (busy || !lastPayload) return;
    busy = true;
    var body = Object.assign({ kiosk: config.token, ticket: lastPayload }, answers);
    post(config.queue_url.replace("__service__", encodeURIComponent(queue.code)), body)
      .then(function (response) {
        var error = response.data.error || {};
        if (response.status === 200 || response.status === 201) {
          closeForm();
          document.getElementById("queues").replaceChildren();
          showNumber(response.data, queue.name);
        } else if (!document.getElementById("join-form").hidden && error.code !== "not_eligible") {
          // Something to fix (consent, an answer): the form keeps what was typed.
          document.getElementById("join-error").textContent = error.message || t("Please try again.");
          later();
        } else {
          closeForm();
          document.getElementById("queues").replaceChildren();
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
          visitorLanguage = data.language || null;
          formTexts = data.texts || {};
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
