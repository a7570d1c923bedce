/* The gate without a network: what a scanner device knows and keeps.
 *
 * window.gateOffline.open(options) → Promise of a gate store, or null when this
 * browser cannot work offline (no IndexedDB, or no WebCrypto: a page served
 * over plain HTTP to another machine). The store holds, in IndexedDB:
 *   - the event's pack (GET checkin-offline/): its Ed25519 public keys, and
 *     the hashes of the tickets admitted already and of those refused
 *     (cancelled, waiting list): no names, no codes;
 *   - this device's own admissions, so a second scan here answers amber;
 *   - the queue: every scan decided here, waiting for the server.
 * decide(payload) answers like the server (ok, already_checked_in, invalid,
 * wrong_event, cancelled, waitlisted), or "unverifiable" for what only the
 * server can check (a typed code, an EH1 ticket, no pack yet). sync() sends
 * the queue (POST checkin-sync/): the server admits each scan once and names
 * the double entries (one ticket let in offline at two gates). The hash and
 * the sync rules: docs/checkin.md, "The gate offline".
 */
(function (global) {
  "use strict";

  var DB_NAME = "eventhub-gate";
  var BATCH = 200;  // scans per sync request (the server takes up to 500)
  var EH2 = /^EH2:(\d{1,12}):(\d{1,5}):([A-Z2-7]{32}):([A-Z2-7]{103})$/;
  var ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

  /* --- IndexedDB, as promises -------------------------------------------------- */
  function request(req) {
    return new Promise(function (resolve, reject) {
      req.onsuccess = function () { resolve(req.result); };
      req.onerror = function () { reject(req.error); };
    });
  }

  function openDb() {
    var req = global.indexedDB.open(DB_NAME, 1);
    req.onupgradeneeded = function () {
      var db = req.result;
      db.createObjectStore("packs");                       // key: event slug
      db.createObjectStore("own");                         // key: "<slug> <hash>"
      var queue = db.createObjectStore("queue", { keyPath: "nonce" });
      queue.createIndex("event", "event");
    };
    return request(req);
  }

  function run(db, stores, mode, work) {
    return new Promise(function (resolve, reject) {
      var tx = db.transaction(stores, mode);
      var result;
      Promise.resolve(work(tx)).then(function (value) { result = value; }, reject);
      tx.oncomplete = function () { resolve(result); };
      tx.onerror = function () { reject(tx.error); };
      tx.onabort = function () { reject(tx.error); };
    });
  }

  /* --- Bytes ----------------------------------------------------------------------- */
  function base32(text) {
    // RFC 4648 without padding; null unless ``text`` is the canonical form
    // (the unused low bits zero), as the server requires.
    var bits = 0, value = 0, out = [];
    for (var i = 0; i < text.length; i++) {
      var digit = ALPHABET.indexOf(text[i]);
      if (digit < 0) { return null; }
      value = (value << 5) | digit; bits += 5;
      if (bits >= 8) { bits -= 8; out.push((value >>> bits) & 0xff); }
    }
    if (value & ((1 << bits) - 1)) { return null; }
    return new Uint8Array(out);
  }

  function base64(text) {
    var raw = global.atob(text);
    var out = new Uint8Array(raw.length);
    for (var i = 0; i < raw.length; i++) { out[i] = raw.charCodeAt(i); }
    return out;
  }

  function ascii(text) { return new TextEncoder().encode(text); }

  function hex(buffer, length) {
    return Array.prototype.map.call(new Uint8Array(buffer).slice(0, length / 2), function (b) {
      return ("0" + b.toString(16)).slice(-2);
    }).join("");
  }

  /* The ticket's hash in the pack: SHA-256 of "<event id>:<code>", 16 hex digits. */
  function ticketHash(eventId, code) {
    return global.crypto.subtle.digest("SHA-256", ascii(eventId + ":" + code)).then(function (digest) {
      return hex(digest, 16);
    });
  }

  /* --- Ed25519: the browser's own where it has it, else noble-ed25519 ----------- */
  function verifier(nobleUrl) {
    var keys = {};
    var native = null;  // null: not tried yet; then true or false
    var noble = null;
    function viaNoble(raw, signature, message) {
      noble = noble || import(nobleUrl);
      return noble.then(function (ed) {
        return ed.verifyAsync(signature, message, raw, { zip215: false });
      });
    }
    return function (keyBase64, signature, message) {
      var raw = base64(keyBase64);
      if (native === false) { return viaNoble(raw, signature, message); }
      keys[keyBase64] = keys[keyBase64] || global.crypto.subtle.importKey("raw", raw, { name: "Ed25519" }, false, ["verify"]);
      return keys[keyBase64].then(function (key) {
        native = true;
        return global.crypto.subtle.verify({ name: "Ed25519" }, key, signature, message);
      }, function () {
        native = false;  // this browser's WebCrypto has no Ed25519
        delete keys[keyBase64];
        return viaNoble(raw, signature, message);
      });
    };
  }

  /* --- The store ---------------------------------------------------------------------- */
  function GateStore(db, options) {
    this.db = db;
    this.slug = options.event;
    this.packUrl = options.packUrl;
    this.syncUrl = options.syncUrl;
    this.csrf = options.csrf;
    this.verify = verifier(options.nobleUrl);
    this.pack = null;
    this.admitted = new Set();
    this.own = new Map();   // hash -> { at, gate }
    this.waiting = 0;
    this.syncing = null;
  }

  GateStore.prototype.load = function () {
    var self = this;
    return run(this.db, ["packs", "own", "queue"], "readonly", function (tx) {
      var prefix = self.slug + " ";
      return Promise.all([
        request(tx.objectStore("packs").get(self.slug)),
        request(tx.objectStore("own").getAll(global.IDBKeyRange.bound(prefix, prefix + "\uffff"))),
        request(tx.objectStore("own").getAllKeys(global.IDBKeyRange.bound(prefix, prefix + "\uffff"))),
        request(tx.objectStore("queue").index("event").count(self.slug))
      ]).then(function (found) {
        self.usePack(found[0] || null);
        found[2].forEach(function (key, i) { self.own.set(key.slice(prefix.length), found[1][i]); });
        self.waiting = found[3];
      });
    }).then(function () { return self; });
  };

  GateStore.prototype.usePack = function (pack) {
    this.pack = pack;
    this.admitted = new Set(pack ? pack.admitted : []);
  };

  /* Fetch the event's pack; resolves "ok", or the failure's kind (see failure()). */
  GateStore.prototype.refresh = function (timeoutMs) {
    var self = this;
    return fetchWithin(this.packUrl, { credentials: "same-origin", headers: { Accept: "application/json" } }, timeoutMs || 8000)
      .then(function (response) {
        if (!response.ok) { return failure(response); }
        return response.json().then(function (pack) {
          pack.fetched_at = new Date().toISOString();
          self.usePack(pack);
          return run(self.db, ["packs"], "readwrite", function (tx) {
            tx.objectStore("packs").put(pack, self.slug);
          }).then(function () { return "ok"; });
        });
      }, function () { return "network"; });
  };

  /* The local answer to a scan: { result, code, hash } (result as the server's,
   * or "unverifiable"). Never rejects. */
  GateStore.prototype.decide = function (payload) {
    var self = this;
    var pack = this.pack;
    var match = EH2.exec(String(payload || "").trim().toUpperCase());
    if (!pack || !match) { return Promise.resolve({ result: "unverifiable" }); }
    var eventId = match[1], code = match[3];
    if (Number(eventId) !== pack.event) { return Promise.resolve({ result: "wrong_event" }); }
    var key = pack.keys.filter(function (k) { return String(k.id) === String(Number(match[2])); })[0];
    var signature = base32(match[4]);
    if (!key || !signature || signature.length !== 64) { return Promise.resolve({ result: "invalid" }); }
    var signed = ascii("EH2:" + eventId + ":" + match[2] + ":" + code);
    return this.verify(key.public_key, signature, signed).then(function (genuine) {
      if (!genuine) { return { result: "invalid" }; }
      return ticketHash(pack.event, code).then(function (hash) {
        var refused = pack.refused && pack.refused[hash];
        if (refused) { return { result: refused, code: code, hash: hash }; }
        var mine = self.own.get(hash);
        if (mine || self.admitted.has(hash)) {
          return { result: "already_checked_in", code: code, hash: hash, first: mine || null };
        }
        return { result: "ok", code: code, hash: hash };
      });
    }).catch(function () { return { result: "unverifiable" }; });
  };

  /* Keep a scan decided here (queue), and an admission as this device's own. */
  GateStore.prototype.keep = function (scan, decision) {
    var self = this;
    var item = {
      nonce: scan.nonce, event: this.slug, payload: scan.payload, gate: scan.gate,
      scanned_at: scan.scanned_at, local_result: decision.result
    };
    if (decision.result === "ok") { this.own.set(decision.hash, { at: scan.scanned_at, gate: scan.gate }); }
    this.waiting += 1;
    return run(this.db, ["queue", "own"], "readwrite", function (tx) {
      tx.objectStore("queue").put(item);
      if (decision.result === "ok") {
        tx.objectStore("own").put({ at: scan.scanned_at, gate: scan.gate }, self.slug + " " + decision.hash);
      }
    }).catch(function () { /* storage full or blocked: the answer stands, the count says it */ });
  };

  /* The server admitted (or had admitted) a ticket: it is in, for this device too. */
  GateStore.prototype.noteAdmitted = function (code) {
    var self = this;
    if (!this.pack || !code) { return Promise.resolve(); }
    return ticketHash(this.pack.event, code).then(function (hash) { self.admitted.add(hash); });
  };

  /* Send the waiting scans. Resolves { status: "ok" | "network" | "server" |
   * "login" | "forbidden", results: [...], doubles: [...] }. One sync at a time. */
  GateStore.prototype.sync = function (device) {
    var self = this;
    if (this.syncing) { return this.syncing; }
    var all = { status: "ok", results: [], doubles: [] };
    function round() {
      return run(self.db, ["queue"], "readonly", function (tx) {
        return request(tx.objectStore("queue").index("event").getAll(self.slug, BATCH));
      }).then(function (items) {
        items.sort(function (a, b) { return a.scanned_at < b.scanned_at ? -1 : 1; });
        var body = {
          device: device,
          scans: items.map(function (i) {
            return { nonce: i.nonce, payload: i.payload, gate: i.gate, scanned_at: i.scanned_at, local_result: i.local_result };
          })
        };
        return fetchWithin(self.syncUrl, {
          method: "POST", credentials: "same-origin",
          headers: { "Content-Type": "application/json", "Accept": "application/json", "X-CSRFToken": self.csrf },
          body: JSON.stringify(body)
        }, 20000).then(function (response) {
          if (!response.ok) {
            return Promise.resolve(failure(response)).then(function (kind) { all.status = kind; return false; });
          }
          return response.json().then(function (answer) {
            var done = answer.results.map(function (r) { return r.nonce; });
            all.results = all.results.concat(answer.results);
            all.doubles = answer.double_entries || [];
            return run(self.db, ["queue"], "readwrite", function (tx) {
              var queue = tx.objectStore("queue");
              done.forEach(function (nonce) { queue.delete(nonce); });
              return request(queue.index("event").count(self.slug)).then(function (left) { self.waiting = left; });
            }).then(function () { return items.length === BATCH && done.length > 0; });
          });
        }, function () { all.status = "network"; return false; });
      }).then(function (more) { return more ? round() : all; });
    }
    this.syncing = round().catch(function () { all.status = "network"; return all; }).then(function (result) {
      self.syncing = null;
      return result;
    });
    return this.syncing;
  };

  /* --- HTTP ------------------------------------------------------------------------ */
  function fetchWithin(url, init, timeoutMs) {
    var controller = global.AbortController ? new global.AbortController() : null;
    if (controller) { init.signal = controller.signal; }
    var timer = setTimeout(function () { if (controller) { controller.abort(); } }, timeoutMs);
    return global.fetch(url, init).then(function (response) {
      clearTimeout(timer); return response;
    }, function (err) { clearTimeout(timer); throw err; });
  }

  /* What a refusal means for the gate: "login" (the session ended, or its
   * CSRF token with it), "forbidden" (no role at this event), "server". */
  function failure(response) {
    if (response.status === 401) { return "login"; }
    if (response.status === 403) {
      return response.clone().json().then(function (body) {
        var code = (body && body.error && body.error.code) || "";
        return /not_authenticated|authentication_failed|csrf/i.test(code + " " + ((body.error || {}).message || ""))
          ? "login" : "forbidden";
      }, function () { return "login"; });
    }
    if (response.status >= 500 || response.status === 429) { return "server"; }
    return "error";
  }

  function supported() {
    return !!(global.indexedDB && global.crypto && global.crypto.subtle && global.TextEncoder && global.Set);
  }

  function open(options) {
    if (!supported()) { return Promise.resolve(null); }
    return openDb().then(function (db) { return new GateStore(db, options).load(); })
      .catch(function () { return null; });
  }

  global.gateOffline = {
    open: open, fetchWithin: fetchWithin, failure: failure, ticketHash: ticketHash
  };
})(window);
