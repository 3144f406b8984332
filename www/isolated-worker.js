// Overlap: one isolated worker, the process-pool analogue. It imports the
// page's own module with a fresh memory (nothing shared with the page) and
// runs the tasks the page posts, one at a time. The page records its
// start-up and every copy as spans.
'use strict';

let overlap = null;

function nowMs() {
  return performance.timeOrigin + performance.now();
}

self.onmessage = async (event) => {
  const message = event.data;
  try {
    if (message.type === 'start') {
      overlap = await import(message.mainJs);
      // No `memory`: this instance gets its own, as a process would.
      await overlap.default({ module_or_path: message.module });
      self.postMessage({ type: 'ready' });
    } else if (message.type === 'fetch') {
      const reply = await overlap.isolated_worker_fetch(message.url, message.timeoutMs);
      self.postMessage({ type: 'fetched', kind: reply.kind, status: reply.status, bytes: reply.bytes, times: reply.times });
    } else if (message.type === 'task') {
      const reply = overlap.isolated_worker_task(message.input, nowMs());
      // The reply's bytes are copied again by postMessage (structured clone).
      self.postMessage({ type: 'done', output: reply.output, times: reply.times });
    }
  } catch (error) {
    self.postMessage({ type: 'failed', message: String((error && error.message) || error) });
  }
};
