/* Service worker of the support-visit form: the page opens with no signal.
 *
 * Served by the view `learning:visit_sw`, which prepends LOA_CACHE (versioned by this
 * file and the URLs), LOA_PRECACHE (the form page and its static files) and
 * LOA_FORM_URL. The form page is fetched from the network first, so that an online
 * phone always gets a fresh page and CSRF cookie, and from the cache when offline.
 * Static files come from the cache first. Only GET requests are touched: the API posts
 * of visit.js go straight to the network.
 */
/* global LOA_CACHE, LOA_PRECACHE, LOA_FORM_URL */


function cacheable(response) {
  // A redirect means the session ended (login page): never keep that as the form.
  return response && response.ok && !response.redirected && response.type === "basic";
}

self.addEventListener("install", function (event) {
  event.waitUntil(
    caches.open(LOA_CACHE).then(function (cache) {
      return Promise.all(LOA_PRECACHE.map(function (url) {
        return fetch(url, { credentials: "same-origin" }).then(function (response) {
          if (cacheable(response)) return cache.put(url, response);
        }).catch(function () { /* cached later, when the page is opened online */ });
      }));
    }).then(function () { return self.skipWaiting(); })
  );
});

self.addEventListener("activate", function (event) {
  event.waitUntil(
    caches.keys().then(function (keys) {
      return Promise.all(keys.filter(function (key) {
        return key.indexOf("loa-visit-") === 0 && key !== LOA_CACHE;
      }).map(function (key) { return caches.delete(key); }));
    }).then(function () { return self.clients.claim(); })
  );
});

self.addEventListener("fetch", function (event) {
  var request = event.request;
  if (request.method !== "GET") return;
  var url = new URL(request.url);
  if (url.origin !== self.location.origin) return;

  if (url.pathname === LOA_FORM_URL) {
    event.respondWith(
      fetch(request).then(function (response) {
        if (cacheable(response)) {
          var copy = response.clone();
          caches.open(LOA_CACHE).then(function (cache) { cache.put(LOA_FORM_URL, copy); });
        }
        return response;
      }).catch(function () {
        return caches.match(LOA_FORM_URL, { ignoreSearch: true }).then(function (cached) {
          return cached || new Response(
            "<!doctype html><meta charset=utf-8><title>Không có mạng</title>" +
            "<p style='font:18px sans-serif;padding:1rem'>Không có mạng và máy chưa lưu trang ghi lượt hỗ trợ. " +
            "Hãy mở trang này một lần khi có mạng.</p>",
            { status: 503, headers: { "Content-Type": "text/html; charset=utf-8" } }
          );
        });
      })
    );
    return;
  }

  if (LOA_PRECACHE.indexOf(url.pathname) !== -1) {
    event.respondWith(
      caches.match(url.pathname).then(function (cached) {
        var network = fetch(request).then(function (response) {
          if (cacheable(response)) {
            var copy = response.clone();
            caches.open(LOA_CACHE).then(function (cache) { cache.put(url.pathname, copy); });
          }
          return response;
        }).catch(function () { return cached || Response.error(); });
        return cached || network;
      })
    );
  }
});
