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

  function rows(id, items) {
    var list = document.getElementById(id);
    if (!list || !items) return;
    list.replaceChildren.apply(list, items.map(function (item) {
      var li = document.createElement("li");
      var label = document.createElement("span");
      label.textContent = item[0];
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
        return [s.module + " · " + time, s.free + " / " + s.capacity];
      }));
    }
    if (figures.screenings) {
      rows("screenings", figures.screenings.map(function (s) {
        return [s.code + " · " + s.name, s.waiting + " · " + s.served];
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
