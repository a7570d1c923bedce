/* EventHub gate scanner, the service worker of {{ scope }}: the page and its
 * scripts open with no network. Scans, the pack and the sync are the page's
 * (gate-offline.js); this worker never touches an API request. Its cache is
 * named after the assets' version: a new version replaces the old cache. */
"use strict";
var CACHE = "eventhub-gate-{{ version }}";
var PAGE = "{{ scope|escapejs }}";
var ASSETS = {{ assets_json|safe }};
var PAGE_TIMEOUT_MS = 4000;  // bad Wi-Fi: the copy beats waiting

self.addEventListener("install", function (event) {
  event.waitUntil(caches.open(CACHE).then(function (cache) {
    return cache.addAll(ASSETS).then(function () {
      // The page too, while the login is fresh (a redirect to the login page is not kept).
      return fetch(PAGE, { credentials: "same-origin", redirect: "error" }).then(function (response) {
        if (response.ok) { return cache.put(PAGE, response); }
      }).catch(function () { /* kept on the next visit */ });
    });
  }).then(function () { return self.skipWaiting(); }));
});

self.addEventListener("activate", function (event) {
  event.waitUntil(caches.keys().then(function (names) {
    return Promise.all(names.filter(function (name) {
      return name.indexOf("eventhub-gate-") === 0 && name !== CACHE;
    }).map(function (name) { return caches.delete(name); }));
  }).then(function () { return self.clients.claim(); }));
});

function pageFromNetwork(request) {
  return new Promise(function (resolve, reject) {
    var timer = setTimeout(function () { reject(new Error("slow")); }, PAGE_TIMEOUT_MS);
    fetch(request).then(function (response) {
      clearTimeout(timer);
      if (response.ok && response.type === "basic" && !response.redirected) {
        var copy = response.clone();
        caches.open(CACHE).then(function (cache) { cache.put(PAGE, copy); });
      }
      resolve(response);
    }, function (err) { clearTimeout(timer); reject(err); });
  });
}

self.addEventListener("fetch", function (event) {
  var request = event.request;
  if (request.method !== "GET") { return; }
  var url = new URL(request.url);
  if (url.origin !== self.location.origin) { return; }
  if (request.mode === "navigate" && url.pathname === PAGE) {
    event.respondWith(pageFromNetwork(request).catch(function () {
      return caches.match(PAGE).then(function (copy) {
        return copy || new Response("{{ no_copy|escapejs }}", {
          status: 503, headers: { "Content-Type": "text/plain; charset=utf-8" }
        });
      });
    }));
    return;
  }
  if (ASSETS.indexOf(url.pathname) >= 0) {
    event.respondWith(caches.match(url.pathname).then(function (hit) { return hit || fetch(request); }));
  }
});
