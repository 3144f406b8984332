//! The security headers every host sends with the page: one
//! Content-Security-Policy, the same for every build, checked at build time
//! against what Trunk wrote, and the same for the dev server, `_headers`
//! (Netlify, Cloudflare Pages) and the service worker (GitHub Pages and
//! other hosts that send none).

use crate::process::{Result, XtaskError};

/// The service worker's stand-in for the policy, replaced in `dist/sw.js`
/// by `after_trunk`.
pub const SERVICE_WORKER_PLACEHOLDER: &str = "__OVERLAP_CONTENT_SECURITY_POLICY__";

/// The page's policy: its own scripts, styles and workers only, and no
/// inline script, whose hash would change with every build (a service
/// worker of the last build would then add its policy to the next build's
/// page and block it; `dist.rs` moves Trunk's start module into a file).
pub const CONTENT_SECURITY_POLICY: &str = concat!(
    "default-src 'self'; ",
    "script-src 'self' 'wasm-unsafe-eval'; ",
    // wasm-bindgen-rayon's `no-bundler` helper starts each pool worker
    // from a `blob:` URL.
    "worker-src 'self' blob:; ",
    // The fetch experiment and the load test send requests to https:
    // addresses the user types.
    "connect-src 'self' https:; ",
    // Downloads and exported images are `data:` or `blob:` URLs.
    "img-src 'self' data: blob:; ",
    "style-src 'self'; ",
    "object-src 'none'; ",
    "base-uri 'none'; ",
    "form-action 'none'; ",
    // Tutorials embed experiments in their own pages.
    "frame-ancestors *",
);

/// What makes the page cross-origin isolated, as name (lower case) and
/// value; `www/_headers` and `www/sw.js` send the same (a test below reads
/// them).
/// - COOP and COEP isolate a page that is the top of its tab, or a frame
///   whose host is isolated too.
/// - `Document-Isolation-Policy` (Chromium 137 and later) isolates the
///   document alone, also as a frame of a tutorial that is not isolated.
///   Another engine ignores it.
/// - CORP `cross-origin`: an isolated host's COEP loads a frame from another
///   origin only if the frame's response allows it. Every file here is
///   public, so every response allows it.
pub const ISOLATION_HEADERS: [(&str, &str); 4] = [
    ("cross-origin-opener-policy", "same-origin"),
    ("cross-origin-embedder-policy", "require-corp"),
    ("cross-origin-resource-policy", "cross-origin"),
    ("document-isolation-policy", "isolate-and-require-corp"),
];

/// Every security header, as name (lower case) and value.
pub const HEADERS: [(&str, &str); 3] = [
    ("content-security-policy", CONTENT_SECURITY_POLICY),
    ("x-content-type-options", "nosniff"),
    ("referrer-policy", "no-referrer"),
];

/// Fails on an inline script in the built page: the policy would block it.
pub fn check_index(index_html: &str) -> Result<()> {
    match inline_scripts(index_html)?.first() {
        Some(script) => {
            let start: String = script.trim().chars().take(60).collect();
            Err(XtaskError::Setup(format!(
                "dist/index.html has an inline script (`{start}`…): the policy allows scripts from files only"
            )))
        }
        None => Ok(()),
    }
}

/// The lines `_headers` gets under its `/*` rule.
pub fn headers_file_lines() -> String {
    let names = ["Content-Security-Policy", "X-Content-Type-Options", "Referrer-Policy"];
    names.iter().zip(HEADERS).map(|(name, (_, value))| format!("  {name}: {value}\n")).collect()
}

/// The text of every `<script>` element of `html` that has no `src`, as it
/// stands between its tags (what the browser hashes).
fn inline_scripts(html: &str) -> Result<Vec<&str>> {
    let mut scripts = Vec::new();
    let mut rest = html;
    while let Some(start) = rest.find("<script") {
        let after_name = &rest[start + "<script".len()..];
        let tag_end = after_name
            .find('>')
            .ok_or_else(|| XtaskError::Setup("dist/index.html has a <script tag that never closes".into()))?;
        let attributes = &after_name[..tag_end];
        let body = &after_name[tag_end + 1..];
        let body_end = body
            .find("</script>")
            .ok_or_else(|| XtaskError::Setup("dist/index.html has a <script> without </script>".into()))?;
        if !attributes.split_whitespace().any(|attribute| attribute.starts_with("src=")) {
            scripts.push(&body[..body_end]);
        }
        rest = &body[body_end + "</script>".len()..];
    }
    Ok(scripts)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scripts_come_from_files_and_an_inline_one_is_refused() {
        let index = r#"<head><script src="./isolate.js"></script><script type="module" src="./start-1.js"></script></head>"#;
        assert!(check_index(index).is_ok());
        expect_test::expect!["default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; worker-src 'self' blob:; connect-src 'self' https:; img-src 'self' data: blob:; style-src 'self'; object-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors *"]
        .assert_eq(CONTENT_SECURITY_POLICY);
        let inline = r#"<head><script type="module">import init from './a.js';</script></head>"#;
        let refused = check_index(inline).expect_err("an inline script");
        assert!(refused.to_string().contains("import init from './a.js';"), "{refused}");
    }

    #[test]
    fn a_script_that_never_ends_is_an_error() {
        assert!(check_index("<script>let a = 1;").is_err());
        assert!(check_index("<script type=module").is_err());
        assert_eq!(inline_scripts("<p>no scripts</p>").expect("none").len(), 0);
    }

    #[test]
    fn every_host_sends_the_same_isolation_headers() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
        let headers_file = std::fs::read_to_string(root.join("www/_headers")).expect("www/_headers");
        let worker = std::fs::read_to_string(root.join("www/sw.js")).expect("www/sw.js");
        let headers_lines: Vec<String> =
            headers_file.lines().map(|line| line.trim().to_ascii_lowercase()).collect();
        let worker = worker.to_ascii_lowercase();
        for (name, value) in ISOLATION_HEADERS {
            assert!(
                headers_lines.contains(&format!("{name}: {value}")),
                "www/_headers lacks {name}: {value}"
            );
            assert!(worker.contains(&format!("['{name}', '{value}']")), "www/sw.js lacks {name}: {value}");
        }
    }

    #[test]
    fn the_headers_file_gets_every_header() {
        // Each line indented under `_headers`' `/*` rule (an expect! block
        // would strip the indent).
        assert_eq!(
            headers_file_lines(),
            format!(
                "  Content-Security-Policy: {CONTENT_SECURITY_POLICY}\n  X-Content-Type-Options: nosniff\n  Referrer-Policy: no-referrer\n"
            )
        );
    }
}
