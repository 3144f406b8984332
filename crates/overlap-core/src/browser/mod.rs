//! What the browser allows, decided from the facts it reports: whether
//! threads can share memory (`isolation`) and the thread pool's size and
//! states (`pool_state`).

pub mod isolation;
pub mod pool_state;
