//! The page's one thread pool: starting it, its state in signals, the probe,
//! the panel that says what this browser allows, the notice once it broke, and CPU tasks run on k of
//! its threads (`task_lanes`), which any experiment may use.

pub mod broken_notice;
pub mod capability_panel;
pub mod pool_context;
pub mod task_lanes;
pub mod thread_pool;
