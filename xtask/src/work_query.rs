//! The load endpoint's query: `GET|POST /api/work?cpu_ms=&bytes=&fail=&seed=&i=`.
//! Parsing is total, as for `/api/delay`: any query string gives either a
//! request to answer or a one-line message naming the bad parameter and
//! what it allows. Also the one decision the endpoint makes from it:
//! whether a request fails on purpose ([`fails`]).

use std::ops::RangeInclusive;

use overlap_core::address::share;

use crate::query_values::{OutOfRange, Repeated, once, pairs, truncate, whole_number};

pub const CPU_MS_RANGE: RangeInclusive<u64> = 0..=1_000;
pub const BYTES_MAX: usize = 1_048_576;
pub const BYTES_RANGE: RangeInclusive<u64> = 0..=BYTES_MAX as u64;
pub const SEED_RANGE: RangeInclusive<u64> = 0..=4_294_967_295;
pub const INDEX_RANGE: RangeInclusive<u64> = 0..=4_294_967_295;
/// `fail` is read exactly, in millionths: at most six decimals.
const FAIL_DECIMALS: usize = 6;

/// What the endpoint is asked to do: work, then answer.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct WorkRequest {
    pub cpu_ms: u64,
    pub body_bytes: usize,
    /// The share of requests answered 500, in millionths (0..=1000000).
    pub fail_millionths: u32,
    pub seed: u32,
    /// The request's number in its run; `None`: the server numbers it.
    pub index: Option<u32>,
}

impl WorkRequest {
    pub fn fail_share(&self) -> f64 {
        f64::from(self.fail_millionths) / 1e6
    }
}

#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum WorkQueryError {
    #[error(transparent)]
    OutOfRange(#[from] OutOfRange),
    #[error("`fail` must be a decimal in 0..=1 with at most 6 decimals, like 0.25; got `{value}`")]
    BadShare { value: String },
    #[error(transparent)]
    Repeated(#[from] Repeated),
    #[error(
        "unknown parameter `{key}`; this endpoint takes cpu_ms (0..=1000), bytes (0..=1048576), fail (0..=1), seed (0..=4294967295) and i (0..=4294967295)"
    )]
    Unknown { key: String },
}

pub fn parse(query: &str) -> Result<WorkRequest, WorkQueryError> {
    let mut cpu_ms = None;
    let mut body_bytes = None;
    let mut fail = None;
    let mut seed = None;
    let mut index = None;
    for (key, value) in pairs(query) {
        let (name, range, slot) = match key {
            "fail" => {
                once(&mut fail, "fail", || parse_share(value))?;
                continue;
            }
            "cpu_ms" => ("cpu_ms", CPU_MS_RANGE, &mut cpu_ms),
            "bytes" => ("bytes", BYTES_RANGE, &mut body_bytes),
            "seed" => ("seed", SEED_RANGE, &mut seed),
            "i" => ("i", INDEX_RANGE, &mut index),
            _ => return Err(WorkQueryError::Unknown { key: truncate(key) }),
        };
        once(slot, name, || whole_number(name, value, range).map_err(WorkQueryError::from))?;
    }
    // The conversions cannot fail: each value is within its range, and the
    // ranges fit the fields' types.
    Ok(WorkRequest {
        cpu_ms: cpu_ms.unwrap_or(0),
        body_bytes: body_bytes.unwrap_or(0) as usize,
        fail_millionths: fail.unwrap_or(0),
        seed: seed.unwrap_or(0) as u32,
        index: index.map(|index| index as u32),
    })
}

/// Whether request `index` of the run `seed` fails when a share `fail` of
/// requests fails: a splitmix64 hash of `(seed << 32) | index` turned into a
/// uniform `u` in [0, 1), failing iff `u < fail`. It depends on nothing but
/// its arguments, so a run with the same seed fails the same requests
/// whatever order they arrive in. `fail = 0` never fails, `fail = 1` always.
///
/// `www/sw.js` (`fails`, for `sw-api/work`) implements the same function with
/// BigInt; the two must stay equal, bit for bit.
pub fn fails(seed: u32, index: u32, fail: f64) -> bool {
    let mut z = (u64::from(seed) << 32) | u64::from(index);
    z = z.wrapping_add(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^= z >> 31;
    // 53 bits: every value is exact as an f64, and the division by 2^53 too.
    let u = (z >> 11) as f64 / (1u64 << 53) as f64;
    u < fail
}

/// The share in millionths, by the rule the page's `fail` follows too.
fn parse_share(value: &str) -> Result<u32, WorkQueryError> {
    share::parse_share(value, FAIL_DECIMALS)
        .ok_or_else(|| WorkQueryError::BadShare { value: truncate(value) })
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
            "cpu_ms=20",
            "cpu_ms=1000&bytes=1048576&fail=1&seed=4294967295&i=4294967295",
            "&&cpu_ms=7&",
            "cpu_ms=1001",
            "cpu_ms=-1",
            "cpu_ms=1e3",
            "cpu_ms=",
            "cpu_ms",
            "cpu_ms=+5",
            "bytes=1048577",
            "seed=4294967296",
            "i=99999999999999999999999",
            "i=0",
            "fail=0",
            "fail=1",
            "fail=0.25",
            "fail=0.000001",
            "fail=1.000000",
            "fail=00.5",
            "fail=.5",
            "fail=1.",
            "fail=0.0000001",
            "fail=1.000001",
            "fail=2",
            "fail=-0.5",
            "fail=5e-1",
            "fail=0.5.5",
            "fail=",
            "fail=0.5&fail=0.5",
            "seed=1&seed=2",
            "cpu_ms=1&cpu_ms=1",
            "ms=100",
            "CPU_MS=1",
        ];
        let rendered: Vec<String> = cases
            .iter()
            .map(|case| match parse(case) {
                Ok(request) => format!("{case:?} -> {request:?}"),
                Err(error) => format!("{case:?} -> 400 {error}"),
            })
            .collect();
        expect![[r#"
            "" -> WorkRequest { cpu_ms: 0, body_bytes: 0, fail_millionths: 0, seed: 0, index: None }
            "cpu_ms=20" -> WorkRequest { cpu_ms: 20, body_bytes: 0, fail_millionths: 0, seed: 0, index: None }
            "cpu_ms=1000&bytes=1048576&fail=1&seed=4294967295&i=4294967295" -> WorkRequest { cpu_ms: 1000, body_bytes: 1048576, fail_millionths: 1000000, seed: 4294967295, index: Some(4294967295) }
            "&&cpu_ms=7&" -> WorkRequest { cpu_ms: 7, body_bytes: 0, fail_millionths: 0, seed: 0, index: None }
            "cpu_ms=1001" -> 400 `cpu_ms` must be a whole number in 0..=1000; got `1001`
            "cpu_ms=-1" -> 400 `cpu_ms` must be a whole number in 0..=1000; got `-1`
            "cpu_ms=1e3" -> 400 `cpu_ms` must be a whole number in 0..=1000; got `1e3`
            "cpu_ms=" -> 400 `cpu_ms` must be a whole number in 0..=1000; got ``
            "cpu_ms" -> 400 `cpu_ms` must be a whole number in 0..=1000; got ``
            "cpu_ms=+5" -> 400 `cpu_ms` must be a whole number in 0..=1000; got `+5`
            "bytes=1048577" -> 400 `bytes` must be a whole number in 0..=1048576; got `1048577`
            "seed=4294967296" -> 400 `seed` must be a whole number in 0..=4294967295; got `4294967296`
            "i=99999999999999999999999" -> 400 `i` must be a whole number in 0..=4294967295; got `99999999999999999999999`
            "i=0" -> WorkRequest { cpu_ms: 0, body_bytes: 0, fail_millionths: 0, seed: 0, index: Some(0) }
            "fail=0" -> WorkRequest { cpu_ms: 0, body_bytes: 0, fail_millionths: 0, seed: 0, index: None }
            "fail=1" -> WorkRequest { cpu_ms: 0, body_bytes: 0, fail_millionths: 1000000, seed: 0, index: None }
            "fail=0.25" -> WorkRequest { cpu_ms: 0, body_bytes: 0, fail_millionths: 250000, seed: 0, index: None }
            "fail=0.000001" -> WorkRequest { cpu_ms: 0, body_bytes: 0, fail_millionths: 1, seed: 0, index: None }
            "fail=1.000000" -> WorkRequest { cpu_ms: 0, body_bytes: 0, fail_millionths: 1000000, seed: 0, index: None }
            "fail=00.5" -> WorkRequest { cpu_ms: 0, body_bytes: 0, fail_millionths: 500000, seed: 0, index: None }
            "fail=.5" -> 400 `fail` must be a decimal in 0..=1 with at most 6 decimals, like 0.25; got `.5`
            "fail=1." -> 400 `fail` must be a decimal in 0..=1 with at most 6 decimals, like 0.25; got `1.`
            "fail=0.0000001" -> 400 `fail` must be a decimal in 0..=1 with at most 6 decimals, like 0.25; got `0.0000001`
            "fail=1.000001" -> 400 `fail` must be a decimal in 0..=1 with at most 6 decimals, like 0.25; got `1.000001`
            "fail=2" -> 400 `fail` must be a decimal in 0..=1 with at most 6 decimals, like 0.25; got `2`
            "fail=-0.5" -> 400 `fail` must be a decimal in 0..=1 with at most 6 decimals, like 0.25; got `-0.5`
            "fail=5e-1" -> 400 `fail` must be a decimal in 0..=1 with at most 6 decimals, like 0.25; got `5e-1`
            "fail=0.5.5" -> 400 `fail` must be a decimal in 0..=1 with at most 6 decimals, like 0.25; got `0.5.5`
            "fail=" -> 400 `fail` must be a decimal in 0..=1 with at most 6 decimals, like 0.25; got ``
            "fail=0.5&fail=0.5" -> 400 `fail` is given more than once
            "seed=1&seed=2" -> 400 `seed` is given more than once
            "cpu_ms=1&cpu_ms=1" -> 400 `cpu_ms` is given more than once
            "ms=100" -> 400 unknown parameter `ms`; this endpoint takes cpu_ms (0..=1000), bytes (0..=1048576), fail (0..=1), seed (0..=4294967295) and i (0..=4294967295)
            "CPU_MS=1" -> 400 unknown parameter `CPU_MS`; this endpoint takes cpu_ms (0..=1000), bytes (0..=1048576), fail (0..=1), seed (0..=4294967295) and i (0..=4294967295)"#]]
        .assert_eq(&rendered.join("\n"));
    }

    proptest::proptest! {
        /// Any query: an answer or one short line naming what is wrong,
        /// never a panic (the server answers it as a 400).
        #[test]
        fn any_query_is_answered_or_refused_in_one_line(query in any_query::queries(vec!["cpu_ms", "bytes", "fail", "seed", "i"])) {
            if let Err(error) = parse(&query) {
                any_query::check_refusal(&error.to_string())?;
            }
        }
    }

    #[test]
    fn long_values_are_cut_in_messages() {
        let long = "9".repeat(100);
        for query in [format!("cpu_ms={long}"), format!("fail={long}"), format!("{long}=1")] {
            let message = parse(&query).err().map(|error| error.to_string()).unwrap_or_default();
            assert!(message.len() < 200, "{message}");
            assert!(message.contains("…`"), "{message}");
        }
    }

    fn failures(seed: u32, indices: std::ops::Range<u32>, fail: f64) -> usize {
        indices.filter(|index| fails(seed, *index, fail)).count()
    }

    /// `www/sw.js` must give the same counts (checked there with node).
    #[test]
    fn the_fail_decision_is_a_fixed_share_of_each_run() {
        let quarter = failures(1, 0..1000, 0.25);
        assert!((200..300).contains(&quarter), "{quarter}");
        let half = failures(7, 0..200, 0.5);
        expect!["seed=1 i=0..1000 fail=0.25: 247; seed=7 i=0..200 fail=0.5: 97"]
            .assert_eq(&format!("seed=1 i=0..1000 fail=0.25: {quarter}; seed=7 i=0..200 fail=0.5: {half}"));
        for seed in [0, 1, 7, u32::MAX] {
            assert_eq!(failures(seed, 0..1000, 0.0), 0);
            assert_eq!(failures(seed, 0..1000, 1.0), 1000);
        }
    }

    #[test]
    fn the_fail_share_is_the_decimal_typed() {
        for (text, share) in [("0", 0.0), ("1", 1.0), ("0.25", 0.25), ("0.1", 0.1), ("0.333333", 0.333333)] {
            let request = parse(&format!("fail={text}")).expect("a good share");
            assert_eq!(request.fail_share(), share, "{text}");
            assert_eq!(request.fail_share(), text.parse::<f64>().expect("a number"), "{text}");
        }
    }
}
