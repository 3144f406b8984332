//! The latency endpoint's query: `GET /api/delay?ms=&bytes=&status=&fail=`.
//! Parsing is total: any query string gives either a request to answer or a
//! one-line message naming the bad parameter and its allowed range.

use std::ops::RangeInclusive;

use crate::query_values::{OutOfRange, Repeated, once, pairs, truncate, whole_number};

pub const MS_RANGE: RangeInclusive<u64> = 0..=30_000;
pub const BYTES_RANGE: RangeInclusive<u64> = 0..=10_485_760;
pub const STATUS_RANGE: RangeInclusive<u64> = 100..=599;
pub const TAG_RANGE: RangeInclusive<u64> = 0..=999_999;
/// 1xx statuses are in the endpoint's range but are informational: no HTTP
/// response can end with one (hyper answers 500 or switches protocols), so
/// they are refused with a message rather than answered wrongly.
const INFORMATIONAL: RangeInclusive<u64> = 100..=199;

/// What the endpoint is asked to do: wait, then answer.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct DelayRequest {
    pub delay_ms: u64,
    pub body_bytes: u64,
    pub status: u16,
    /// `fail=reset`: the headers and half the body are sent, then the
    /// connection is closed, as a server that dies mid-answer would.
    pub cut_mid_body: bool,
}

#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum DelayQueryError {
    #[error(transparent)]
    OutOfRange(#[from] OutOfRange),
    #[error(transparent)]
    Repeated(#[from] Repeated),
    #[error("`status={status}` is informational: a response cannot end with a 1xx status; use 200..=599")]
    Informational { status: u64 },
    #[error("`status={status}` responses carry no body, so `bytes` must be 0; got `{bytes}`")]
    BodyNotAllowed { status: u64, bytes: u64 },
    #[error("`fail={value}` is not a fault this endpoint injects; the one it knows is `fail=reset`")]
    UnknownFault { value: String },
    #[error("`fail=reset` cuts the body in the middle, so `bytes` must be at least 2; got `{bytes}`")]
    NothingToCut { bytes: u64 },
    #[error(
        "unknown parameter `{key}`; this endpoint takes ms (0..=30000), bytes (0..=10485760), status (100..=599), tag (0..=999999) and fail (reset)"
    )]
    Unknown { key: String },
}

pub fn parse(query: &str) -> Result<DelayRequest, DelayQueryError> {
    let mut delay_ms = None;
    let mut body_bytes = None;
    let mut status = None;
    let mut tag = None;
    let mut fault = None;
    for (key, value) in pairs(query) {
        if key == "fail" {
            once(&mut fault, "fail", || match value {
                "reset" => Ok(()),
                other => Err(DelayQueryError::UnknownFault { value: truncate(other) }),
            })?;
            continue;
        }
        let (name, range, slot) = match key {
            "ms" => ("ms", MS_RANGE, &mut delay_ms),
            "bytes" => ("bytes", BYTES_RANGE, &mut body_bytes),
            "status" => ("status", STATUS_RANGE, &mut status),
            // Ignored: it makes each request's address unique, so the
            // browser's Resource Timing entries can be told apart.
            "tag" => ("tag", TAG_RANGE, &mut tag),
            _ => return Err(DelayQueryError::Unknown { key: truncate(key) }),
        };
        once(slot, name, || whole_number(name, value, range).map_err(DelayQueryError::from))?;
    }
    let status = status.unwrap_or(200);
    let body_bytes = body_bytes.unwrap_or(0);
    if INFORMATIONAL.contains(&status) {
        return Err(DelayQueryError::Informational { status });
    }
    if matches!(status, 204 | 205 | 304) && body_bytes > 0 {
        return Err(DelayQueryError::BodyNotAllowed { status, bytes: body_bytes });
    }
    let cut_mid_body = fault.is_some();
    if cut_mid_body && body_bytes < 2 {
        return Err(DelayQueryError::NothingToCut { bytes: body_bytes });
    }
    Ok(DelayRequest {
        delay_ms: delay_ms.unwrap_or(0),
        body_bytes,
        cut_mid_body,
        // In range by construction: 200..=599 fits a u16.
        status: status as u16,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::query_values::any_query;
    use expect_test::expect;

    #[test]
    fn answers_every_kind_of_query() {
        let cases = [
            "",
            "ms=100",
            "ms=0&bytes=10485760&status=404",
            "status=100",
            "status=199",
            "status=200",
            "status=204",
            "status=204&bytes=10",
            "status=304&bytes=1",
            "status=599&ms=30000",
            "ms=-5",
            "ms=30001",
            "ms=1e3",
            "ms=",
            "ms",
            "ms=+5",
            "bytes=10485761",
            "status=99",
            "status=600",
            "status=99999999999999999999999",
            "ms=1&ms=2",
            "foo=1",
            "&&ms=7&",
            "ms=5&tag=123",
            "tag=1000000",
            "bytes=100&fail=reset",
            "fail=reset",
            "bytes=1&fail=reset",
            "bytes=100&fail=close",
            "bytes=100&fail=reset&fail=reset",
        ];
        let rendered: Vec<String> = cases
            .iter()
            .map(|case| match parse(case) {
                Ok(request) => format!("{case:?} -> {request:?}"),
                Err(error) => format!("{case:?} -> 400 {error}"),
            })
            .collect();
        expect![[r#"
            "" -> DelayRequest { delay_ms: 0, body_bytes: 0, status: 200, cut_mid_body: false }
            "ms=100" -> DelayRequest { delay_ms: 100, body_bytes: 0, status: 200, cut_mid_body: false }
            "ms=0&bytes=10485760&status=404" -> DelayRequest { delay_ms: 0, body_bytes: 10485760, status: 404, cut_mid_body: false }
            "status=100" -> 400 `status=100` is informational: a response cannot end with a 1xx status; use 200..=599
            "status=199" -> 400 `status=199` is informational: a response cannot end with a 1xx status; use 200..=599
            "status=200" -> DelayRequest { delay_ms: 0, body_bytes: 0, status: 200, cut_mid_body: false }
            "status=204" -> DelayRequest { delay_ms: 0, body_bytes: 0, status: 204, cut_mid_body: false }
            "status=204&bytes=10" -> 400 `status=204` responses carry no body, so `bytes` must be 0; got `10`
            "status=304&bytes=1" -> 400 `status=304` responses carry no body, so `bytes` must be 0; got `1`
            "status=599&ms=30000" -> DelayRequest { delay_ms: 30000, body_bytes: 0, status: 599, cut_mid_body: false }
            "ms=-5" -> 400 `ms` must be a whole number in 0..=30000; got `-5`
            "ms=30001" -> 400 `ms` must be a whole number in 0..=30000; got `30001`
            "ms=1e3" -> 400 `ms` must be a whole number in 0..=30000; got `1e3`
            "ms=" -> 400 `ms` must be a whole number in 0..=30000; got ``
            "ms" -> 400 `ms` must be a whole number in 0..=30000; got ``
            "ms=+5" -> 400 `ms` must be a whole number in 0..=30000; got `+5`
            "bytes=10485761" -> 400 `bytes` must be a whole number in 0..=10485760; got `10485761`
            "status=99" -> 400 `status` must be a whole number in 100..=599; got `99`
            "status=600" -> 400 `status` must be a whole number in 100..=599; got `600`
            "status=99999999999999999999999" -> 400 `status` must be a whole number in 100..=599; got `99999999999999999999999`
            "ms=1&ms=2" -> 400 `ms` is given more than once
            "foo=1" -> 400 unknown parameter `foo`; this endpoint takes ms (0..=30000), bytes (0..=10485760), status (100..=599), tag (0..=999999) and fail (reset)
            "&&ms=7&" -> DelayRequest { delay_ms: 7, body_bytes: 0, status: 200, cut_mid_body: false }
            "ms=5&tag=123" -> DelayRequest { delay_ms: 5, body_bytes: 0, status: 200, cut_mid_body: false }
            "tag=1000000" -> 400 `tag` must be a whole number in 0..=999999; got `1000000`
            "bytes=100&fail=reset" -> DelayRequest { delay_ms: 0, body_bytes: 100, status: 200, cut_mid_body: true }
            "fail=reset" -> 400 `fail=reset` cuts the body in the middle, so `bytes` must be at least 2; got `0`
            "bytes=1&fail=reset" -> 400 `fail=reset` cuts the body in the middle, so `bytes` must be at least 2; got `1`
            "bytes=100&fail=close" -> 400 `fail=close` is not a fault this endpoint injects; the one it knows is `fail=reset`
            "bytes=100&fail=reset&fail=reset" -> 400 `fail` is given more than once"#]]
        .assert_eq(&rendered.join("\n"));
    }

    proptest::proptest! {
        /// Any query: an answer or one short line naming what is wrong,
        /// never a panic (the server answers it as a 400).
        #[test]
        fn any_query_is_answered_or_refused_in_one_line(query in any_query::queries(vec!["ms", "bytes", "status", "tag", "fail"])) {
            if let Err(error) = parse(&query) {
                any_query::check_refusal(&error.to_string())?;
            }
        }
    }

    #[test]
    fn long_values_are_cut_in_messages() {
        let long = "9".repeat(100);
        let message = parse(&format!("ms={long}")).err().map(|error| error.to_string()).unwrap_or_default();
        assert!(message.len() < 120, "{message}");
        assert!(message.ends_with("…`"), "{message}");
    }
}
