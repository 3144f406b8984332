// Overlap's service worker.
//
// 1. The page's headers where the host sends none (GitHub Pages): each
//    same-origin response it serves gets whichever of COOP, COEP, CORP and
//    Document-Isolation-Policy (cross-origin isolation, also inside a frame:
//    xtask/src/security_headers.rs says why each), the Content-Security-Policy, nosniff and
//    Referrer-Policy it lacks. Where the host already sends them all,
//    responses pass through unchanged.
// 2. Offline: every same-origin GET it serves is kept; when the network
//    fails, the kept copy is served (network first, so a new deploy is seen
//    at once).
// 3. A simulated server for the I/O experiments, `sw-api/delay`, that works
//    on static hosts and offline: it waits `ms`, then answers `status` with
//    `bytes` bytes, serving at most `capacity` requests at once (a server is
//    a bounded resource too); the others wait their turn.
// 4. The load endpoint's double, `sw-api/work` (GET or POST), for the same
//    hosts: the dev server's `/api/work` parameters, 400 messages, fail
//    decision and headers, but it waits `cpu_ms` instead of computing (a
//    service worker has one thread, and the page's own would be measured).
//    It serves `workers` requests at once with at most `queue` more waiting,
//    first come first served; a request that finds the queue full gets 503
//    at once. Its state is its own, apart from `sw-api/delay`'s.
'use strict';

var CACHE_NAME = 'overlap-v1';

// `cargo xtask` writes the policy here when it builds the page
// (xtask/src/security_headers.rs): one text, the one the dev server and
// dist/_headers send, kept in one place.
var CONTENT_SECURITY_POLICY = '__OVERLAP_CONTENT_SECURITY_POLICY__';
// A bundle built by `trunk build` alone has no policy written in: sending
// the stand-in would be an invalid header, so none is sent.
var HAS_POLICY = CONTENT_SECURITY_POLICY.indexOf('__OVERLAP_') !== 0;

// What a same-origin response must carry, added when it lacks one.
var PAGE_HEADERS = [
  ['Cross-Origin-Opener-Policy', 'same-origin'],
  ['Cross-Origin-Embedder-Policy', 'require-corp'],
  ['Cross-Origin-Resource-Policy', 'cross-origin'],
  ['Document-Isolation-Policy', 'isolate-and-require-corp'],
  ['Content-Security-Policy', CONTENT_SECURITY_POLICY],
  ['X-Content-Type-Options', 'nosniff'],
  ['Referrer-Policy', 'no-referrer'],
].filter(function (header) {
  return HAS_POLICY || header[0] !== 'Content-Security-Policy';
});

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
  var url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  // The one endpoint that takes bodies: a load test may POST.
  if (url.pathname.endsWith('/sw-api/work')) {
    event.respondWith(workServer(request, url.searchParams));
    return;
  }
  if (request.method !== 'GET') return;
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
      return withPageHeaders(response);
    },
    function (networkError) {
      return caches.match(cacheKey(request)).then(function (kept) {
        if (kept) return withPageHeaders(kept);
        throw networkError;
      });
    }
  );
}

function withPageHeaders(response) {
  // Opaque and redirected responses cannot be rebuilt; the browser handles them.
  if (response.status === 0 || response.type === 'opaqueredirect') return response;
  var missing = PAGE_HEADERS.filter(function (header) {
    return !response.headers.has(header[0]);
  });
  if (missing.length === 0) return response;
  var headers = new Headers(response.headers);
  missing.forEach(function (header) {
    headers.set(header[0], header[1]);
  });
  return new Response(response.body, {
    status: response.status,
    statusText: response.statusText,
    headers: headers,
  });
}

// A bounded server: at most `limit` requests served at once, the others
// waiting first come first served, at most `queueLimit` of them (`take`
// gives null at once when they are that many). Each simulated server has
// its own.
function Places() {
  this.serving = 0;
  this.waiting = [];
}

Places.prototype.take = function (limit, queueLimit) {
  if (this.serving < limit && this.waiting.length === 0) {
    this.serving += 1;
    return Promise.resolve();
  }
  if (this.waiting.length >= queueLimit) return null;
  var waiting = this.waiting;
  return new Promise(function (resolve) {
    waiting.push({ limit: limit, resolve: resolve });
  });
};

// Given back before answering, so that a request sent on this answer finds
// the place free.
Places.prototype.giveBack = function () {
  this.serving -= 1;
  if (this.waiting.length > 0 && this.serving < this.waiting[0].limit) {
    this.serving += 1;
    this.waiting.shift().resolve();
  }
};

// `sw-api/delay`'s places: it queues without a bound.
var delayPlaces = new Places();

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

function simulatedServer(params) {
  var parsed = readParameters(params);
  var headers = { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store' };
  if (parsed.error) return Promise.resolve(new Response(parsed.error + '\n', { status: 400, headers: headers }));
  var values = parsed.values;
  var arrived = performance.now();
  var queuedMs = 0;
  return delayPlaces.take(values.capacity, Infinity)
    .then(function () {
      queuedMs = performance.now() - arrived;
      return new Promise(function (resolve) {
        setTimeout(resolve, values.ms);
      });
    })
    .then(function () {
      delayPlaces.giveBack();
      headers['content-type'] = 'application/octet-stream';
      // How long this request waited for a free place: the page records it
      // as queued, not as time on the wire (a sequential run never waits).
      headers['server-timing'] = 'queue;dur=' + queuedMs.toFixed(3);
      var body = values.bytes > 0 ? new Uint8Array(values.bytes).fill(46) : null;
      return new Response(body, { status: values.status, headers: headers });
    });
}

// `sw-api/work`: the same bounds and messages as xtask/src/work_query.rs,
// plus its own capacity (the dev server's is set by `cargo xtask serve`).
var WORK_LIMITS = {
  cpu_ms: [0, 1000, 0],
  bytes: [0, 1048576, 0],
  seed: [0, 4294967295, 0],
  // No default: the server numbers the request (workNextIndex).
  i: [0, 4294967295, null],
  workers: [1, 64, 2],
  queue: [0, 10000, 16],
};
var WORK_KEYS =
  'cpu_ms (0..=1000), bytes (0..=1048576), fail (0..=1), seed (0..=4294967295), i (0..=4294967295), workers (1..=64) and queue (0..=10000)';
var POST_BODY_MAX = 16 * 1024 * 1024;

// The load server's state, apart from sw-api/delay's: its places, and the
// next request's number.
var workPlaces = new Places();
var workNextIndex = 0;
// Every body is a slice of this one buffer, made once.
var workDots = null;

// Echoed values are cut short: a message is one line, whatever was sent.
function echo(text) {
  var cut = text.slice(0, 40).replace(/[\u0000-\u001f\u007f-\u009f]/g, '');
  return text.length > 40 ? cut + '…' : cut;
}

// Digits, then at most one dot followed by 1 to 6 digits (`0.25`, `1`), at
// most 1; read exactly, in millionths, as the dev server reads it.
function readShare(text) {
  var match = /^([0-9]+)(?:\.([0-9]{1,6}))?$/.exec(text);
  if (!match) return null;
  var millionths = Number(match[1]) * 1000000 + Number((match[2] || '').padEnd(6, '0'));
  return millionths <= 1000000 ? millionths / 1000000 : null;
}

function readWorkParameters(params) {
  var values = { fail: 0 };
  var seen = {};
  // In the order given, so the first bad parameter is the one named, as on
  // the dev server.
  for (var entry of params) {
    var key = entry[0];
    var text = entry[1];
    if (key !== 'fail' && !WORK_LIMITS[key]) {
      return { error: 'unknown parameter `' + echo(key) + '`; this endpoint takes ' + WORK_KEYS };
    }
    if (seen[key]) return { error: '`' + key + '` is given more than once' };
    seen[key] = true;
    if (key === 'fail') {
      values.fail = readShare(text);
      if (values.fail === null) {
        return { error: '`fail` must be a decimal in 0..=1 with at most 6 decimals, like 0.25; got `' + echo(text) + '`' };
      }
      continue;
    }
    var limit = WORK_LIMITS[key];
    if (!/^[0-9]+$/.test(text) || Number(text) < limit[0] || Number(text) > limit[1]) {
      return { error: '`' + key + '` must be a whole number in ' + limit[0] + '..=' + limit[1] + '; got `' + echo(text) + '`' };
    }
    values[key] = Number(text);
  }
  for (var name in WORK_LIMITS) {
    if (!(name in values)) values[name] = WORK_LIMITS[name][2];
  }
  return { values: values };
}

// BigInt constants are made on first use, not written as literals: a
// browser without BigInt must still parse this file (it isolates the page).
var splitmixConstants = null;

// Whether request `index` of the run `seed` fails when a share `fail` of
// requests fails: splitmix64 of (seed << 32) | index, as a uniform u in
// [0, 1), failing iff u < fail. The same function as `fails` in
// xtask/src/work_query.rs; the two must stay equal, bit for bit (for seed=1,
// i=0..1000, fail=0.25 both fail 247 requests; seed=7, i=0..200, fail=0.5: 97).
function fails(seed, index, fail) {
  if (!splitmixConstants) {
    splitmixConstants = {
      golden: BigInt('0x9E3779B97F4A7C15'),
      first: BigInt('0xBF58476D1CE4E5B9'),
      second: BigInt('0x94D049BB133111EB'),
    };
  }
  var c = splitmixConstants;
  var z = (BigInt(seed) << BigInt(32)) | BigInt(index);
  // Each step wraps at 64 bits, as u64 arithmetic does in Rust.
  z = BigInt.asUintN(64, z + c.golden);
  z = BigInt.asUintN(64, (z ^ (z >> BigInt(30))) * c.first);
  z = BigInt.asUintN(64, (z ^ (z >> BigInt(27))) * c.second);
  z = z ^ (z >> BigInt(31));
  // 53 bits: exact as a Number, and so is the division by 2^53.
  var u = Number(z >> BigInt(11)) / 9007199254740992;
  return u < fail;
}

// Reads a POST body as it comes and only counts it.
function countBody(request) {
  if (request.method !== 'POST') return Promise.resolve({ bytes: null });
  if (!request.body) {
    // Where a request's body is not a stream, it is read whole, then dropped.
    return request.arrayBuffer().then(function (buffer) {
      return { bytes: buffer.byteLength, tooLarge: buffer.byteLength > POST_BODY_MAX };
    });
  }
  var reader = request.body.getReader();
  var read = 0;
  function next() {
    return reader.read().then(function (chunk) {
      if (chunk.done) return { bytes: read, tooLarge: false };
      read += chunk.value.byteLength;
      if (read > POST_BODY_MAX) {
        reader.cancel();
        return { bytes: read, tooLarge: true };
      }
      return next();
    });
  }
  return next();
}

function workServer(request, params) {
  var headers = {
    'content-type': 'text/plain; charset=utf-8',
    'cache-control': 'no-store',
    'server-timing': 'queue;dur=0.000, cpu;dur=0.000',
  };
  // A POST reports the bytes of its body read, none yet.
  if (request.method === 'POST') headers['x-body-bytes'] = '0';
  function answer(status, message) {
    return new Response(message + '\n', { status: status, headers: headers });
  }
  if (request.method !== 'GET' && request.method !== 'POST') {
    headers.allow = 'GET, POST';
    return Promise.resolve(answer(405, 'this endpoint takes GET and POST; got ' + request.method));
  }
  var parsed = readWorkParameters(params);
  if (parsed.error) return Promise.resolve(answer(400, parsed.error));
  var values = parsed.values;
  // Read before queueing: a server takes the request in before working on it.
  return countBody(request).then(
    function (body) {
      if (body.bytes !== null) headers['x-body-bytes'] = String(body.bytes);
      if (body.tooLarge) {
        return answer(413, 'the request body is larger than ' + POST_BODY_MAX + ' bytes (16 MiB); it is refused');
      }
      var index = values.i;
      if (index === null) {
        index = workNextIndex;
        workNextIndex = (workNextIndex + 1) >>> 0;
      }
      var arrived = performance.now();
      var place = workPlaces.take(values.workers, values.queue);
      if (!place) {
        return answer(
          503,
          'queue full: all ' + values.workers + ' workers are busy and all ' + values.queue + ' places in the queue are taken'
        );
      }
      var queuedMs = 0;
      var startedAt = 0;
      return place
        .then(function () {
          startedAt = performance.now();
          queuedMs = startedAt - arrived;
          // No work, no wait: a zero timeout still costs a timer turn
          // (clamped to 4 ms once timers nest), which would cap the
          // simulated server far below what its workers allow.
          if (values.cpu_ms === 0) return undefined;
          return new Promise(function (resolve) {
            setTimeout(resolve, values.cpu_ms);
          });
        })
        .then(function () {
          var workedMs = performance.now() - startedAt;
          workPlaces.giveBack();
          headers['server-timing'] = 'queue;dur=' + queuedMs.toFixed(3) + ', cpu;dur=' + workedMs.toFixed(3);
          // After the wait: a failing request has cost its time all the same.
          if (fails(values.seed, index, values.fail)) {
            return answer(500, 'request i=' + index + ' of seed=' + values.seed + ' fails on purpose (fail=' + values.fail + ')');
          }
          if (!workDots) workDots = new Uint8Array(1048576).fill(46);
          headers['content-type'] = 'application/octet-stream';
          return new Response(workDots.subarray(0, values.bytes), { status: 200, headers: headers });
        });
    },
    function (error) {
      return answer(400, 'the request body could not be read: ' + error);
    }
  );
}
