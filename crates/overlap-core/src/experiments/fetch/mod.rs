//! The I/O experiment (`?exp=fetch`): many real `fetch()` requests one after
//! another, all at once, through a bounded pool, or from isolated workers.

mod figures;
mod model;
mod params;
pub mod prediction;

pub use figures::*;
pub use model::*;
pub use params::*;
