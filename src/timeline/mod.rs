//! The timeline: every run of a page on one time axis (`view`: input,
//! tooltip, exports), one frame painted from what core computed (`paint`),
//! and the same spans as tables (`tables`).

pub mod paint;
pub mod tables;
pub mod view;
