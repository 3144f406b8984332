//! The part of a source file the page shows as "the Rust that runs": the
//! lines between `// region: shown` and `// endregion: shown`, so the page
//! shows the real code, included at build time, never a retyped copy.
//!
//! The app cuts them out at compile time (`shown_source!`): a binary that
//! kept the whole file for a few lines of it would carry every included
//! file's imports, tests and comments to every first visit (113 KB of the
//! wasm's 387 KB of data were such lines).

const START: &[u8] = b"// region: shown";
const END: &[u8] = b"// endregion: shown";

/// Where the marked lines (or the whole file, without markers) start and
/// end in `source`, in bytes; computed at compile time by `shown_source!`. The end drops trailing ASCII
/// whitespace (the lines before `// endregion: shown`).
pub const fn shown_bounds(source: &str) -> (usize, usize) {
    let bytes = source.as_bytes();
    let Some(start) = find(bytes, START, 0) else {
        return (0, bytes.len());
    };
    let body_start = match find(bytes, b"\n", start) {
        Some(newline) => newline + 1,
        None => bytes.len(),
    };
    let mut body_end = match find(bytes, END, body_start) {
        Some(end) => end,
        None => bytes.len(),
    };
    while body_end > body_start && bytes[body_end - 1].is_ascii_whitespace() {
        body_end -= 1;
    }
    (body_start, body_end)
}

/// The `N` bytes of `source` from where its shown region starts: with
/// `N` the region's length, the region as an array of its own, so that
/// nothing else of `source` needs to be kept.
pub const fn shown_bytes<const N: usize>(source: &str) -> [u8; N] {
    let (start, _) = shown_bounds(source);
    let bytes = source.as_bytes();
    let mut shown = [0u8; N];
    let mut index = 0;
    while index < N {
        shown[index] = bytes[start + index];
        index += 1;
    }
    shown
}

/// The first `needle` in `haystack` at or after `from`.
const fn find(haystack: &[u8], needle: &[u8], from: usize) -> Option<usize> {
    let mut at = from;
    while at + needle.len() <= haystack.len() {
        let mut matched = 0;
        while matched < needle.len() && haystack[at + matched] == needle[matched] {
            matched += 1;
        }
        if matched == needle.len() {
            return Some(at);
        }
        at += 1;
    }
    None
}

/// The marked lines of a source text known at compile time (an
/// `include_str!`), evaluated by the compiler: a `&'static str` of the
/// shown lines alone, without the rest of the file.
#[macro_export]
macro_rules! shown_source {
    ($source:expr) => {{
        const BOUNDS: (usize, usize) = $crate::source_excerpt::shown_bounds($source);
        const SHOWN: [u8; BOUNDS.1 - BOUNDS.0] = $crate::source_excerpt::shown_bytes($source);
        const TEXT: &str = match ::core::str::from_utf8(&SHOWN) {
            Ok(text) => text,
            Err(_) => panic!("a shown region cuts a character in two"),
        };
        TEXT
    }};
}

#[cfg(test)]
mod tests {
    /// The marked lines at run time, as the tests read them.
    fn shown_region(source: &str) -> &str {
        let (start, end) = super::shown_bounds(source);
        &source[start..end]
    }

    #[test]
    fn cuts_the_marked_region() {
        let source = "use x;\n// region: shown\nfn f() {}\n\n// endregion: shown\nmod tests {}\n";
        assert_eq!(shown_region(source), "fn f() {}");
        assert_eq!(shown_region("fn g() {}"), "fn g() {}");
        assert_eq!(shown_region("// region: shown"), "");
        assert_eq!(shown_region("// region: shown\n  x  \n"), "  x");
        assert!(
            shown_region(include_str!("workloads/kernels/primes.rs")).starts_with("/// Whether `n` is prime")
        );
    }

    #[test]
    fn the_compile_time_cut_is_the_same_cut() {
        const SOURCE: &str = include_str!("workloads/kernels/blur.rs");
        assert_eq!(crate::shown_source!(SOURCE), shown_region(SOURCE));
        assert_eq!(crate::shown_source!("fn g() {}"), "fn g() {}");
        assert_eq!(crate::shown_source!("a\n// region: shown\nb\n// endregion: shown"), "b");
    }
}
