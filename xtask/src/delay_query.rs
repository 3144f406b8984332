//! The latency endpoint's query: `GET /api/delay?ms=&bytes=&status=`.
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
    #[error(
        "unknown parameter `{key}`; this endpoint takes ms (0..=30000), bytes (0..=10485760), status (100..=599) and tag (0..=999999)"
    )]
    Unknown { key: String },
}

pub fn parse(query: &str) -> Result<DelayRequest, DelayQueryError> {
    let mut delay_ms = None;
    let mut body_bytes = None;
    let mut status = None;
    let mut tag = None;
    for (key, value) in pairs(query) {
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
    Ok(DelayRequest {
        delay_ms: delay_ms.unwrap_or(0),
        body_bytes,
        // In range by construction: 200..=599 fits a u16.
        status: status as u16,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
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
        ];
        let rendered: Vec<String> = cases
            .iter()
            .map(|case| match parse(case) {
                Ok(request) => format!("{case:?} -> {request:?}"),
                Err(error) => format!("{case:?} -> 400 {error}"),
            })
            .collect();
        expect![[r#"
            "" -> DelayRequest { delay_ms: 0, body_bytes: 0, status: 200 }
            "ms=100" -> DelayRequest { delay_ms: 100, body_bytes: 0, status: 200 }
            "ms=0&bytes=10485760&status=404" -> DelayRequest { delay_ms: 0, body_bytes: 10485760, status: 404 }
            "status=100" -> 400 `status=100` is informational: a response cannot end with a 1xx status; use 200..=599
            "status=199" -> 400 `status=199` is informational: a response cannot end with a 1xx status; use 200..=599
            "status=200" -> DelayRequest { delay_ms: 0, body_bytes: 0, status: 200 }
            "status=204" -> DelayRequest { delay_ms: 0, body_bytes: 0, status: 204 }
            "status=204&bytes=10" -> 400 `status=204` responses carry no body, so `bytes` must be 0; got `10`
            "status=304&bytes=1" -> 400 `status=304` responses carry no body, so `bytes` must be 0; got `1`
            "status=599&ms=30000" -> DelayRequest { delay_ms: 30000, body_bytes: 0, status: 599 }
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
            "foo=1" -> 400 unknown parameter `foo`; this endpoint takes ms (0..=30000), bytes (0..=10485760), status (100..=599) and tag (0..=999999)
            "&&ms=7&" -> DelayRequest { delay_ms: 7, body_bytes: 0, status: 200 }
            "ms=5&tag=123" -> DelayRequest { delay_ms: 5, body_bytes: 0, status: 200 }
            "tag=1000000" -> 400 `tag` must be a whole number in 0..=999999; got `1000000`"#]]
        .assert_eq(&rendered.join("\n"));
    }

    #[test]
    fn long_values_are_cut_in_messages() {
        let long = "9".repeat(100);
        let message = parse(&format!("ms={long}")).err().map(|error| error.to_string()).unwrap_or_default();
        assert!(message.len() < 120, "{message}");
        assert!(message.ends_with("…`"), "{message}");
    }
}
