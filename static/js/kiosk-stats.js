/* The live totals board. A snapshot carries every figure; a "stats" delta
   carries the figures of the part that changed (attendance totals at the top
   level, "training" or "screenings"), so render() draws what it is given. */
(function () {
  "use strict";
  var config = Kiosk.config();

  function setText(id, value) {
    var node = document.getElementById(id);
    if (node && value !== undefined && value !== null) node.textContent = value;
  }

  // An organizer's text (a module's title, a service's name) in each
  // language, from the page (the socket sends one): {language: text}, with
  // `decorate` applied to each, or null when the page does not know it.
  function inLanguages(kind, key, decorate) {
    var names = ((config.names || {})[kind] || {})[String(key)];
    if (!names) return null;
    var texts = {};
    Object.keys(names).forEach(function (language) { texts[language] = decorate(names[language]); });
    return texts;
  }

  function rows(id, items) {
    var list = document.getElementById(id);
    if (!list || !items) return;
    var language = Kiosk.language || (config.languages || [])[0];
    list.replaceChildren.apply(list, items.map(function (item) {
      var li = document.createElement("li");
      var label = document.createElement("span");
      label.textContent = (item[2] && (item[2][language] || item[2].en)) || item[0];
      if (item[2]) label.dataset.i18n = JSON.stringify(item[2]);
      var n = document.createElement("span");
      n.className = "n";
      n.textContent = item[1];
      li.append(label, n);
      return li;
    }));
  }

  function render(figures) {
    setText("checked-in", figures.checked_in);
    setText("capacity", figures.capacity);
    setText("registered", figures.registered);
    setText("waitlisted", figures.waitlisted);
    if (figures.by_gate) {
      rows("gates", Object.keys(figures.by_gate).sort().map(function (gate) {
        return [gate, figures.by_gate[gate]];
      }));
    }
    if (figures.training) {
      rows("training", figures.training.map(function (s) {
        var time = window.fairTime(s.starts_at);
        var suffix = function (title) { return title + " · " + time; };
        return [suffix(s.module), s.free + " / " + s.capacity, inLanguages("sessions", s.id, suffix)];
      }));
    }
    if (figures.screenings) {
      rows("screenings", figures.screenings.map(function (s) {
        var prefix = function (name) { return s.code + " · " + name; };
        return [prefix(s.name), s.waiting + " · " + s.served, inLanguages("services", s.code, prefix)];
      }));
    }
  }

  window.kioskSocket = new LiveSocket({
    url: config.socket_url,
    pollUrl: config.poll_url,
    onStatus: Kiosk.setStatus,
    onSnapshot: render,
    onDelta: render,
  }).start();
  Kiosk.cycleLanguages(config.languages, 8000);
})();
