//! The lock-step experiment's page and its threads on the pool (`turns`).

mod page;
mod turns;

pub use page::LockstepPage;
