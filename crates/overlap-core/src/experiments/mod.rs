//! One folder per experiment: its parameters and their codec, its model,
//! and what it says. An experiment never imports another one; what two
//! share lives in a shared room beside this folder.

pub mod asyncio;
pub mod cpu;
pub mod deadlock;
pub mod fetch;
pub mod futures;
pub mod home;
pub mod load;
pub mod lockstep;
pub mod queue;
pub mod race;
pub mod sweep;
pub mod thread_local;
pub mod timeline_demo;
