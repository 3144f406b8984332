// Overlap's service worker.
//
// 1. Cross-origin isolation where the host sends no headers (GitHub Pages):
//    same-origin responses get COOP, COEP and CORP when they lack them.
//    Where the host already sends them, responses pass through unchanged.
// 2. Offline: every same-origin GET it serves is kept; when the network
//    fails, the kept copy is served (network first, so a new deploy is seen
//    at once).
'use strict';

var CACHE_NAME = 'overlap-v1';

self.addEventListener('install', function () {
  self.skipWaiting();
});

self.addEventListener('activate', function (event) {
  // Control the open page at once: isolate.js reloads it when this lets it
  // become isolated.
  event.waitUntil(self.clients.claim());
});

self.addEventListener('fetch', function (event) {
  var request = event.request;
  if (request.method !== 'GET') return;
  var url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  // Live endpoints are measured, never cached.
  if (url.pathname.indexOf('/api/') !== -1) return;
  // Chromium throws on fetch() of such requests made by DevTools
  // (https://crbug.com/823392).
  if (request.cache === 'only-if-cached' && request.mode !== 'same-origin') return;
  event.respondWith(networkFirst(event));
});

// Navigations are kept under their path alone: the query string holds the
// page's state, and any state must open offline.
function cacheKey(request) {
  if (request.mode !== 'navigate') return request;
  var url = new URL(request.url);
  url.search = '';
  return url.href;
}

function networkFirst(event) {
  var request = event.request;
  return fetch(request).then(
    function (response) {
      if (response.ok && response.type === 'basic') {
        var copy = response.clone();
        event.waitUntil(
          caches.open(CACHE_NAME).then(function (cache) {
            return cache.put(cacheKey(request), copy);
          })
        );
      }
      return withIsolationHeaders(response);
    },
    function (networkError) {
      return caches.match(cacheKey(request)).then(function (kept) {
        if (kept) return withIsolationHeaders(kept);
        throw networkError;
      });
    }
  );
}

function withIsolationHeaders(response) {
  // Opaque and redirected responses cannot be rebuilt; the browser handles them.
  if (response.status === 0 || response.type === 'opaqueredirect') return response;
  if (response.headers.get('Cross-Origin-Embedder-Policy')) return response;
  var headers = new Headers(response.headers);
  headers.set('Cross-Origin-Opener-Policy', 'same-origin');
  headers.set('Cross-Origin-Embedder-Policy', 'require-corp');
  headers.set('Cross-Origin-Resource-Policy', 'same-origin');
  return new Response(response.body, {
    status: response.status,
    statusText: response.statusText,
    headers: headers,
  });
}
