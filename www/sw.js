// Overlap's service worker.
//
// 1. Cross-origin isolation where the host sends no headers (GitHub Pages):
//    same-origin responses get COOP, COEP and CORP when they lack them.
//    Where the host already sends them, responses pass through unchanged.
// 2. Offline: every same-origin GET it serves is kept; when the network
//    fails, the kept copy is served (network first, so a new deploy is seen
//    at once).
// 3. A simulated server for the I/O experiments, `sw-api/delay`, that works
//    on static hosts and offline: it waits `ms`, then answers `status` with
//    `bytes` bytes, serving at most `capacity` requests at once (a server is
//    a bounded resource too); the others wait their turn.
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
  if (url.pathname.endsWith('/sw-api/delay')) {
    event.respondWith(simulatedServer(url.searchParams));
    return;
  }
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

// The simulated server's state: how many requests it is serving, and who
// waits for a free place, first come first served.
var serving = 0;
var waitingForPlace = [];

var LIMITS = {
  ms: [0, 30000, 0],
  bytes: [0, 10485760, 0],
  status: [200, 599, 200],
  capacity: [1, 1000, 6],
  // Ignored: it makes each request's address unique for Resource Timing.
  tag: [0, 999999, 0],
};

function readParameters(params) {
  var values = {};
  for (var key of params.keys()) {
    if (!LIMITS[key]) return { error: 'unknown parameter `' + key + '`; this endpoint takes ms, bytes, status, capacity and tag' };
  }
  for (var name in LIMITS) {
    var limit = LIMITS[name];
    var text = params.get(name);
    if (text === null) {
      values[name] = limit[2];
      continue;
    }
    if (!/^[0-9]+$/.test(text) || Number(text) < limit[0] || Number(text) > limit[1]) {
      return { error: '`' + name + '` must be a whole number in ' + limit[0] + '..=' + limit[1] + '; got `' + text.slice(0, 40) + '`' };
    }
    values[name] = Number(text);
  }
  if ((values.status === 204 || values.status === 205 || values.status === 304) && values.bytes > 0) {
    return { error: '`status=' + values.status + '` responses carry no body, so `bytes` must be 0' };
  }
  return { values: values };
}

function takePlace(capacity) {
  if (serving < capacity) {
    serving += 1;
    return Promise.resolve();
  }
  return new Promise(function (resolve) {
    waitingForPlace.push({ capacity: capacity, resolve: resolve });
  });
}

function givePlaceBack() {
  serving -= 1;
  var index = waitingForPlace.findIndex(function (waiter) {
    return serving < waiter.capacity;
  });
  if (index !== -1) {
    serving += 1;
    waitingForPlace.splice(index, 1)[0].resolve();
  }
}

function simulatedServer(params) {
  var parsed = readParameters(params);
  var headers = { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store' };
  if (parsed.error) return Promise.resolve(new Response(parsed.error + '\n', { status: 400, headers: headers }));
  var values = parsed.values;
  var arrived = performance.now();
  var queuedMs = 0;
  return takePlace(values.capacity)
    .then(function () {
      queuedMs = performance.now() - arrived;
      return new Promise(function (resolve) {
        setTimeout(resolve, values.ms);
      });
    })
    .then(function () {
      givePlaceBack();
      headers['content-type'] = 'application/octet-stream';
      // How long this request waited for a free place: the page records it
      // as queued, not as time on the wire (a sequential run never waits).
      headers['server-timing'] = 'queue;dur=' + queuedMs.toFixed(3);
      var body = values.bytes > 0 ? new Uint8Array(values.bytes).fill(46) : null;
      return new Response(body, { status: values.status, headers: headers });
    });
}
