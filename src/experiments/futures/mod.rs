//! The futures lab (`?exp=futures`): core's executor played on real time,
//! tasks on pool threads.

mod page;
mod player;

pub use page::FuturesPage;
