// Overlap: cross-origin isolation on hosts that cannot send headers.
//
// Browsers let threads share memory only in a cross-origin isolated page,
// which takes the COOP and COEP response headers. Hosts such as GitHub Pages
// cannot send them, so Overlap's service worker (sw.js) adds them to the
// responses it serves. A page loaded before the worker took control is not
// isolated yet: it is reloaded once, and never again in this tab's session,
// so a browser that still refuses isolation never loops.
//
// The worker is registered on every host (it also keeps the page working
// offline), but it changes headers only where they are missing and the page
// reloads only when that can help: not when already isolated, and not inside
// an iframe, whose isolation also depends on the page around it.
(function () {
  'use strict';
  if (!('serviceWorker' in navigator) || !window.isSecureContext) return;

  var RELOADED_KEY = 'overlap:isolation-reload';
  var mayReload = !window.crossOriginIsolated && window.top === window && !navigator.serviceWorker.controller;

  function reloadOnce() {
    try {
      if (sessionStorage.getItem(RELOADED_KEY)) return;
      sessionStorage.setItem(RELOADED_KEY, String(Date.now()));
    } catch (blocked) {
      // No session storage (blocked by the user): without it a reload could
      // not be limited to one, so stay as we are; the page says why threads are off.
      return;
    }
    // The app reads this before it starts a run that `run=1` asked for:
    // a run in a page about to reload would leave its requests holding
    // the service worker's simulated server while the next page runs.
    document.documentElement.dataset.reloading = 'true';
    window.location.reload();
  }

  if (mayReload) {
    navigator.serviceWorker.addEventListener('controllerchange', reloadOnce, { once: true });
  }
  navigator.serviceWorker.register('./sw.js').catch(function (error) {
    // Not an error of the page: threads stay off and the page says why.
    console.warn('Overlap: the service worker could not be registered:', error);
  });
})();
