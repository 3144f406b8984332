//! The URLs a user types for the I/O experiment, one per line, checked
//! before any request is sent: only `https:` addresses, or addresses on the
//! page's own origin (relative ones included), so the page never sends a
//! plain-HTTP request to another host nor anything to `javascript:`,
//! `data:` or `file:` addresses.

use crate::lang::Lang;

pub const MAX_URLS: usize = 1000;
const MAX_URL_CHARS: usize = 2048;

#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum UrlProblem {
    #[error("{}", self.message(Lang::En))]
    NotAnAddress { line: usize, text: String },
    #[error("{}", self.message(Lang::En))]
    SchemeNotAllowed { line: usize, text: String, scheme: String },
    #[error("{}", self.message(Lang::En))]
    HasCredentials { line: usize, text: String },
    #[error("{}", self.message(Lang::En))]
    TooLong { line: usize },
    #[error("{}", self.message(Lang::En))]
    TooMany,
    #[error("{}", self.message(Lang::En))]
    None,
}

impl UrlProblem {
    pub fn message(&self, lang: Lang) -> String {
        match (self, lang) {
            (UrlProblem::NotAnAddress { line, text }, Lang::En) => {
                format!(
                    "line {line}: `{text}` is not an address (write https://host/path, or /path on this site)"
                )
            }
            (UrlProblem::NotAnAddress { line, text }, Lang::ZhCn) => {
                format!("第 {line} 行：`{text}` 不是地址（请写 https://host/path，或本站的 /path）")
            }
            (UrlProblem::SchemeNotAllowed { line, text, scheme }, Lang::En) => format!(
                "line {line}: `{text}` uses {scheme}: only https: addresses, or addresses on this site, are fetched"
            ),
            (UrlProblem::SchemeNotAllowed { line, text, scheme }, Lang::ZhCn) => {
                format!("第 {line} 行：`{text}` 使用了 {scheme}：只请求 https: 地址或本站地址")
            }
            (UrlProblem::HasCredentials { line, text }, Lang::En) => format!(
                "line {line}: `{text}` has a user name or password in it; requests are sent without credentials"
            ),
            (UrlProblem::HasCredentials { line, text }, Lang::ZhCn) => {
                format!("第 {line} 行：`{text}` 含有用户名或密码；请求发送时不带凭据")
            }
            (UrlProblem::TooLong { line }, Lang::En) => {
                format!("line {line}: the address is longer than {MAX_URL_CHARS} characters")
            }
            (UrlProblem::TooLong { line }, Lang::ZhCn) => {
                format!("第 {line} 行：地址超过 {MAX_URL_CHARS} 个字符")
            }
            (UrlProblem::TooMany, Lang::En) => format!("there are more than {MAX_URLS} addresses"),
            (UrlProblem::TooMany, Lang::ZhCn) => format!("地址超过 {MAX_URLS} 个"),
            (UrlProblem::None, Lang::En) => "no address: write one per line".to_string(),
            (UrlProblem::None, Lang::ZhCn) => "没有地址：每行写一个".to_string(),
        }
    }
}

/// The addresses to fetch, or every problem found (each naming its line).
/// Blank lines are skipped. `page_origin` is e.g. `http://127.0.0.1:8080`.
pub fn check_url_lines(text: &str, page_origin: &str) -> Result<Vec<String>, Vec<UrlProblem>> {
    let mut urls = Vec::new();
    let mut problems = Vec::new();
    for (index, raw) in text.lines().enumerate() {
        let line = index + 1;
        let trimmed = raw.trim();
        if trimmed.is_empty() {
            continue;
        }
        match check_url(trimmed, line, page_origin) {
            Ok(url) => urls.push(url),
            Err(problem) => problems.push(problem),
        }
    }
    if urls.len() > MAX_URLS {
        problems.push(UrlProblem::TooMany);
    }
    if urls.is_empty() && problems.is_empty() {
        problems.push(UrlProblem::None);
    }
    if problems.is_empty() { Ok(urls) } else { Err(problems) }
}

fn check_url(text: &str, line: usize, page_origin: &str) -> Result<String, UrlProblem> {
    let shown = || text.chars().take(60).collect::<String>();
    if text.chars().count() > MAX_URL_CHARS {
        return Err(UrlProblem::TooLong { line });
    }
    if text.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return Err(UrlProblem::NotAnAddress { line, text: shown() });
    }
    // Relative to this page: same origin by construction.
    if text.starts_with('/') && !text.starts_with("//") || text.starts_with("./") || text.starts_with("../") {
        return Ok(text.to_string());
    }
    let Some((scheme, rest)) = text.split_once(':') else {
        return Err(UrlProblem::NotAnAddress { line, text: shown() });
    };
    let scheme_is_valid = scheme.chars().next().is_some_and(|c| c.is_ascii_alphabetic())
        && scheme.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'));
    if !scheme_is_valid {
        return Err(UrlProblem::NotAnAddress { line, text: shown() });
    }
    let scheme = scheme.to_ascii_lowercase();
    if scheme != "https" && scheme != "http" {
        return Err(UrlProblem::SchemeNotAllowed { line, text: shown(), scheme });
    }
    let Some(after_slashes) = rest.strip_prefix("//") else {
        return Err(UrlProblem::SchemeNotAllowed { line, text: shown(), scheme });
    };
    let authority = after_slashes.split(['/', '?', '#']).next().unwrap_or_default();
    if authority.is_empty() {
        return Err(UrlProblem::NotAnAddress { line, text: shown() });
    }
    if authority.contains('@') {
        return Err(UrlProblem::HasCredentials { line, text: shown() });
    }
    let origin = format!("{scheme}://{}", authority.to_ascii_lowercase());
    if scheme == "https" || origin == page_origin.to_ascii_lowercase() {
        Ok(text.to_string())
    } else {
        Err(UrlProblem::SchemeNotAllowed { line, text: shown(), scheme })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use expect_test::expect;

    #[test]
    fn a_table_of_good_and_bad_addresses() {
        let origin = "http://127.0.0.1:8080";
        let cases = [
            "https://example.com/",
            "HTTPS://Example.com/a?b=c#d",
            "http://127.0.0.1:8080/api/delay?ms=5",
            "/api/delay?ms=5",
            "./index.html",
            "http://example.com/",
            "http://127.0.0.1:9999/",
            "//example.com/x",
            "javascript:alert(1)",
            "data:text/html,hi",
            "file:///etc/passwd",
            "ftp://example.com/",
            "https://user:secret@example.com/",
            "https:///path",
            "example.com",
            "https://exa mple.com/",
            "1https://x/",
        ];
        let rendered: Vec<String> = cases
            .iter()
            .map(|case| match check_url_lines(case, origin) {
                Ok(urls) => format!("ok   {}", urls.join(" ")),
                Err(problems) => format!("bad  {}", problems[0]),
            })
            .collect();
        expect![[r#"
            ok   https://example.com/
            ok   HTTPS://Example.com/a?b=c#d
            ok   http://127.0.0.1:8080/api/delay?ms=5
            ok   /api/delay?ms=5
            ok   ./index.html
            bad  line 1: `http://example.com/` uses http: only https: addresses, or addresses on this site, are fetched
            bad  line 1: `http://127.0.0.1:9999/` uses http: only https: addresses, or addresses on this site, are fetched
            bad  line 1: `//example.com/x` is not an address (write https://host/path, or /path on this site)
            bad  line 1: `javascript:alert(1)` uses javascript: only https: addresses, or addresses on this site, are fetched
            bad  line 1: `data:text/html,hi` uses data: only https: addresses, or addresses on this site, are fetched
            bad  line 1: `file:///etc/passwd` uses file: only https: addresses, or addresses on this site, are fetched
            bad  line 1: `ftp://example.com/` uses ftp: only https: addresses, or addresses on this site, are fetched
            bad  line 1: `https://user:secret@example.com/` has a user name or password in it; requests are sent without credentials
            bad  line 1: `https:///path` is not an address (write https://host/path, or /path on this site)
            bad  line 1: `example.com` is not an address (write https://host/path, or /path on this site)
            bad  line 1: `https://exa mple.com/` is not an address (write https://host/path, or /path on this site)
            bad  line 1: `1https://x/` is not an address (write https://host/path, or /path on this site)"#]]
        .assert_eq(&rendered.join("\n"));
    }

    #[test]
    fn every_bad_line_is_named_and_blank_lines_are_skipped() {
        let text = "https://a.example/\n\n  ftp://b/ \n/local\nnope";
        let problems = check_url_lines(text, "http://localhost:8080").err().unwrap_or_default();
        let lines: Vec<String> = problems.iter().map(ToString::to_string).collect();
        assert_eq!(lines.len(), 2);
        assert!(lines[0].starts_with("line 3:"), "{lines:?}");
        assert!(lines[1].starts_with("line 5:"), "{lines:?}");
        assert_eq!(check_url_lines("  \n ", "http://x"), Err(vec![UrlProblem::None]));
    }
}
