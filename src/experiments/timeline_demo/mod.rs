//! The timeline drawing a fixed trace.

mod page;

pub use page::TimelineDemoPage;
