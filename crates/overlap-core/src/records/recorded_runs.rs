//! Runs as recorded, carried whole: in a link's fragment (`#run=…`) and
//! inside a saved trace, so that the page shows exactly those runs again
//! (every span's ends to the bit), not new ones. A small binary form,
//! deflated, then URL-safe base64.
//!
//! The form, version 1: `OVR1`, then the runs' count and each run's title,
//! work, whether it completed, its lane names and its spans (state, task
//! and lane, each plus one with 0 for none, then the ends' f64 bits).
//! Counts and lengths are LEB128 varints.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use strum::VariantArray;
use thiserror::Error;

use crate::lang::Said;
use crate::records::span::{Span, SpanState};

const MAGIC: &[u8; 4] = b"OVR1";
/// More than a page keeps (12 runs) or draws; a bigger count is not ours.
const MAX_RUNS: u64 = 64;
const MAX_SPANS: u64 = 1_000_000;
const MAX_TEXT_BYTES: u64 = 4096;
const MAX_LANES: u64 = 4096;
/// Inflated, no record of ours comes near it: more is a bomb, not a run.
const MAX_INFLATED_BYTES: usize = 64 * 1024 * 1024;
/// What a link may carry: about 8 KB of packed runs keeps the address
/// within what browsers, servers and chat programs pass on.
pub const LINK_LIMIT_BYTES: usize = 8 * 1024;

/// One run as the timeline draws it.
#[derive(Clone, Debug, PartialEq)]
pub struct RecordedRun {
    pub title: String,
    /// What it computed or fetched: runs of the same work are compared.
    pub work: String,
    pub complete: bool,
    pub lane_names: Vec<String>,
    pub spans: Vec<Span>,
}

#[derive(Debug, Error, Clone, PartialEq, Eq)]
pub enum RecordError {
    #[error("it is not URL-safe base64")]
    NotBase64,
    #[error("it does not inflate: {0}")]
    NotDeflated(String),
    #[error("it is not a record of Overlap's runs (version 1)")]
    NotOurs,
    #[error("it ends in the middle of a run")]
    Truncated,
    #[error("it holds {0}, more than a record may")]
    TooMany(&'static str),
    #[error("a name in it is not UTF-8 text")]
    NotText,
    #[error("a span in it has a state this page does not know")]
    UnknownState,
    #[error("it has bytes after its last run")]
    TrailingBytes,
    #[error("a span in it has no time a run could have (not finite, or ending before it starts)")]
    BadTime,
    #[error("a span in it is on a lane past any a run has")]
    BadLane,
}

impl RecordError {
    /// Why the record was refused, in both languages.
    pub fn said(&self) -> Said {
        let zh = match self {
            RecordError::NotBase64 => "它不是 URL 安全的 base64 文本".to_string(),
            RecordError::NotDeflated(status) => format!("它无法解压：`{status}`"),
            RecordError::NotOurs => "它不是 Overlap 的运行记录（第 1 版）".to_string(),
            RecordError::Truncated => "它在一次运行的中途就结束了".to_string(),
            RecordError::TooMany(_) => "它包含的内容超过了一份记录的上限".to_string(),
            RecordError::NotText => "其中的名称不是 UTF-8 文本".to_string(),
            RecordError::UnknownState => "其中某个时间段的状态是本页不认识的".to_string(),
            RecordError::TrailingBytes => "最后一次运行之后还有多余的字节".to_string(),
            RecordError::BadTime => {
                "其中某个时间段的时间不可能出现在运行中（不是有限数，或结束早于开始）".to_string()
            }
            RecordError::BadLane => "其中某个时间段所在的泳道超出了任何运行的泳道".to_string(),
        };
        Said::new(self.to_string(), zh)
    }
}

fn push_varint(out: &mut Vec<u8>, mut value: u64) {
    loop {
        let byte = (value & 0x7f) as u8;
        value >>= 7;
        if value == 0 {
            out.push(byte);
            return;
        }
        out.push(byte | 0x80);
    }
}

fn push_text(out: &mut Vec<u8>, text: &str) {
    // Names longer than a record may hold are cut at a character.
    let mut end = text.len().min(MAX_TEXT_BYTES as usize);
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    push_varint(out, end as u64);
    out.extend_from_slice(&text.as_bytes()[..end]);
}

fn optional(value: Option<u32>) -> u64 {
    value.map_or(0, |value| u64::from(value) + 1)
}

/// The runs in the binary form (not yet deflated).
pub fn encode_runs(runs: &[RecordedRun]) -> Vec<u8> {
    let mut out = MAGIC.to_vec();
    push_varint(&mut out, runs.len() as u64);
    for run in runs {
        push_text(&mut out, &run.title);
        push_text(&mut out, &run.work);
        out.push(u8::from(run.complete));
        push_varint(&mut out, run.lane_names.len() as u64);
        for name in &run.lane_names {
            push_text(&mut out, name);
        }
        push_varint(&mut out, run.spans.len() as u64);
        for span in &run.spans {
            // Its place among the states (`the_states_keep_their_codes`).
            out.push(span.state as u8);
            push_varint(&mut out, optional(span.task));
            push_varint(&mut out, optional(span.lane));
            out.extend_from_slice(&span.start_ms.to_bits().to_le_bytes());
            out.extend_from_slice(&span.end_ms.to_bits().to_le_bytes());
        }
    }
    out
}

/// Reads the binary form back, refusing anything else.
struct Reader<'a> {
    bytes: &'a [u8],
}

impl Reader<'_> {
    fn byte(&mut self) -> Result<u8, RecordError> {
        let (first, rest) = self.bytes.split_first().ok_or(RecordError::Truncated)?;
        self.bytes = rest;
        Ok(*first)
    }

    fn varint(&mut self) -> Result<u64, RecordError> {
        let mut value = 0u64;
        for shift in (0..64).step_by(7) {
            let byte = self.byte()?;
            value |= u64::from(byte & 0x7f) << shift;
            if byte & 0x80 == 0 {
                return Ok(value);
            }
        }
        Err(RecordError::NotOurs)
    }

    fn count(&mut self, limit: u64, what: &'static str) -> Result<usize, RecordError> {
        let count = self.varint()?;
        if count > limit {
            return Err(RecordError::TooMany(what));
        }
        Ok(count as usize)
    }

    fn take(&mut self, length: usize) -> Result<&[u8], RecordError> {
        if self.bytes.len() < length {
            return Err(RecordError::Truncated);
        }
        let (taken, rest) = self.bytes.split_at(length);
        self.bytes = rest;
        Ok(taken)
    }

    fn text(&mut self) -> Result<String, RecordError> {
        let length = self.count(MAX_TEXT_BYTES, "a longer name")?;
        String::from_utf8(self.take(length)?.to_vec()).map_err(|_| RecordError::NotText)
    }

    fn optional(&mut self) -> Result<Option<u32>, RecordError> {
        match self.varint()? {
            0 => Ok(None),
            value => u32::try_from(value - 1).map(Some).map_err(|_| RecordError::NotOurs),
        }
    }

    fn f64(&mut self) -> Result<f64, RecordError> {
        let bytes: [u8; 8] = self.take(8)?.try_into().map_err(|_| RecordError::Truncated)?;
        Ok(f64::from_bits(u64::from_le_bytes(bytes)))
    }
}

pub fn decode_runs(bytes: &[u8]) -> Result<Vec<RecordedRun>, RecordError> {
    let mut reader = Reader { bytes: bytes.strip_prefix(MAGIC).ok_or(RecordError::NotOurs)? };
    let run_count = reader.count(MAX_RUNS, "more runs")?;
    let mut runs = Vec::with_capacity(run_count);
    for _ in 0..run_count {
        let title = reader.text()?;
        let work = reader.text()?;
        let complete = match reader.byte()? {
            0 => false,
            1 => true,
            _ => return Err(RecordError::NotOurs),
        };
        let lane_count = reader.count(MAX_LANES, "more lanes")?;
        let lane_names = (0..lane_count).map(|_| reader.text()).collect::<Result<Vec<_>, _>>()?;
        let span_count = reader.count(MAX_SPANS, "more spans")?;
        let mut spans = Vec::with_capacity(span_count.min(reader.bytes.len() / 18));
        for _ in 0..span_count {
            let state =
                *SpanState::VARIANTS.get(usize::from(reader.byte()?)).ok_or(RecordError::UnknownState)?;
            let task = reader.optional()?;
            let lane = reader.optional()?;
            let (start_ms, end_ms) = (reader.f64()?, reader.f64()?);
            // A link or a file from anywhere: what no run records is refused
            // before the timeline would lay it out.
            if !start_ms.is_finite() || !end_ms.is_finite() || end_ms < start_ms {
                return Err(RecordError::BadTime);
            }
            if lane.is_some_and(|lane| u64::from(lane) >= MAX_LANES) {
                return Err(RecordError::BadLane);
            }
            spans.push(Span { task, lane, state, start_ms, end_ms });
        }
        runs.push(RecordedRun { title, work, complete, lane_names, spans });
    }
    if !reader.bytes.is_empty() {
        return Err(RecordError::TrailingBytes);
    }
    Ok(runs)
}

/// The runs deflated and in URL-safe base64: what `#run=` carries.
pub fn pack_runs(runs: &[RecordedRun]) -> String {
    URL_SAFE_NO_PAD.encode(miniz_oxide::deflate::compress_to_vec(&encode_runs(runs), 9))
}

pub fn unpack_runs(packed: &str) -> Result<Vec<RecordedRun>, RecordError> {
    let deflated = URL_SAFE_NO_PAD.decode(packed.trim()).map_err(|_| RecordError::NotBase64)?;
    let bytes = miniz_oxide::inflate::decompress_to_vec_with_limit(&deflated, MAX_INFLATED_BYTES)
        .map_err(|error| RecordError::NotDeflated(format!("{:?}", error.status)))?;
    decode_runs(&bytes)
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    fn span() -> impl Strategy<Value = Span> {
        (
            0..SpanState::VARIANTS.len(),
            prop::option::of(any::<u32>()),
            prop::option::of(0u32..64),
            -1.0e9f64..1.0e9,
            0.0f64..1.0e9,
        )
            .prop_map(|(state, task, lane, start_ms, length_ms)| Span {
                task,
                lane,
                state: SpanState::VARIANTS[state],
                start_ms,
                end_ms: start_ms + length_ms,
            })
    }

    fn run() -> impl Strategy<Value = RecordedRun> {
        (
            ".{0,40}",
            ".{0,20}",
            any::<bool>(),
            prop::collection::vec(".{0,12}", 0..6),
            prop::collection::vec(span(), 0..40),
        )
            .prop_map(|(title, work, complete, lane_names, spans)| RecordedRun {
                title,
                work,
                complete,
                lane_names,
                spans,
            })
    }

    proptest! {
        /// Any runs come back exactly, every span's ends to the bit.
        #[test]
        fn runs_come_back_exactly(runs in prop::collection::vec(run(), 0..5)) {
            let back = unpack_runs(&pack_runs(&runs));
            prop_assert!(back.is_ok(), "{back:?}");
            // Compared as encoded: every bit.
            prop_assert_eq!(encode_runs(&back.unwrap_or_default()), encode_runs(&runs));
        }

        /// Any text or bytes are read without a panic; without the mark of
        /// the form, they are refused as not ours.
        #[test]
        fn any_input_is_read_without_a_panic(text in ".{0,200}", bytes in prop::collection::vec(any::<u8>(), 0..200)) {
            let _ = unpack_runs(&text);
            let mut ours = MAGIC.to_vec();
            ours.extend(&bytes);
            let _ = decode_runs(&ours);
            if !bytes.starts_with(MAGIC) {
                prop_assert_eq!(decode_runs(&bytes), Err(RecordError::NotOurs));
            }
        }
    }

    /// A state is written as its place in this list: links and traces
    /// already shared read it so. Add new states at the end, never between.
    #[test]
    fn the_states_keep_their_codes() {
        let names: Vec<&str> = SpanState::VARIANTS.iter().map(|state| state.name()).collect();
        assert_eq!(
            names,
            [
                "queued",
                "running",
                "waiting-for-lock",
                "waiting-for-turn",
                "blocked-on-full",
                "blocked-on-empty",
                "starting",
                "serialising",
                "waiting",
                "downloading",
                "failed",
                "cancelled",
                "waiting-for-result",
                "awaiting",
                "ready-for-loop",
            ]
        );
    }

    #[test]
    fn a_span_no_run_could_record_is_refused() {
        let run = |span: Span| RecordedRun {
            title: String::new(),
            work: String::new(),
            complete: true,
            lane_names: Vec::new(),
            spans: vec![span],
        };
        let good = Span { task: None, lane: Some(0), state: SpanState::Running, start_ms: 0.0, end_ms: 1.0 };
        let infinite = Span { end_ms: f64::INFINITY, ..good };
        let backwards = Span { start_ms: 2.0, ..good };
        let far_lane = Span { lane: Some(u32::MAX), ..good };
        assert_eq!(unpack_runs(&pack_runs(&[run(infinite)])), Err(RecordError::BadTime));
        assert_eq!(unpack_runs(&pack_runs(&[run(backwards)])), Err(RecordError::BadTime));
        assert_eq!(unpack_runs(&pack_runs(&[run(far_lane)])), Err(RecordError::BadLane));
    }

    #[test]
    fn a_cut_record_says_so() {
        let run = RecordedRun {
            title: "1. Threads, 2 workers".into(),
            work: "sum".into(),
            complete: true,
            lane_names: vec!["worker 1".into()],
            spans: vec![Span {
                task: Some(0),
                lane: Some(0),
                state: SpanState::Running,
                start_ms: 0.0,
                end_ms: 1.5,
            }],
        };
        let bytes = encode_runs(&[run]);
        assert_eq!(decode_runs(&bytes[..bytes.len() - 3]), Err(RecordError::Truncated));
        assert_eq!(unpack_runs("not base64!"), Err(RecordError::NotBase64));
        let mut longer = bytes.clone();
        longer.push(0);
        assert_eq!(decode_runs(&longer), Err(RecordError::TrailingBytes));
    }
}
