//! The timeline's maths and words: the time scale, ticks and merging
//! (`scale`), where every row sits (`layout`), keyboard focus (`focus`),
//! hand-offs between lanes (`links`), a time cursor over recorded runs
//! (`replay`), and what it says (`text`). The app's view only draws what
//! these compute.

pub mod counter;
pub mod focus;
pub mod layout;
pub mod links;
pub mod replay;
pub mod scale;
pub mod text;
