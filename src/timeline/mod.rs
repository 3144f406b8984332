//! The timeline: every run of a page on one time axis (`view`: input,
//! tooltip, exports), one frame painted from what core computed (`paint`),
//! the same spans as tables (`tables`), and counts under the lanes
//! (`counter_chart`).

pub mod counter_chart;
pub mod paint;
pub mod tables;
pub mod view;
