//! The front page: the map of every experiment, then what this browser can do.

mod page;

pub use page::HomePage;
