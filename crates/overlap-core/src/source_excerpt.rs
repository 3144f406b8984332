//! The part of a source file the page shows as "the Rust that runs": the
//! lines between `// region: shown` and `// endregion: shown`, so the page
//! shows the real code, included at build time, never a retyped copy.

const START: &str = "// region: shown";
const END: &str = "// endregion: shown";

/// The marked lines, or the whole file when it has no markers.
pub fn shown_region(source: &str) -> &str {
    let Some(start) = source.find(START) else {
        return source;
    };
    let body_start = source[start..].find('\n').map_or(source.len(), |newline| start + newline + 1);
    let body_end = source[body_start..].find(END).map_or(source.len(), |end| body_start + end);
    source[body_start..body_end].trim_end()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cuts_the_marked_region() {
        let source = "use x;\n// region: shown\nfn f() {}\n\n// endregion: shown\nmod tests {}\n";
        assert_eq!(shown_region(source), "fn f() {}");
        assert_eq!(shown_region("fn g() {}"), "fn g() {}");
        assert!(
            shown_region(include_str!("workloads/kernels/primes.rs")).starts_with("/// Whether `n` is prime")
        );
    }
}
