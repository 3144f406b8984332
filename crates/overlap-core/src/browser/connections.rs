//! What the browser allows requests: every experiment that sends them meets
//! the same limit.

/// The browser's limit of concurrent HTTP/1.1 connections to one host
/// (Chromium and Firefox both hold at six).
pub const HTTP1_CONNECTIONS_PER_HOST: u32 = 6;
