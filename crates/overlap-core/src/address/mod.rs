//! The address: the query string's text form, the closed values that travel
//! in it, what could not be used, shares as typed (`share`), and the registry every experiment's
//! parameters are decoded and encoded through.

pub mod embed;
pub mod experiment;
pub mod page_state;
pub mod problem;
pub mod query_text;
pub mod query_value;
pub mod registry;
pub mod share;
