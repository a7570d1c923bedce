// Polls the certificate progress of a training session while certificates are
// being issued in the background, and updates the progress bar.
(function () {
  "use strict";
  var box = document.getElementById("certificate-progress");
  if (!box) return;
  var bar = box.querySelector("progress");
  var rounds = 0;
  function update(p) {
    bar.max = Math.max(p.eligible, 1);
    bar.value = p.issued;
    bar.textContent = p.percent + "%";
    ["issued", "eligible", "emailed"].forEach(function (k) {
      var el = box.querySelector('[data-k="' + k + '"]');
      if (el) el.textContent = p[k];
    });
    return p.issued < p.eligible;
  }
  function poll() {
    fetch(box.dataset.url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (p) {
        rounds += 1;
        if (p && update(p) && rounds < 600) setTimeout(poll, 1000);
      })
      .catch(function () { if (rounds < 600) setTimeout(poll, 3000); });
  }
  poll();
})();
