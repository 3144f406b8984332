//! The address as the page uses it: written back as parameters change, and
//! its problems shown where they concern.

pub mod page_address;
pub mod query_problems;
