//! Any address, and any text typed into any field of its page: see
//! `overlap_core::invariants::check_address`. The input is the query, then
//! (after a U+0001, which no address holds) the typed text.
#![no_main]

use libfuzzer_sys::fuzz_target;
use overlap_core::invariants::check_address;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let (query, typed) = text.split_once('\u{1}').unwrap_or((&text, ""));
    if let Err(broken) = check_address(query, typed) {
        panic!("{broken}");
    }
});
