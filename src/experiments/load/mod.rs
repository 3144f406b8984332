//! The load test's page and its runner: one closed or open load run on the
//! page's event loop, recorded by core (`run`), and the page that starts
//! runs, Compares and sweeps, and draws their figures (`page`).

mod page;
mod run;

pub use page::LoadPage;
