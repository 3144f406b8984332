// Overlap: one isolated worker, the process-pool analogue. It imports the
// page's own module with a fresh memory (nothing shared with the page) and
// calls the export the page names, one call at a time. What the calls mean
// belongs to the experiment that makes them (src/workers/isolated_worker.rs).
'use strict';

let overlap = null;

self.onmessage = async (event) => {
  const message = event.data;
  try {
    if (message.type === 'start') {
      overlap = await import(message.mainJs);
      // No `memory`: this instance gets its own, as a process would.
      await overlap.default({ module_or_path: message.module });
      // Held until this worker ends, however it ends: the page waits for
      // the same lock to learn of it, since no event tells it
      // (whatwg/html#5869; src/workers/isolated_worker.rs). A refused
      // request (storage denied) leaves the worker working, unwatched.
      let locked = false;
      if (message.lifeLock && self.navigator.locks) {
        locked = await new Promise((held) => {
          self.navigator.locks
            .request(message.lifeLock, () => {
              held(true);
              return new Promise(() => {});
            })
            .catch(() => held(false));
        });
      }
      self.postMessage({ type: 'ready', locked });
    } else if (message.type === 'call') {
      // Only the exports made for isolated workers can be called.
      if (!String(message.export).startsWith('isolated_worker_') || typeof overlap[message.export] !== 'function') {
        throw new Error(`no isolated-worker export ${message.export}`);
      }
      const value = await overlap[message.export](...message.args);
      self.postMessage({ type: 'answer', value });
    }
  } catch (error) {
    self.postMessage({ type: 'failed', message: String((error && error.message) || error) });
  }
};
