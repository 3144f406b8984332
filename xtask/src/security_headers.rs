//! The security headers every host sends with the page: one
//! Content-Security-Policy, the same for every build, checked at build time
//! against what Trunk wrote, and the same for the dev server, `_headers`
//! (Netlify, Cloudflare Pages) and the service worker (GitHub Pages and
//! other hosts that send none).

use crate::process::{Result, XtaskError};

/// The service worker's stand-in for the policy, replaced in `dist/sw.js`
/// by `after_trunk`.
pub const SERVICE_WORKER_PLACEHOLDER: &str = "__OVERLAP_CONTENT_SECURITY_POLICY__";

/// The headers a host sends with every response of the page.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SecurityHeaders {
    pub content_security_policy: String,
}

impl SecurityHeaders {
    /// The policy for the page `index_html`: its own scripts, styles and
    /// workers only. An inline script is refused here rather than allowed
    /// by its hash: a hash changes with every build, and a service worker
    /// of the last build would add its policy to the next build's page
    /// (`dist.rs` moves Trunk's start module into a file).
    pub fn for_index(index_html: &str) -> Result<SecurityHeaders> {
        if let Some(script) = inline_scripts(index_html)?.first() {
            let start: String = script.trim().chars().take(60).collect();
            return Err(XtaskError::Setup(format!(
                "dist/index.html has an inline script (`{start}`…): the policy allows scripts from files only"
            )));
        }
        let directives = [
            "default-src 'self'".to_string(),
            "script-src 'self' 'wasm-unsafe-eval'".to_string(),
            // wasm-bindgen-rayon's `no-bundler` helper starts each pool
            // worker from a `blob:` URL.
            "worker-src 'self' blob:".to_string(),
            // The fetch experiment and the load test send requests to
            // https: addresses the user types.
            "connect-src 'self' https:".to_string(),
            // Downloads and exported images are `data:` or `blob:` URLs.
            "img-src 'self' data: blob:".to_string(),
            "style-src 'self'".to_string(),
            "object-src 'none'".to_string(),
            "base-uri 'none'".to_string(),
            "form-action 'none'".to_string(),
            // Tutorials embed experiments in their own pages.
            "frame-ancestors *".to_string(),
        ];
        Ok(SecurityHeaders { content_security_policy: directives.join("; ") })
    }

    /// Every header, as name and value, names in lower case.
    pub fn pairs(&self) -> [(&'static str, &str); 3] {
        [
            ("content-security-policy", self.content_security_policy.as_str()),
            ("x-content-type-options", "nosniff"),
            ("referrer-policy", "no-referrer"),
        ]
    }

    /// The lines `_headers` gets under its `/*` rule.
    pub fn headers_file_lines(&self) -> String {
        let names = ["Content-Security-Policy", "X-Content-Type-Options", "Referrer-Policy"];
        names.iter().zip(self.pairs()).map(|(name, (_, value))| format!("  {name}: {value}\n")).collect()
    }
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
        let headers = SecurityHeaders::for_index(index).expect("a policy");
        expect_test::expect!["default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; worker-src 'self' blob:; connect-src 'self' https:; img-src 'self' data: blob:; style-src 'self'; object-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors *"]
        .assert_eq(&headers.content_security_policy);
        let inline = r#"<head><script type="module">import init from './a.js';</script></head>"#;
        let refused = SecurityHeaders::for_index(inline).expect_err("an inline script");
        assert!(refused.to_string().contains("import init from './a.js';"), "{refused}");
    }

    #[test]
    fn a_script_that_never_ends_is_an_error() {
        assert!(SecurityHeaders::for_index("<script>let a = 1;").is_err());
        assert!(SecurityHeaders::for_index("<script type=module").is_err());
        assert_eq!(inline_scripts("<p>no scripts</p>").expect("none").len(), 0);
    }

    #[test]
    fn the_headers_file_gets_every_header() {
        let headers = SecurityHeaders { content_security_policy: "default-src 'self'".into() };
        assert_eq!(
            headers.headers_file_lines(),
            "  Content-Security-Policy: default-src 'self'\n  X-Content-Type-Options: nosniff\n  Referrer-Policy: no-referrer\n"
        );
    }
}
