/* The stamp card's camera: read a stand's QR code and submit it in the
 * stamp form (the form alone works without JavaScript). The reading itself
 * is qr-camera.js, the same as the gate scanner's. */
(function () {
  "use strict";
  var button = document.getElementById("camera-toggle");
  var video = document.getElementById("camera-video");
  var note = document.getElementById("camera-note");
  var form = document.getElementById("stamp-form");
  var input = document.getElementById("id_scanned");
  if (!button || !window.qrCamera || !window.qrCamera.available()) { return; }
  button.hidden = false;
  var camera = null;

  function stop() {
    if (camera) { camera.stop(); }
    camera = null; video.hidden = true; button.textContent = button.dataset.start;
  }

  button.addEventListener("click", function () {
    if (camera) { stop(); return; }
    video.hidden = false;
    button.textContent = button.dataset.stop; note.textContent = "";
    window.qrCamera.start(video, {
      jsqr: document.getElementById("stamps-script").dataset.jsqr,
      onText: function (text) { stop(); input.value = text; form.submit(); }
    }).then(function (controller) { camera = controller; }, function () { stop(); });
  });
}());
