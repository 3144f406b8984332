//! The I/O experiments' model: targets, modes, per-request outcomes and
//! their classes, the latency summary, and the ideal a browser allows.

use std::collections::BTreeMap;

use crate::percentile::nearest_rank;

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum FetchMode {
    /// Await each request before starting the next.
    #[default]
    Sequential,
    /// Start all at once, await all.
    Gather,
    /// At most `k` in flight.
    Pool,
    /// `k` isolated Web Workers, each fetching one request at a time.
    Workers,
}

impl FetchMode {
    pub const ALL: &'static [FetchMode] =
        &[FetchMode::Sequential, FetchMode::Gather, FetchMode::Pool, FetchMode::Workers];

    pub fn query_value(self) -> &'static str {
        match self {
            FetchMode::Sequential => "sequential",
            FetchMode::Gather => "gather",
            FetchMode::Pool => "pool",
            FetchMode::Workers => "workers",
        }
    }

    pub fn title(self) -> &'static str {
        match self {
            FetchMode::Sequential => "Sequential",
            FetchMode::Gather => "Gather",
            FetchMode::Pool => "Bounded pool",
            FetchMode::Workers => "Isolated workers",
        }
    }

    pub fn python_idiom(self) -> &'static str {
        match self {
            FetchMode::Sequential => "for url in urls:\n    response = requests.get(url)",
            FetchMode::Gather => {
                "async with aiohttp.ClientSession() as session:\n    results = await asyncio.gather(\n        \
                 *(fetch(session, url) for url in urls), return_exceptions=True)"
            }
            FetchMode::Pool => {
                "with ThreadPoolExecutor(max_workers=k) as pool:\n    results = pool.map(requests.get, urls)"
            }
            FetchMode::Workers => {
                "with ProcessPoolExecutor(max_workers=k) as pool:\n    results = pool.map(download_one, urls)"
            }
        }
    }

    pub fn teaches(self) -> &'static str {
        match self {
            FetchMode::Sequential => {
                "Each request waits for the previous one: the makespan is the sum of the latencies, and the \
                 program is idle almost all of that time."
            }
            FetchMode::Gather => {
                "Every request starts at once and the page awaits them all: while one waits, the others wait \
                 too, so the makespan approaches the slowest request, if the browser and the server let them \
                 all run at once (HTTP/1.1 allows six connections per host)."
            }
            FetchMode::Pool => {
                "At most k requests are in flight: a semaphore, a thread pool's max_workers, buffer_unordered(k). \
                 It bounds the load on the server while still overlapping the waiting."
            }
            FetchMode::Workers => {
                "k isolated workers, like k processes, each sending one request at a time. For waiting there is \
                 nothing to gain from more cores: it overlaps no better than a pool of k on one thread, and each \
                 worker must start first."
            }
        }
    }
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum FetchTarget {
    /// The dev server's `/api/delay`.
    #[default]
    Server,
    /// The same endpoint answered by the page's service worker, with a
    /// bounded capacity (works on static hosts and offline).
    ServiceWorker,
    /// The notes' twelve news sites, modelled by size and latency.
    Preset,
    /// Addresses the user types (https:, or this site's own).
    Urls,
}

impl FetchTarget {
    pub const ALL: &'static [FetchTarget] =
        &[FetchTarget::Server, FetchTarget::ServiceWorker, FetchTarget::Preset, FetchTarget::Urls];

    pub fn query_value(self) -> &'static str {
        match self {
            FetchTarget::Server => "server",
            FetchTarget::ServiceWorker => "sw",
            FetchTarget::Preset => "preset",
            FetchTarget::Urls => "urls",
        }
    }

    pub fn title(self) -> &'static str {
        match self {
            FetchTarget::Server => "Dev server (/api/delay)",
            FetchTarget::ServiceWorker => "Service worker (simulated server)",
            FetchTarget::Preset => "The notes' twelve sites (modelled)",
            FetchTarget::Urls => "Addresses you type",
        }
    }
}

/// The notes' twelve news sites and the bytes each returned.
pub const PRESET_SITES: [(&str, u32); 12] = [
    ("www.baidu.com", 2443),
    ("pypi.org", 18818),
    ("www.sina.com.cn", 572_160),
    ("www.163.com", 695_359),
    ("news.qq.com", 6216),
    ("www.ifeng.com", 251_170),
    ("www.ce.cn", 107_852),
    ("news.baidu.com", 73_977),
    ("www.people.com.cn", 152_458),
    ("www.ce.cn", 107_852),
    ("news.163.com", 208_375),
    ("news.sohu.com", 175_232),
];

/// A preset site's modelled latency: 120 ms to first byte plus 2 MB/s. The
/// twelve add up to 2.62 s, near the notes' measured 2.8 s for a plain loop.
pub fn preset_latency_ms(bytes: u32) -> u32 {
    120 + bytes / 2000
}

/// One request of a run.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PlannedRequest {
    pub label: String,
    pub delay_ms: u32,
    pub bytes: u32,
    pub status: u16,
}

/// The requests of a run, in submission order (none for typed addresses:
/// those are whatever the user wrote, not planned).
pub fn planned_requests(
    target: FetchTarget,
    count: u32,
    latency_ms: u32,
    status: u16,
) -> Vec<PlannedRequest> {
    match target {
        FetchTarget::Urls => Vec::new(),
        FetchTarget::Preset => PRESET_SITES
            .iter()
            .cycle()
            .take(count as usize)
            .map(|(site, bytes)| PlannedRequest {
                label: (*site).to_string(),
                delay_ms: preset_latency_ms(*bytes),
                bytes: *bytes,
                status,
            })
            .collect(),
        FetchTarget::Server | FetchTarget::ServiceWorker => (0..count)
            .map(|index| PlannedRequest {
                label: format!("request {index}"),
                delay_ms: latency_ms,
                bytes: 0,
                status,
            })
            .collect(),
    }
}

/// How one request ended.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum RequestOutcome {
    /// A response arrived (any status) and its body was read.
    Response {
        status: u16,
        body_bytes: u64,
    },
    /// `fetch` rejected: the browser does not say whether the network or CORS failed.
    NetworkError,
    TimedOut,
    Cancelled,
}

/// The classes the page counts, like the notes' `Counter`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum StatusClass {
    Ok,
    Http(u16),
    NetworkOrCors,
    Timeout,
    Cancelled,
}

impl StatusClass {
    pub fn of(outcome: &RequestOutcome) -> Self {
        match outcome {
            RequestOutcome::Response { status, .. } if (200..300).contains(status) => StatusClass::Ok,
            RequestOutcome::Response { status, .. } => StatusClass::Http(*status),
            RequestOutcome::NetworkError => StatusClass::NetworkOrCors,
            RequestOutcome::TimedOut => StatusClass::Timeout,
            RequestOutcome::Cancelled => StatusClass::Cancelled,
        }
    }

    pub fn name(self) -> String {
        match self {
            StatusClass::Ok => "ok".to_string(),
            StatusClass::Http(status) => format!("http {status}"),
            StatusClass::NetworkOrCors => "network/CORS".to_string(),
            StatusClass::Timeout => "timeout".to_string(),
            StatusClass::Cancelled => "cancelled".to_string(),
        }
    }
}

/// Counts per class, in a stable order.
pub fn count_classes<'a>(
    outcomes: impl IntoIterator<Item = &'a RequestOutcome>,
) -> BTreeMap<StatusClass, usize> {
    let mut counts = BTreeMap::new();
    for outcome in outcomes {
        *counts.entry(StatusClass::of(outcome)).or_insert(0) += 1;
    }
    counts
}

/// The notes' load-test summary of latencies.
#[derive(Clone, Debug, PartialEq)]
pub struct LatencySummary {
    pub min_ms: f64,
    pub p50_ms: f64,
    pub p90_ms: f64,
    pub p99_ms: f64,
    pub max_ms: f64,
    pub mean_ms: f64,
    /// How far the slowest request is from the mean: the tail the mean hides.
    pub max_minus_mean_ms: f64,
}

/// `None` for no latencies. Percentiles are nearest-rank: always a latency
/// that was measured, never an interpolation.
pub fn latency_summary(latencies_ms: &[f64]) -> Option<LatencySummary> {
    if latencies_ms.is_empty() {
        return None;
    }
    let mut sorted = latencies_ms.to_vec();
    sorted.sort_by(f64::total_cmp);
    let rank = |percent: f64| nearest_rank(&sorted, percent).unwrap_or(0.0);
    let mean_ms = sorted.iter().sum::<f64>() / sorted.len() as f64;
    let max_ms = sorted[sorted.len() - 1];
    Some(LatencySummary {
        min_ms: sorted[0],
        p50_ms: rank(50.0),
        p90_ms: rank(90.0),
        p99_ms: rank(99.0),
        max_ms,
        mean_ms,
        max_minus_mean_ms: max_ms - mean_ms,
    })
}

/// The browser's limit of concurrent HTTP/1.1 connections to one host.
pub const HTTP1_CONNECTIONS_PER_HOST: u32 = 6;

/// The best makespan for `delays_ms` when at most `slots` run at once and
/// each takes its delay: list scheduling in order (what a FIFO of requests
/// over `slots` connections achieves with no overhead).
pub fn ideal_makespan_ms(delays_ms: &[f64], slots: u32) -> f64 {
    crate::run_stats::ideal_makespan_ms(delays_ms, slots)
}

/// How many requests can be in flight at once for a mode on a target.
pub fn concurrency_limit(mode: FetchMode, pool_size: u32, count: u32, target_limit: u32) -> u32 {
    let mode_limit = match mode {
        FetchMode::Sequential => 1,
        FetchMode::Gather => count,
        FetchMode::Pool | FetchMode::Workers => pool_size,
    };
    mode_limit.min(target_limit).max(1)
}

/// Which lane (slot) a request occupies: the lowest free one, so lanes
/// never hold two overlapping requests.
#[derive(Clone, Debug, Default)]
pub struct Slots {
    busy: Vec<bool>,
}

impl Slots {
    pub fn take(&mut self) -> u32 {
        match self.busy.iter().position(|busy| !busy) {
            Some(free) => {
                self.busy[free] = true;
                free as u32
            }
            None => {
                self.busy.push(true);
                (self.busy.len() - 1) as u32
            }
        }
    }

    pub fn release(&mut self, slot: u32) {
        if let Some(busy) = self.busy.get_mut(slot as usize) {
            *busy = false;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use expect_test::expect;
    use proptest::prelude::*;

    #[test]
    fn percentiles_are_nearest_rank() {
        let data: Vec<f64> = (1..=100).map(f64::from).collect();
        let summary = latency_summary(&data).expect("data");
        assert_eq!(
            (summary.min_ms, summary.p50_ms, summary.p90_ms, summary.p99_ms, summary.max_ms),
            (1.0, 50.0, 90.0, 99.0, 100.0)
        );
        assert_eq!(summary.mean_ms, 50.5);
        assert_eq!(summary.max_minus_mean_ms, 49.5);
        let small = latency_summary(&[300.0, 100.0, 200.0]).expect("data");
        assert_eq!((small.p50_ms, small.p90_ms, small.p99_ms), (200.0, 300.0, 300.0));
        assert_eq!(latency_summary(&[]), None);
    }

    #[test]
    fn classifies_like_the_notes_counter() {
        let outcomes = [
            RequestOutcome::Response { status: 200, body_bytes: 10 },
            RequestOutcome::Response { status: 204, body_bytes: 0 },
            RequestOutcome::Response { status: 404, body_bytes: 0 },
            RequestOutcome::Response { status: 404, body_bytes: 0 },
            RequestOutcome::Response { status: 503, body_bytes: 0 },
            RequestOutcome::NetworkError,
            RequestOutcome::TimedOut,
            RequestOutcome::Cancelled,
        ];
        let rendered: Vec<String> = count_classes(&outcomes)
            .into_iter()
            .map(|(class, count)| format!("{}: {count}", class.name()))
            .collect();
        expect![[r#"ok: 2, http 404: 2, http 503: 1, network/CORS: 1, timeout: 1, cancelled: 1"#]]
            .assert_eq(&rendered.join(", "));
    }

    #[test]
    fn the_preset_is_the_notes_twelve_sites() {
        let requests = planned_requests(FetchTarget::Preset, 12, 0, 200);
        let total_ms: u32 = requests.iter().map(|request| request.delay_ms).sum();
        assert_eq!(requests.len(), 12);
        assert_eq!(total_ms, 2620);
        assert_eq!(requests[3].bytes, 695_359);
    }

    #[test]
    fn ideal_makespans_follow_the_connection_limit() {
        let twelve = vec![100.0; 12];
        assert_eq!(ideal_makespan_ms(&twelve, 1), 1200.0);
        assert_eq!(ideal_makespan_ms(&twelve, 6), 200.0);
        assert_eq!(ideal_makespan_ms(&vec![100.0; 60], HTTP1_CONNECTIONS_PER_HOST), 1000.0);
        assert_eq!(concurrency_limit(FetchMode::Gather, 3, 60, 6), 6);
        assert_eq!(concurrency_limit(FetchMode::Pool, 3, 60, 6), 3);
        assert_eq!(concurrency_limit(FetchMode::Sequential, 3, 60, 6), 1);
    }

    proptest! {
        #[test]
        fn slots_never_hold_two_requests(operations in proptest::collection::vec(any::<bool>(), 0..200)) {
            let mut slots = Slots::default();
            let mut held: Vec<u32> = Vec::new();
            for take in operations {
                if take || held.is_empty() {
                    let slot = slots.take();
                    prop_assert!(!held.contains(&slot));
                    // The lowest free slot: every lower one is held.
                    prop_assert!((0..slot).all(|lower| held.contains(&lower)));
                    held.push(slot);
                } else {
                    let slot = held.remove(0);
                    slots.release(slot);
                }
            }
        }
    }
}
