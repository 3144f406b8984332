//! The timeline: every run of a page on one time axis (`view`: input,
//! tooltip, exports), one frame painted from what core computed (`paint`),
//! the same spans as tables (`tables`), counts under the lanes
//! (`counter_chart`), runs shown as recorded (`recorded`: a link's, a
//! trace's), the time cursor that replays them (`replay_view`), and the
//! link that carries them (`share`).

pub mod counter_chart;
pub mod paint;
pub mod recorded;
pub mod replay_view;
pub mod share;
pub mod tables;
pub mod view;
