//! What the page reads from and asks of the browser, each in one place: the
//! facts it reports, the clipboard, one clock, frames, downloads, the colour scheme, an
//! element's width, performance marks, thrown values as text, timeouts, how
//! requests are sent, the embed's height told to its host.

pub mod browser_facts;
pub mod clipboard;
pub mod clock;
pub mod color_scheme;
pub mod download;
pub mod element_width;
pub mod frame_height;
pub mod js_error;
pub mod next_paint;
pub mod request;
pub mod timer;
pub mod user_timing;
