//! The thread-local experiment's page and its tasks on the pool (`tasks`).

mod page;
mod tasks;

pub use page::ThreadLocalPage;
