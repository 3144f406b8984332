//! Isolated workers: plain module Web Workers, each instantiating this
//! page's module with a memory of its own (`www/isolated-worker.js`). Any
//! experiment may use them; each posts calls to its own exports.

pub mod isolated_worker;
