//! What the browser allows, decided from the facts it reports: whether
//! threads can share memory (`isolation`), the thread pool's size and
//! states (`pool_state`), and connections per host (`connections`).

pub mod connections;
pub mod isolation;
pub mod pool_state;
