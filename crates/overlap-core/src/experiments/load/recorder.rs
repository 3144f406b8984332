//! What a load run records as its requests come back, in constant space
//! whatever their number: two HDR histograms of latency (every answer, and
//! successes only), counts per status and per error, totals, the in-flight
//! count integrated over time, counts per time bin for the charts, and the
//! first requests in full for the timeline.

use std::collections::BTreeMap;

use hdrhistogram::Histogram;
use strum::{IntoStaticStr, VariantArray};

use crate::lang::Words;

/// Latencies are recorded in microseconds, from 1 µs to two minutes (the
/// longest run plus the longest timeout), to three significant digits.
const LOWEST_US: u64 = 1;
const HIGHEST_US: u64 = 120_000_000;
const SIGNIFICANT_DIGITS: u8 = 3;
/// The width of one bin of the per-time charts.
pub const BIN_MS: f64 = 100.0;
/// The most requests kept in full (the timeline and its trace).
pub const TRACED_REQUESTS: usize = 1_000;

/// Why a request did not succeed, as load testers count errors.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, VariantArray, IntoStaticStr)]
#[strum(serialize_all = "snake_case")]
pub enum ErrorKind {
    /// No answer within the timeout.
    Timeout,
    /// `fetch()` rejected: the network, CORS, or a connection cut.
    Network,
    /// 503: the server's queue was full.
    QueueFull,
    /// Any other 5xx (the 500s asked for with `fail`).
    ServerError,
    /// A 4xx.
    ClientError,
}

impl ErrorKind {
    pub fn title(self) -> Words {
        match self {
            ErrorKind::Timeout => Words::new("timeout", "超时"),
            ErrorKind::Network => Words::new("network or CORS", "网络或 CORS 错误"),
            ErrorKind::QueueFull => Words::new("503: server queue full", "503：服务器队列已满"),
            ErrorKind::ServerError => Words::new("other 5xx", "其他 5xx"),
            ErrorKind::ClientError => Words::new("4xx", "4xx"),
        }
    }

    /// The error a status stands for, if any.
    pub fn of_status(status: u16) -> Option<ErrorKind> {
        match status {
            503 => Some(ErrorKind::QueueFull),
            500..=599 => Some(ErrorKind::ServerError),
            400..=499 => Some(ErrorKind::ClientError),
            _ => None,
        }
    }
}

/// How one request ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Ending {
    Status(u16),
    Timeout,
    Network,
}

impl Ending {
    pub fn is_ok(self) -> bool {
        matches!(self, Ending::Status(200..=299))
    }

    pub fn error(self) -> Option<ErrorKind> {
        match self {
            Ending::Status(status) => ErrorKind::of_status(status),
            Ending::Timeout => Some(ErrorKind::Timeout),
            Ending::Network => Some(ErrorKind::Network),
        }
    }
}

/// One answered request, in milliseconds from the run's start.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Answer {
    pub index: u32,
    /// When it should have been sent (the open model's schedule; the send
    /// itself in the closed model).
    pub due_ms: f64,
    pub sent_ms: f64,
    pub end_ms: f64,
    pub ending: Ending,
    pub bytes: u64,
    /// What the server said it spent, from `Server-Timing`: waiting for a
    /// worker, and working.
    pub server_queue_ms: Option<f64>,
    pub server_work_ms: Option<f64>,
}

impl Answer {
    /// The latency reported: from when the request was due, so that a
    /// request the page could not send on time still counts its wait
    /// (no coordinated omission).
    pub fn latency_ms(&self) -> f64 {
        (self.end_ms - self.due_ms).max(0.0)
    }

    /// The time it was in flight, from `fetch()` to its end.
    pub fn in_flight_ms(&self) -> f64 {
        (self.end_ms - self.sent_ms).max(0.0)
    }
}

/// One time bin of the charts.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Bin {
    pub sent: u32,
    pub answered: u32,
    pub ok: u32,
    /// The in-flight count integrated over the bin (request-milliseconds).
    pub in_flight_area: f64,
}

/// A request kept in full for the timeline.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct TracedRequest {
    pub index: u32,
    pub lane: u32,
    pub due_ms: f64,
    pub sent_ms: f64,
    /// `None` while in flight, and for one stopped before its answer.
    pub answer: Option<(f64, Ending)>,
}

#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum RecorderError {
    #[error("the latency histogram could not be made: {0}")]
    Histogram(String),
}

/// Everything a run measured so far.
#[derive(Clone, Debug)]
pub struct LoadRecorder {
    latency_us: Histogram<u32>,
    ok_latency_us: Histogram<u32>,
    pub statuses: BTreeMap<u16, u64>,
    pub errors: BTreeMap<ErrorKind, u64>,
    pub sent: u64,
    pub answered: u64,
    pub ok: u64,
    /// Requests aborted by Stop before their answer.
    pub stopped: u64,
    pub bytes: u64,
    pub ok_bytes: u64,
    /// Exact sums and extremes, beside the histograms' bucketed values.
    sum_latency_ms: f64,
    sum_ok_latency_ms: f64,
    min_latency_ms: f64,
    max_latency_ms: f64,
    min_ok_latency_ms: f64,
    max_ok_latency_ms: f64,
    /// Every departure's time in flight (answers and stops): λ × W.
    sum_in_flight_ms: f64,
    /// The open model's lateness: sent − due.
    sum_send_lag_ms: f64,
    max_send_lag_ms: f64,
    /// Server-Timing sums over the answers that carried it.
    timed_by_server: u64,
    sum_server_ms: f64,
    sum_server_in_flight_ms: f64,
    in_flight: u32,
    max_in_flight: u32,
    /// ∫ in flight dt, and when the count last changed.
    in_flight_area: f64,
    last_change_ms: f64,
    first_sent_ms: Option<f64>,
    last_end_ms: f64,
    pub bins: Vec<Bin>,
    pub traced: Vec<TracedRequest>,
}

impl LoadRecorder {
    pub fn new() -> Result<Self, RecorderError> {
        let histogram = || {
            Histogram::<u32>::new_with_bounds(LOWEST_US, HIGHEST_US, SIGNIFICANT_DIGITS)
                .map_err(|error| RecorderError::Histogram(format!("{error:?}")))
        };
        Ok(LoadRecorder {
            latency_us: histogram()?,
            ok_latency_us: histogram()?,
            statuses: BTreeMap::new(),
            errors: BTreeMap::new(),
            sent: 0,
            answered: 0,
            ok: 0,
            stopped: 0,
            bytes: 0,
            ok_bytes: 0,
            sum_latency_ms: 0.0,
            sum_ok_latency_ms: 0.0,
            min_latency_ms: f64::INFINITY,
            max_latency_ms: 0.0,
            min_ok_latency_ms: f64::INFINITY,
            max_ok_latency_ms: 0.0,
            sum_in_flight_ms: 0.0,
            sum_send_lag_ms: 0.0,
            max_send_lag_ms: 0.0,
            timed_by_server: 0,
            sum_server_ms: 0.0,
            sum_server_in_flight_ms: 0.0,
            in_flight: 0,
            max_in_flight: 0,
            in_flight_area: 0.0,
            last_change_ms: 0.0,
            first_sent_ms: None,
            last_end_ms: 0.0,
            bins: Vec::new(),
            traced: Vec::new(),
        })
    }

    /// Adds the in-flight count since the last change to the bins it spans.
    fn advance_to(&mut self, at_ms: f64) {
        let from_ms = self.last_change_ms;
        if at_ms <= from_ms {
            return;
        }
        let count = f64::from(self.in_flight);
        self.in_flight_area += count * (at_ms - from_ms);
        if self.in_flight > 0 {
            let mut start_ms = from_ms;
            while start_ms < at_ms {
                let bin = (start_ms / BIN_MS).floor() as usize;
                let bin_end_ms = ((bin + 1) as f64 * BIN_MS).min(at_ms);
                self.bin_mut(bin).in_flight_area += count * (bin_end_ms - start_ms);
                start_ms = bin_end_ms;
            }
        }
        self.last_change_ms = at_ms;
    }

    fn bin_mut(&mut self, bin: usize) -> &mut Bin {
        if self.bins.len() <= bin {
            self.bins.resize(bin + 1, Bin::default());
        }
        &mut self.bins[bin]
    }

    fn bin_of(at_ms: f64) -> usize {
        (at_ms.max(0.0) / BIN_MS).floor() as usize
    }

    /// Request `index` was sent at `sent_ms`, due at `due_ms`; `lane` is the
    /// timeline lane it holds while in flight.
    pub fn sent(&mut self, index: u32, lane: u32, due_ms: f64, sent_ms: f64) {
        self.advance_to(sent_ms);
        self.in_flight += 1;
        self.max_in_flight = self.max_in_flight.max(self.in_flight);
        self.sent += 1;
        self.first_sent_ms.get_or_insert(sent_ms);
        let lag_ms = (sent_ms - due_ms).max(0.0);
        self.sum_send_lag_ms += lag_ms;
        self.max_send_lag_ms = self.max_send_lag_ms.max(lag_ms);
        self.bin_mut(Self::bin_of(sent_ms)).sent += 1;
        if self.traced.len() < TRACED_REQUESTS {
            self.traced.push(TracedRequest { index, lane, due_ms, sent_ms, answer: None });
        }
    }

    /// A request came back (with a status, or as an error).
    pub fn answered(&mut self, answer: &Answer) {
        self.advance_to(answer.end_ms);
        self.in_flight = self.in_flight.saturating_sub(1);
        self.answered += 1;
        self.last_end_ms = self.last_end_ms.max(answer.end_ms);
        self.sum_in_flight_ms += answer.in_flight_ms();
        let latency_ms = answer.latency_ms();
        let latency_us = (latency_ms * 1_000.0).round().max(1.0) as u64;
        self.latency_us.saturating_record(latency_us);
        self.sum_latency_ms += latency_ms;
        self.min_latency_ms = self.min_latency_ms.min(latency_ms);
        self.max_latency_ms = self.max_latency_ms.max(latency_ms);
        self.bytes += answer.bytes;
        if let Ending::Status(status) = answer.ending {
            *self.statuses.entry(status).or_default() += 1;
        }
        if let Some(error) = answer.ending.error() {
            *self.errors.entry(error).or_default() += 1;
        }
        let bin = self.bin_mut(Self::bin_of(answer.end_ms));
        bin.answered += 1;
        if answer.ending.is_ok() {
            bin.ok += 1;
            self.ok += 1;
            self.ok_bytes += answer.bytes;
            self.ok_latency_us.saturating_record(latency_us);
            self.sum_ok_latency_ms += latency_ms;
            self.min_ok_latency_ms = self.min_ok_latency_ms.min(latency_ms);
            self.max_ok_latency_ms = self.max_ok_latency_ms.max(latency_ms);
        }
        if let (Some(queue_ms), Some(work_ms)) = (answer.server_queue_ms, answer.server_work_ms) {
            self.timed_by_server += 1;
            self.sum_server_ms += queue_ms + work_ms;
            self.sum_server_in_flight_ms += answer.in_flight_ms();
        }
        if let Some(traced) = self.traced.get_mut(answer.index as usize)
            && traced.index == answer.index
        {
            traced.answer = Some((answer.end_ms, answer.ending));
        }
    }

    /// A request in flight was aborted by Stop at `at_ms`.
    pub fn stopped(&mut self, sent_ms: f64, at_ms: f64) {
        self.advance_to(at_ms);
        self.in_flight = self.in_flight.saturating_sub(1);
        self.stopped += 1;
        self.sum_in_flight_ms += (at_ms - sent_ms).max(0.0);
        self.last_end_ms = self.last_end_ms.max(at_ms);
    }

    pub fn in_flight(&self) -> u32 {
        self.in_flight
    }

    pub fn max_in_flight(&self) -> u32 {
        self.max_in_flight
    }

    /// The histogram of every answer, or of successes only.
    pub fn histogram(&self, ok_only: bool) -> &Histogram<u32> {
        if ok_only { &self.ok_latency_us } else { &self.latency_us }
    }

    /// Exact mean, fastest and slowest latency (ms), if anything was answered.
    pub fn latency_extremes(&self, ok_only: bool) -> Option<(f64, f64, f64)> {
        let (count, sum, min, max) = if ok_only {
            (self.ok, self.sum_ok_latency_ms, self.min_ok_latency_ms, self.max_ok_latency_ms)
        } else {
            (self.answered, self.sum_latency_ms, self.min_latency_ms, self.max_latency_ms)
        };
        (count > 0).then(|| (sum / count as f64, min, max))
    }

    /// From the first request sent to the last departure (ms).
    pub fn window_ms(&self) -> f64 {
        self.first_sent_ms.map_or(0.0, |first| (self.last_end_ms.max(self.last_change_ms) - first).max(0.0))
    }

    /// Little's law, both sides over the run's window: the time-average
    /// number in flight (L, from the count) and the departure rate times
    /// the mean time in flight (λ × W, from each request's own times).
    pub fn littles_law(&self) -> Option<(f64, f64)> {
        let window_ms = self.window_ms();
        let departures = self.answered + self.stopped;
        (window_ms > 0.0 && departures > 0).then(|| {
            let mean_in_flight = self.in_flight_area / window_ms;
            let rate_per_ms = departures as f64 / window_ms;
            let mean_time_ms = self.sum_in_flight_ms / departures as f64;
            (mean_in_flight, rate_per_ms * mean_time_ms)
        })
    }

    /// Of the mean number in flight, how many were at the server (its
    /// queue and its workers, from `Server-Timing`) and how many were
    /// elsewhere: waiting in the browser for a connection, or on the wire.
    pub fn at_server_and_elsewhere(&self) -> Option<(f64, f64)> {
        let window_ms = self.window_ms();
        (window_ms > 0.0 && self.timed_by_server > 0).then(|| {
            let at_server = self.sum_server_ms / window_ms;
            let elsewhere = (self.sum_server_in_flight_ms - self.sum_server_ms).max(0.0) / window_ms;
            (at_server, elsewhere)
        })
    }

    /// The open model's mean and largest lateness in sending (ms).
    pub fn send_lag_ms(&self) -> Option<(f64, f64)> {
        (self.sent > 0).then(|| (self.sum_send_lag_ms / self.sent as f64, self.max_send_lag_ms))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn answer(index: u32, sent_ms: f64, end_ms: f64, ending: Ending) -> Answer {
        Answer {
            index,
            due_ms: sent_ms,
            sent_ms,
            end_ms,
            ending,
            bytes: 10,
            server_queue_ms: Some(1.0),
            server_work_ms: Some(4.0),
        }
    }

    #[test]
    fn littles_law_holds_on_events_whatever_their_overlap() {
        // Three requests: [0, 100], [50, 250], [240, 300]; the count is
        // 1, 2, 1, 2, 1 over the window of 300 ms.
        let mut recorder = LoadRecorder::new().expect("a histogram");
        recorder.sent(0, 0, 0.0, 0.0);
        recorder.sent(1, 1, 50.0, 50.0);
        recorder.answered(&answer(0, 0.0, 100.0, Ending::Status(200)));
        recorder.sent(2, 0, 240.0, 240.0);
        recorder.answered(&answer(1, 50.0, 250.0, Ending::Status(503)));
        recorder.answered(&answer(2, 240.0, 300.0, Ending::Timeout));
        let (mean_in_flight, rate_times_time) = recorder.littles_law().expect("departures");
        // ∫ = 100 + 200 + 60 = 360 request-ms over 300 ms.
        assert!((mean_in_flight - 1.2).abs() < 1e-12, "{mean_in_flight}");
        assert!((rate_times_time - 1.2).abs() < 1e-12, "{rate_times_time}");
        assert_eq!(recorder.in_flight(), 0);
        assert_eq!(recorder.max_in_flight(), 2);
        assert_eq!(recorder.statuses, BTreeMap::from([(200, 1), (503, 1)]));
        assert_eq!(recorder.errors, BTreeMap::from([(ErrorKind::Timeout, 1), (ErrorKind::QueueFull, 1)]));
        assert_eq!(recorder.ok, 1);
        // Bins of 100 ms: the area is split where the bins end.
        let areas: Vec<f64> = recorder.bins.iter().map(|bin| bin.in_flight_area).collect();
        // The last answer, at 300 ms, opens a bin with nothing in flight.
        assert_eq!(areas, [100.0 + 50.0, 100.0, 50.0 + 2.0 * 10.0 + 40.0, 0.0]);
        let total: f64 = areas.iter().sum();
        assert!((total - 360.0).abs() < 1e-9);
        // Each request was 5 ms at the server: 15 of 360 request-ms.
        let (at_server, elsewhere) = recorder.at_server_and_elsewhere().expect("server timing");
        assert!((at_server - 15.0 / 300.0).abs() < 1e-12);
        assert!((elsewhere - 345.0 / 300.0).abs() < 1e-12);
    }

    #[test]
    fn a_stop_counts_as_a_departure_and_empties_the_flight() {
        let mut recorder = LoadRecorder::new().expect("a histogram");
        recorder.sent(0, 0, 0.0, 0.0);
        recorder.sent(1, 1, 0.0, 0.0);
        recorder.answered(&answer(0, 0.0, 40.0, Ending::Status(200)));
        recorder.stopped(0.0, 80.0);
        assert_eq!(recorder.in_flight(), 0);
        assert_eq!((recorder.answered, recorder.stopped), (1, 1));
        let (mean_in_flight, rate_times_time) = recorder.littles_law().expect("departures");
        assert!((mean_in_flight - rate_times_time).abs() < 1e-12);
        assert!((mean_in_flight - 1.5).abs() < 1e-12);
    }

    #[test]
    fn the_latency_counts_from_when_a_request_was_due() {
        let mut recorder = LoadRecorder::new().expect("a histogram");
        recorder.sent(0, 0, 0.0, 30.0);
        let late = Answer { due_ms: 0.0, ..answer(0, 30.0, 50.0, Ending::Status(200)) };
        recorder.answered(&late);
        assert_eq!(recorder.latency_extremes(false), Some((50.0, 50.0, 50.0)));
        assert_eq!(recorder.send_lag_ms(), Some((30.0, 30.0)));
        assert_eq!(recorder.traced[0].answer, Some((50.0, Ending::Status(200))));
    }
}
