//! Overlap's pure logic: everything the page computes that does not need a
//! browser. The app crate reads facts from the browser, hands them here as
//! plain data, and draws what comes back.

pub mod isolation;
pub mod page_state;
pub mod pool_state;
pub mod query_text;
