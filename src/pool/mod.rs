//! The page's one thread pool: starting it, its state in signals, the probe,
//! and the panel that says what this browser allows.

pub mod capability_panel;
pub mod pool_context;
pub mod thread_pool;
