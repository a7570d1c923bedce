/* The one camera QR reader of EventHub (gate scanner, stamp card).
 *
 * window.qrCamera.start(video, { jsqr: url, onText: fn(text) }) asks for the
 * back camera, shows it in <video> and calls onText with each code read: the
 * browser's BarcodeDetector where it reads QR codes, else the vendored jsQR
 * (loaded on first use from the ``jsqr`` URL). The same code held in view is
 * reported once, again only after 3 s away. Returns a promise of a
 * controller { stop() }; rejects when there is no camera or no permission.
 */
(function (global) {
  "use strict";

  var jsQRLoading = null;

  function loadJsQR(url) {
    if (global.jsQR) { return Promise.resolve(global.jsQR); }
    jsQRLoading = jsQRLoading || new Promise(function (resolve, reject) {
      var script = document.createElement("script");
      script.src = url;
      script.onload = function () { resolve(global.jsQR); };
      script.onerror = function () { jsQRLoading = null; reject(new Error("jsQR")); };
      document.head.appendChild(script);
    });
    return jsQRLoading;
  }

  function jsQRDecoder(video, url) {
    return loadJsQR(url).then(function (jsQR) {
      var canvas = document.createElement("canvas");
      var ctx = canvas.getContext("2d", { willReadFrequently: true });
      return function () {
        var w = video.videoWidth, h = video.videoHeight;
        if (!w || !h) { return Promise.resolve(""); }
        var scale = Math.min(1, 640 / Math.max(w, h));  // fast enough on an old phone
        canvas.width = Math.round(w * scale); canvas.height = Math.round(h * scale);
        ctx.drawImage(video, 0, 0, canvas.width, canvas.height);
        var image = ctx.getImageData(0, 0, canvas.width, canvas.height);
        var code = jsQR(image.data, image.width, image.height, { inversionAttempts: "dontInvert" });
        return Promise.resolve(code ? code.data : "");
      };
    });
  }

  function makeDecoder(video, url) {
    if (!("BarcodeDetector" in global)) { return jsQRDecoder(video, url); }
    return global.BarcodeDetector.getSupportedFormats().then(function (formats) {
      if (formats.indexOf("qr_code") < 0) { throw new Error("no qr"); }
      var detector = new global.BarcodeDetector({ formats: ["qr_code"] });
      return function () {
        return detector.detect(video).then(function (codes) { return codes.length ? codes[0].rawValue : ""; });
      };
    }).catch(function () { return jsQRDecoder(video, url); });
  }

  function available() {
    return !!(navigator.mediaDevices && navigator.mediaDevices.getUserMedia);
  }

  function start(video, options) {
    if (!available()) { return Promise.reject(new Error("no camera")); }
    var on = true, stream = null, last = { text: "", at: 0 };
    var controller = {
      stop: function () {
        on = false;
        if (stream) { stream.getTracks().forEach(function (track) { track.stop(); }); }
        stream = null;
        video.srcObject = null;
      }
    };
    function loop(decode) {
      if (!on) { return; }
      decode().then(function (text) {
        var now = Date.now();
        if (text && (text !== last.text || now - last.at > 3000)) {
          last = { text: text, at: now };
          options.onText(text);
        } else if (text) { last.at = now; }
      }).catch(function () { /* a frame that could not be read */ }).then(function () {
        if (on) { setTimeout(function () { global.requestAnimationFrame(function () { loop(decode); }); }, 120); }
      });
    }
    return navigator.mediaDevices.getUserMedia({ video: { facingMode: "environment" }, audio: false })
      .then(function (s) {
        stream = s;
        if (!on) { controller.stop(); return controller; }
        video.srcObject = s;
        return video.play().then(function () { return makeDecoder(video, options.jsqr); }).then(function (decode) {
          loop(decode);
          return controller;
        });
      })
      .catch(function (err) { controller.stop(); throw err; });
  }

  global.qrCamera = { start: start, available: available };
})(window);
