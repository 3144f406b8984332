//! The I/O experiment's page and runners: requests driven by futures on the
//! page's thread (`run`), or from isolated workers (`isolated`).

mod isolated;
mod page;
mod run;

pub use page::FetchPage;
