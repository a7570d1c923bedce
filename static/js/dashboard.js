/*
 * The organizer's pages: the live dashboard and the exports' progress.
 *
 * Dashboard: live totals over /ws/events/{event}/stats/
 * (LiveSocket, docs/realtime.md). A snapshot carries every figure; a "stats"
 * delta carries the figures of the part that changed (attendance totals at
 * the top level, "training" or "screenings"), so render() redraws only what
 * it is given: the tiles, the tables and the live bar charts.
 *
 * barChart() mirrors eventhub/dashboard/charts.py bar_chart(): the server
 * draws the first picture, this redraws it with the same geometry.
 *
 * The panels over time (check-ins by hour, registrations, no-shows) are not in
 * the socket's messages: a few seconds after a change the page fetches itself
 * and swaps in those panels ([data-refresh]), at most once per REFRESH_MS.
 */
(function () {
  "use strict";
  var configNode = document.getElementById("dashboard-config");
  if (!configNode) return;
  var config = JSON.parse(configNode.textContent);
  var S = config.strings;
  var NS = "http://www.w3.org/2000/svg";
  var WIDTH = 560, LABEL_WIDTH = 210, ROW = 24, BAR_HEIGHT = 15, LABEL_CHARS = 30;
  var BAR = "#0b4f9c", TRACK = "#dbe4f0", INK = "#14161a";
  var timeFormat = new Intl.DateTimeFormat(document.documentElement.lang || undefined, {
    hour: "2-digit", minute: "2-digit", hourCycle: "h23", timeZone: config.timezone || window.fairTimeZone,
  });

  function svg(name, attrs, text) {
    var node = document.createElementNS(NS, name);
    Object.keys(attrs || {}).forEach(function (key) { node.setAttribute(key, attrs[key]); });
    if (text !== undefined) node.textContent = text;
    return node;
  }

  // Mirrors charts._short: a short tail after the last " · " (a session's
  // time) is kept, so two sessions of one long-named module read apart.
  function shorten(label) {
    if (label.length <= LABEL_CHARS) return label;
    var cut = label.lastIndexOf(" · ");
    var tail = cut >= 0 ? label.slice(cut + 3) : "";
    if (cut >= 0 && tail.length <= 8) {
      var room = LABEL_CHARS - 3 - tail.length;
      return label.slice(0, room - 1) + "…" + " · " + tail;
    }
    return label.slice(0, LABEL_CHARS - 1) + "…";
  }

  function round(n) { return Math.round(n * 10) / 10; }

  /* items: [[label, value], ...]; tracks: optional [capacity, ...]. */
  function barChart(items, title, tracks) {
    if (!items.length) return null;
    var plot = WIDTH - LABEL_WIDTH - 60;
    var max = 1;
    items.forEach(function (item, i) {
      max = Math.max(max, item[1], tracks ? tracks[i] : 0);
    });
    var height = ROW * items.length + 6;
    var root = svg("svg", {
      "class": "chart", role: "img", "aria-label": title, viewBox: "0 0 " + WIDTH + " " + height,
      width: WIDTH, height: height, "font-family": "DejaVu Sans, sans-serif", "font-size": 12,
    });
    root.appendChild(svg("title", {}, title));
    items.forEach(function (item, i) {
      var y = 3 + i * ROW, textY = y + BAR_HEIGHT - 3;
      var label = svg("text", { x: LABEL_WIDTH - 8, y: textY, "text-anchor": "end", fill: INK });
      label.appendChild(svg("title", {}, item[0]));
      label.appendChild(document.createTextNode(shorten(item[0])));
      root.appendChild(label);
      var end = String(item[1]), reach;
      var width = round(plot * item[1] / max);
      reach = width;
      if (tracks) {
        var track = round(plot * tracks[i] / max);
        root.appendChild(svg("rect", { x: LABEL_WIDTH, y: y, width: track, height: BAR_HEIGHT, fill: TRACK }));
        end = item[1] + " / " + tracks[i];
        reach = Math.max(width, track);
      }
      root.appendChild(svg("rect", { x: LABEL_WIDTH, y: y, width: width, height: BAR_HEIGHT, fill: BAR }));
      root.appendChild(svg("text", { x: LABEL_WIDTH + reach + 6, y: textY, fill: INK }, end));
    });
    return root;
  }

  function drawChart(id, chart) {
    var box = document.getElementById(id);
    if (!box) return;
    box.replaceChildren();
    if (chart) box.appendChild(chart);
  }

  /* rows: [[header cell, number, number...]]; an empty list shows emptyText. */
  function fillTable(id, rows, emptyText, columns) {
    var body = document.querySelector("#" + id + " tbody");
    if (!body) return;
    body.replaceChildren();
    if (!rows.length) {
      var tr = document.createElement("tr");
      tr.className = "empty";
      var td = document.createElement("td");
      td.colSpan = columns;
      td.textContent = emptyText;
      tr.appendChild(td);
      body.appendChild(tr);
      return;
    }
    rows.forEach(function (row) {
      var tr = document.createElement("tr");
      row.forEach(function (value, i) {
        var cell = document.createElement(i === 0 ? "th" : "td");
        if (i === 0) cell.scope = "row"; else cell.className = "n";
        cell.textContent = value;
        tr.appendChild(cell);
      });
      body.appendChild(tr);
    });
  }

  function sessionLabel(s) {
    return s.module + " · " + timeFormat.format(new Date(s.starts_at));
  }

  function render(figures) {
    document.querySelectorAll("#totals [data-total]").forEach(function (dd) {
      var key = dd.dataset.total;
      if (figures[key] !== undefined && figures[key] !== null) dd.textContent = figures[key];
    });
    if (figures.by_gate) {
      var gates = Object.keys(figures.by_gate).sort().map(function (gate) {
        return [gate || S.no_gate, figures.by_gate[gate]];
      });
      drawChart("chart-gates", barChart(gates, S.by_gate));
      fillTable("table-gates", gates, S.no_check_ins, 2);
    }
    if (figures.training) {
      var sessions = figures.training;
      drawChart("chart-training", barChart(
        sessions.map(function (s) { return [sessionLabel(s), s.booked]; }),
        S.training,
        sessions.map(function (s) { return s.capacity; })
      ));
      fillTable("table-training", sessions.map(function (s) {
        return [sessionLabel(s), s.capacity, s.booked, s.free, s.waitlisted, s.checked_in];
      }), S.no_training, 6);
    }
    if (figures.screenings) {
      var services = figures.screenings;
      var name = function (s) { return s.code + " · " + s.name; };
      drawChart("chart-waiting", barChart(
        services.map(function (s) { return [name(s), s.waiting]; }), S.screenings_waiting));
      drawChart("chart-served", barChart(
        services.map(function (s) { return [name(s), s.served]; }), S.screenings_served));
      fillTable("table-screenings", services.map(function (s) {
        return [name(s), s.waiting, s.served];
      }), S.no_screenings, 3);
    }
  }

  var badge = document.getElementById("conn");
  function setStatus(state) {
    badge.dataset.state = state;
    badge.textContent = S[state] || state;
  }

  var REFRESH_MS = 4000;
  var refreshTimer = null;
  function refreshPanels() {
    refreshTimer = null;
    fetch(location.href, { headers: { Accept: "text/html" }, cache: "no-store" })
      .then(function (response) { return response.ok ? response.text() : null; })
      .then(function (html) {
        if (!html) return;
        var fresh = new DOMParser().parseFromString(html, "text/html");
        document.querySelectorAll("[data-refresh]").forEach(function (panel) {
          var replacement = fresh.getElementById(panel.id);
          if (replacement) panel.replaceWith(document.importNode(replacement, true));
        });
      })
      .catch(function () { /* the next change tries again */ });
  }
  function scheduleRefresh() {
    if (!refreshTimer) refreshTimer = setTimeout(refreshPanels, REFRESH_MS);
  }

  window.dashboardSocket = new LiveSocket({
    url: config.socket,
    onStatus: setStatus,
    onSnapshot: render,
    onDelta: function (figures) {
      render(figures);
      scheduleRefresh();
    },
  }).start();
})();

/*
 * Exports: the form is fetched instead of followed, so the page can say
 * "preparing" while the server builds the file and then show how far the
 * download is: by bytes when the length is known (XLSX), else by lines
 * against the row count the page was given (streamed CSV). Without fetch
 * streams, or when the server refuses the form (400: it explains why), the
 * browser submits the form as usual.
 */
(function () {
  "use strict";
  var forms = document.querySelectorAll("form.export-form");
  if (!forms.length || !window.fetch || !window.ReadableStream || !window.URLSearchParams) return;
  var S = JSON.parse(document.getElementById("export-strings").textContent);

  function filenameFrom(header) {
    var match = /filename="?([^";]+)"?/.exec(header || "");
    return match ? match[1] : "export";
  }

  function countLines(bytes) {
    var n = 0;
    for (var i = 0; i < bytes.length; i++) if (bytes[i] === 10) n++;
    return n;
  }

  function save(blob, name) {
    var url = URL.createObjectURL(blob);
    var link = document.createElement("a");
    link.href = url;
    link.download = name;
    document.body.appendChild(link);
    link.click();
    link.remove();
    setTimeout(function () { URL.revokeObjectURL(url); }, 10000);
  }

  forms.forEach(function (form) {
    var box = form.querySelector(".progress");
    var bar = box.querySelector("progress");
    var text = box.querySelector(".progress-text");
    var button = form.querySelector("button[type=submit]");

    form.addEventListener("submit", function (event) {
      var data = new FormData(form);
      if (!data.getAll("columns").length) return; // the server explains what to fix
      event.preventDefault();
      var url = form.action + "?" + new URLSearchParams(data).toString();
      box.hidden = false;
      bar.removeAttribute("value");
      text.textContent = S.preparing;
      button.disabled = true;
      fetch(url, { credentials: "same-origin", cache: "no-store" }).then(function (response) {
        if (response.status === 400) {
          form.submit(); // let the page come back with the errors
          return null;
        }
        if (!response.ok || !response.body) throw new Error("HTTP " + response.status);
        var rows = parseInt(response.headers.get("X-Export-Rows") || form.dataset.rows, 10) || 0;
        var size = parseInt(response.headers.get("Content-Length") || "0", 10);
        var reader = response.body.getReader();
        var chunks = [], received = 0, lines = 0;
        function pump() {
          return reader.read().then(function (step) {
            if (step.done) return null;
            chunks.push(step.value);
            received += step.value.length;
            lines += countLines(step.value);
            var fraction = size ? received / size : lines / (rows + 1);
            var percent = Math.min(99, Math.floor(fraction * 100));
            bar.value = percent;
            text.textContent = S.downloading.replace("{percent}", percent);
            return pump();
          });
        }
        return pump().then(function () {
          var type = response.headers.get("Content-Type") || "application/octet-stream";
          save(new Blob(chunks, { type: type }), filenameFrom(response.headers.get("Content-Disposition")));
          bar.value = 100;
          text.textContent = S.done.replace("{rows}", rows);
        });
      }).catch(function () {
        bar.value = 0;
        text.textContent = S.failed;
      }).then(function () {
        button.disabled = false;
      });
    });
  });
})();
