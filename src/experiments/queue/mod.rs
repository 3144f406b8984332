//! The queue experiment's page and its three runners: pool threads with a
//! blocking queue (`threads`), coroutines with the page's async queue
//! (`coroutines`), isolated workers with every item copied (`workers`);
//! the last two share the queue on the page (`page_queue`).

mod coroutines;
mod page;
mod page_queue;
mod run;
mod threads;
mod workers;

pub use page::QueuePage;
