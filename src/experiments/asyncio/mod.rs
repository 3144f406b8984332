//! The event-loop experiment's page and the loop it runs on an isolated
//! worker (`event_loop`).

mod event_loop;
mod page;

pub use page::AsyncioPage;
