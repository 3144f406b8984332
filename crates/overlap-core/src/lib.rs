//! Overlap's pure logic: everything the page computes that does not need a
//! browser. The app crate reads facts from the browser, hands them here as
//! plain data, and draws what comes back, in the words core gives it.
//!
//! Shared rooms, each with one job; experiments, each in its own folder,
//! never importing one another.

pub mod address;
pub mod browser;
pub mod charts;
pub mod experiments;
pub mod invariants;
pub mod lang;
pub mod prediction;
#[cfg(test)]
mod python_check;
pub mod records;
pub mod source_excerpt;
pub mod timeline;
pub mod typed_urls;
pub mod workloads;
