//! The deadlock experiment's page and its threads on the pool (`lab`).

mod lab;
mod page;

pub use page::DeadlockPage;
