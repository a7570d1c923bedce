/* The stamp card's camera: read a stand's QR code and submit it in the
 * stamp form (the form alone works without JavaScript). BarcodeDetector
 * where present, else the vendored jsQR decoder. */
(function () {
  "use strict";
  var button = document.getElementById("camera-toggle");
  var video = document.getElementById("camera-video");
  var note = document.getElementById("camera-note");
  var form = document.getElementById("stamp-form");
  var input = document.getElementById("id_scanned");
  if (!button || !navigator.mediaDevices || !navigator.mediaDevices.getUserMedia) { return; }
  button.hidden = false;
  var stream = null, on = false, canvas = null;

  function loadJsQR() {
    return new Promise(function (resolve, reject) {
      if (window.jsQR) { return resolve(window.jsQR); }
      var script = document.createElement("script");
      script.src = document.getElementById("stamps-script").dataset.jsqr;
      script.onload = function () { resolve(window.jsQR); };
      script.onerror = reject;
      document.head.appendChild(script);
    });
  }

  function decoder() {
    if ("BarcodeDetector" in window) {
      var detector = new window.BarcodeDetector({ formats: ["qr_code"] });
      return Promise.resolve(function () {
        return detector.detect(video).then(function (codes) { return codes.length ? codes[0].rawValue : ""; });
      });
    }
    return loadJsQR().then(function (jsQR) {
      canvas = canvas || document.createElement("canvas");
      var ctx = canvas.getContext("2d", { willReadFrequently: true });
      return function () {
        var w = video.videoWidth, h = video.videoHeight;
        if (!w || !h) { return Promise.resolve(""); }
        canvas.width = w; canvas.height = h;
        ctx.drawImage(video, 0, 0, w, h);
        var code = jsQR(ctx.getImageData(0, 0, w, h).data, w, h);
        return Promise.resolve(code ? code.data : "");
      };
    });
  }

  function loop(decode) {
    if (!on) { return; }
    decode().then(function (text) {
      if (text) { stop(); input.value = text; form.submit(); return; }
      setTimeout(function () { loop(decode); }, 150);
    }).catch(function () { setTimeout(function () { loop(decode); }, 150); });
  }

  function stop() {
    on = false;
    if (stream) { stream.getTracks().forEach(function (t) { t.stop(); }); }
    stream = null; video.hidden = true; button.textContent = button.dataset.start;
  }

  button.addEventListener("click", function () {
    if (on) { stop(); return; }
    navigator.mediaDevices.getUserMedia({ video: { facingMode: "environment" }, audio: false })
      .then(function (s) {
        stream = s; video.srcObject = s; video.hidden = false; on = true;
        button.textContent = button.dataset.stop; note.textContent = "";
        return video.play().then(decoder).then(loop);
      })
      .catch(function () { stop(); note.textContent = ""; });
  });
}());
