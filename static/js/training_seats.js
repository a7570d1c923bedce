// Keeps the free seats of the event page's training sessions current by
// re-fetching the section (server-rendered, translated) every 20 seconds
// while the page is visible.
(function () {
  "use strict";
  var PERIOD = 20000;
  function refresh() {
    var section = document.querySelector("section.training-seats[data-refresh-url]");
    if (!section || document.hidden) return;
    fetch(section.dataset.refreshUrl, { credentials: "same-origin" })
      .then(function (r) { return r.ok ? r.text() : null; })
      .then(function (html) {
        if (!html) return;
        var doc = new DOMParser().parseFromString(html, "text/html");
        var fresh = doc.querySelector("section.training-seats");
        if (fresh) section.replaceWith(fresh);
      })
      .catch(function () {});
  }
  setInterval(refresh, PERIOD);
  document.addEventListener("visibilitychange", refresh);
})();
