//! Any text in the typed-addresses field: see
//! `overlap_core::invariants::check_typed_urls`.
#![no_main]

use libfuzzer_sys::fuzz_target;
use overlap_core::invariants::check_typed_urls;

fuzz_target!(|data: &[u8]| {
    if let Err(broken) = check_typed_urls(&String::from_utf8_lossy(data)) {
        panic!("{broken}");
    }
});
