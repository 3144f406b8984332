//! When a run's requests go out, and how far a run has come: the open
//! model's schedule (request i is due at i / rate s, whatever came back,
//! which is what makes it an open model) and the progress the page draws.

use super::params::{LoadModel, LoadParams};

/// The open model's schedule at `rate_per_s` requests a second.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct OpenSchedule {
    rate_per_s: u32,
}

impl OpenSchedule {
    /// A rate of 0 is read as 1 a second (the address never gives one).
    pub fn new(rate_per_s: u32) -> OpenSchedule {
        OpenSchedule { rate_per_s: rate_per_s.max(1) }
    }

    /// When request `index` is due, in ms from the start of the run.
    /// Computed from the index, not by adding intervals, so that the
    /// schedule never drifts: request `rate × k` is due at exactly k s.
    pub fn due_ms(self, index: u32) -> f64 {
        f64::from(index) * 1_000.0 / f64::from(self.rate_per_s)
    }

    /// How many requests fall due before `end_ms` (the ones a run whose
    /// time is up at `end_ms` sends).
    pub fn due_before(self, end_ms: f64) -> u32 {
        if end_ms <= 0.0 {
            return 0;
        }
        let estimate = (end_ms * f64::from(self.rate_per_s) / 1_000.0).ceil().min(f64::from(u32::MAX)) as u32;
        // The division above can round either way; the schedule itself
        // decides at the edge.
        if estimate > 0 && self.due_ms(estimate - 1) >= end_ms {
            estimate - 1
        } else if estimate < u32::MAX && self.due_ms(estimate) < end_ms {
            estimate + 1
        } else {
            estimate
        }
    }
}

impl LoadParams {
    /// The open model's schedule for these parameters.
    pub fn schedule(&self) -> OpenSchedule {
        OpenSchedule::new(self.rate)
    }

    /// How many requests a run sends unless it is stopped: the open model
    /// knows it in advance (its schedule meets `duration_s` or `requests`
    /// first); the closed model sends at most `requests`, fewer if the
    /// server is too slow to answer them within `duration_s`.
    pub fn planned_requests(&self) -> u32 {
        match self.model {
            LoadModel::Closed => self.requests,
            LoadModel::Open => {
                self.requests.min(self.schedule().due_before(f64::from(self.duration_s) * 1_000.0))
            }
        }
    }
}

/// How far a running run has come, as its progress bar shows it.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct RunProgress {
    pub sent: u64,
    pub planned: u64,
    /// From 0 to 1: the larger of the share sent and the share of
    /// `duration_s` gone, since either ends the run.
    pub done_share: f64,
    /// An estimate: the open model's schedule says when its last request
    /// goes out; the closed model's pace so far says when it would send
    /// its last, unless `duration_s` ends it sooner.
    pub left_ms: f64,
}

/// The progress of a run with `params` that has sent `sent` requests in
/// its first `elapsed_ms`.
pub fn run_progress(params: &LoadParams, elapsed_ms: f64, sent: u64) -> RunProgress {
    let planned = u64::from(params.planned_requests());
    let duration_ms = f64::from(params.duration_s) * 1_000.0;
    let by_time_ms = duration_ms - elapsed_ms;
    let left_ms = match params.model {
        LoadModel::Open => {
            let last_due_ms = params.schedule().due_ms(params.planned_requests().saturating_sub(1));
            (last_due_ms - elapsed_ms).min(by_time_ms)
        }
        LoadModel::Closed if sent > 0 => {
            let by_pace_ms = elapsed_ms / sent as f64 * planned.saturating_sub(sent) as f64;
            by_pace_ms.min(by_time_ms)
        }
        LoadModel::Closed => by_time_ms,
    };
    let sent_share = if planned == 0 { 1.0 } else { sent as f64 / planned as f64 };
    let time_share = if duration_ms > 0.0 { elapsed_ms / duration_ms } else { 1.0 };
    RunProgress {
        sent,
        planned,
        done_share: sent_share.max(time_share).clamp(0.0, 1.0),
        left_ms: left_ms.max(0.0),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn open(rate: u32, requests: u32, duration_s: u32) -> LoadParams {
        LoadParams { model: LoadModel::Open, rate, requests, duration_s, ..LoadParams::default() }
    }

    #[test]
    fn the_open_schedule_sends_rate_requests_each_second_without_drift() {
        for rate in [1, 3, 7, 200, 1_999, 2_000] {
            let schedule = OpenSchedule::new(rate);
            assert_eq!(schedule.due_ms(0), 0.0);
            for second in [1, 2, 59, 60] {
                // Request rate × k is due at exactly k s: no drift after
                // a minute of intervals that are not whole milliseconds.
                assert_eq!(schedule.due_ms(rate * second), f64::from(second) * 1_000.0, "rate {rate}");
                assert_eq!(schedule.due_before(f64::from(second) * 1_000.0), rate * second, "rate {rate}");
            }
        }
        let thirds: Vec<f64> = (0..4).map(|index| OpenSchedule::new(3).due_ms(index)).collect();
        assert_eq!(thirds, [0.0, 1_000.0 / 3.0, 2_000.0 / 3.0, 1_000.0]);
    }

    #[test]
    fn an_open_run_plans_what_its_schedule_meets_first() {
        // 200/s for 30 s is 6,000 requests, fewer than 100,000…
        assert_eq!(open(200, 100_000, 30).planned_requests(), 6_000);
        // …and 500 requests at 200/s are sent in 2.5 s, before 30 s.
        assert_eq!(open(200, 500, 30).planned_requests(), 500);
        assert_eq!(open(2_000, 100_000, 60).planned_requests(), 100_000);
        assert_eq!(open(1, 100_000, 1).planned_requests(), 1);
        let closed = LoadParams { model: LoadModel::Closed, requests: 700, ..LoadParams::default() };
        assert_eq!(closed.planned_requests(), 700);
    }

    #[test]
    fn progress_is_the_nearer_end_and_its_time_left() {
        // An open run of 500 at 200/s: its last request is due at 2,495 ms.
        let params = open(200, 500, 30);
        let halfway = run_progress(&params, 1_250.0, 250);
        assert_eq!((halfway.planned, halfway.done_share, halfway.left_ms), (500, 0.5, 1_245.0));
        // A closed run that sent 100 of 500 in its first second would need
        // 4 s more at that pace, but its 4 s limit ends it 3 s from now.
        let closed =
            LoadParams { model: LoadModel::Closed, requests: 500, duration_s: 4, ..LoadParams::default() };
        let early = run_progress(&closed, 1_000.0, 100);
        assert_eq!((early.done_share, early.left_ms), (0.25, 3_000.0));
        let nothing_yet = run_progress(&closed, 0.0, 0);
        assert_eq!((nothing_yet.done_share, nothing_yet.left_ms), (0.0, 4_000.0));
        let over = run_progress(&closed, 5_000.0, 600);
        assert_eq!((over.done_share, over.left_ms), (1.0, 0.0));
    }

    proptest! {
        #[test]
        fn due_before_counts_exactly_the_requests_due_before_the_end(
            rate in 1u32..=2_000,
            end_ms in 0.0f64..5_000.0,
        ) {
            let schedule = OpenSchedule::new(rate);
            let count = schedule.due_before(end_ms);
            prop_assert!(count == 0 || schedule.due_ms(count - 1) < end_ms);
            prop_assert!(schedule.due_ms(count) >= end_ms);
        }

        #[test]
        fn the_schedule_is_evenly_spaced(rate in 1u32..=2_000, index in 0u32..100_000) {
            let schedule = OpenSchedule::new(rate);
            let gap_ms = schedule.due_ms(index + 1) - schedule.due_ms(index);
            prop_assert!((gap_ms - 1_000.0 / f64::from(rate)).abs() < 1e-6);
        }
    }
}
