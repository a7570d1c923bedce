/*
 * LiveSocket: the kiosk side of the snapshot + deltas protocol (docs/realtime.md).
 *
 * - On connect the server sends {"type": "snapshot", "seq": n, ...}; every later
 *   message carries seq n+1, n+2, ...
 * - A message older than what we hold is ignored; a gap (seq > held + 1) makes
 *   the client ask for a fresh snapshot ({"type": "resync"}).
 * - A lost socket reconnects with capped exponential backoff and jitter; while it
 *   is down the page keeps showing the last state, says "reconnecting", and polls
 *   a JSON snapshot endpoint so the screen stays current.
 */
(function (global) {
  "use strict";

  function LiveSocket(options) {
    this.url = options.url;
    this.pollUrl = options.pollUrl || null;
    this.pollEvery = options.pollEvery || 5000;
    this.onSnapshot = options.onSnapshot || function () {};
    this.onDelta = options.onDelta || function () {};
    this.onStatus = options.onStatus || function () {};
    this.seq = null;
    this.attempt = 0;
    this.socket = null;
    this.pollTimer = null;
    this.pingTimer = null;
    this.stopped = false;
  }

  LiveSocket.prototype.start = function () {
    this.stopped = false;
    this.connect();
    return this;
  };

  LiveSocket.prototype.stop = function () {
    this.stopped = true;
    this.stopPolling();
    clearInterval(this.pingTimer);
    if (this.socket) this.socket.close();
  };

  LiveSocket.prototype.connect = function () {
    var self = this;
    var url = this.url;
    if (url.indexOf("ws") !== 0) {
      url = (location.protocol === "https:" ? "wss://" : "ws://") + location.host + url;
    }
    this.onStatus(this.attempt === 0 ? "connecting" : "reconnecting");
    var socket;
    try {
      socket = new WebSocket(url);
    } catch (err) {
      this.scheduleReconnect();
      return;
    }
    this.socket = socket;
    socket.onopen = function () {
      self.attempt = 0;
      self.stopPolling();
      self.onStatus("live");
      clearInterval(self.pingTimer);
      self.pingTimer = setInterval(function () { self.send({ type: "ping" }); }, 25000);
    };
    socket.onmessage = function (event) {
      var message;
      try { message = JSON.parse(event.data); } catch (err) { return; }
      self.receive(message);
    };
    socket.onclose = function (event) {
      clearInterval(self.pingTimer);
      if (self.stopped) return;
      // 4403: the kiosk token was refused; retrying cannot help.
      if (event.code === 4403 || event.code === 4401) {
        self.onStatus("refused");
        return;
      }
      self.onStatus("reconnecting");
      self.startPolling();
      self.scheduleReconnect();
    };
  };

  LiveSocket.prototype.receive = function (message) {
    if (message.type === "snapshot") {
      this.seq = message.seq;
      this.onSnapshot(message);
      return;
    }
    if (message.type === "pong" || message.type === "error") {
      if (message.type === "error") this.onStatus("error", message);
      return;
    }
    if (typeof message.seq !== "number" || this.seq === null) return;
    if (message.seq <= this.seq) return; // already part of what we show
    if (message.seq > this.seq + 1) {
      this.send({ type: "resync" }); // missed one: start over from a snapshot
      return;
    }
    this.seq = message.seq;
    this.onDelta(message);
  };

  LiveSocket.prototype.send = function (message) {
    if (this.socket && this.socket.readyState === WebSocket.OPEN) {
      this.socket.send(JSON.stringify(message));
    }
  };

  LiveSocket.prototype.scheduleReconnect = function () {
    var self = this;
    var base = Math.min(10000, 500 * Math.pow(2, this.attempt));
    var delay = base / 2 + Math.random() * base / 2;
    this.attempt += 1;
    setTimeout(function () { if (!self.stopped) self.connect(); }, delay);
  };

  LiveSocket.prototype.startPolling = function () {
    var self = this;
    if (!this.pollUrl || this.pollTimer) return;
    var poll = function () {
      fetch(self.pollUrl, { headers: { Accept: "application/json" }, cache: "no-store" })
        .then(function (response) { return response.ok ? response.json() : null; })
        .then(function (snapshot) {
          if (snapshot && snapshot.type === "snapshot") {
            self.seq = snapshot.seq;
            self.onSnapshot(snapshot);
          }
        })
        .catch(function () {});
    };
    poll();
    this.pollTimer = setInterval(poll, this.pollEvery);
  };

  LiveSocket.prototype.stopPolling = function () {
    clearInterval(this.pollTimer);
    this.pollTimer = null;
  };

  global.LiveSocket = LiveSocket;
})(window);
