//! The I/O experiments' model: targets, modes, per-request outcomes and
//! their classes, the latency summary, and the ideal a browser allows.

use std::collections::BTreeMap;

use strum::{IntoStaticStr, VariantArray};

use crate::lang::{Lang, Words};
use crate::records::percentile::nearest_rank;

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, VariantArray, IntoStaticStr)]
#[strum(serialize_all = "lowercase")]
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
    pub fn title(self) -> Words {
        match self {
            FetchMode::Sequential => Words::new("Sequential", "顺序执行"),
            FetchMode::Gather => Words::new("Gather", "全部并发（gather）"),
            FetchMode::Pool => Words::new("Bounded pool", "有界池"),
            FetchMode::Workers => Words::new("Isolated workers", "隔离工作者"),
        }
    }

    /// A run's title: "Bounded pool, k = 6".
    pub fn run_title(self, workers: u32, lang: Lang) -> String {
        match self {
            FetchMode::Pool | FetchMode::Workers => format!("{}, k = {workers}", self.title().get(lang)),
            FetchMode::Sequential | FetchMode::Gather => self.title().get(lang).to_string(),
        }
    }

    /// Lane `lane`'s name (from 0): a slot for a request in flight, or an
    /// isolated worker.
    pub fn lane_name(self, lane: u32, lang: Lang) -> String {
        let name = match self {
            FetchMode::Workers => Words::new("worker", "工作者"),
            FetchMode::Sequential | FetchMode::Gather | FetchMode::Pool => Words::new("slot", "槽位"),
        };
        format!("{} {}", name.get(lang), lane + 1)
    }

    /// The Python idiom the mode mirrors (its comment in the page's language).
    pub fn python_idiom(self, lang: Lang) -> String {
        match self {
            FetchMode::Sequential => format!(
                "{}\nfor url in urls:\n    response = requests.get(url)",
                Words::new("# one request after another", "# 一个请求接一个请求").get(lang)
            ),
            FetchMode::Gather => format!(
                "{}\nasync with aiohttp.ClientSession() as session:\n    results = await asyncio.gather(\n        \
                 *(fetch(session, url) for url in urls), return_exceptions=True)",
                Words::new("# every request at once, on one thread", "# 所有请求同时发出，只用一个线程")
                    .get(lang)
            ),
            FetchMode::Pool => format!(
                "{}\nwith ThreadPoolExecutor(max_workers=k) as pool:\n    results = pool.map(requests.get, urls)",
                Words::new("# at most k requests in flight", "# 同时最多 k 个请求").get(lang)
            ),
            FetchMode::Workers => format!(
                "{}\nwith ProcessPoolExecutor(max_workers=k) as pool:\n    results = pool.map(download_one, urls)",
                Words::new(
                    "# k processes, one request each at a time",
                    "# k 个进程，每个同一时刻只发一个请求"
                )
                .get(lang)
            ),
        }
    }

    pub fn teaches(self) -> Words {
        match self {
            FetchMode::Sequential => Words::new(
                "Each request waits for the previous one: the makespan is the sum of the latencies, and the \
                 program is idle almost all of that time.",
                "每个请求都要等上一个结束：总耗时是所有延迟之和，而程序几乎一直在空等。",
            ),
            FetchMode::Gather => Words::new(
                "Every request starts at once and the page awaits them all: while one waits, the others wait \
                 too, so the makespan approaches the slowest request, if the browser and the server let them \
                 all run at once (HTTP/1.1 allows six connections per host).",
                "所有请求同时发出，页面等待它们全部完成：一个在等待时，其他的也在等待，所以总耗时接近最慢的那个请求——前提是浏览器和服务器允许它们同时进行（HTTP/1.1 每个主机最多六个连接）。",
            ),
            FetchMode::Pool => Words::new(
                "At most k requests are in flight: a semaphore, a thread pool's max_workers, buffer_unordered(k). \
                 It bounds the load on the server while still overlapping the waiting.",
                "同时最多有 k 个请求在进行：相当于信号量、线程池的 max_workers、buffer_unordered(k)。既限制了服务器的负载，又让等待相互重叠。",
            ),
            FetchMode::Workers => Words::new(
                "k isolated workers, like k processes, each sending one request at a time. For waiting there is \
                 nothing to gain from more cores: it overlaps no better than a pool of k on one thread, and each \
                 worker must start first.",
                "k 个隔离工作者，就像 k 个进程，每个同一时刻只发一个请求。对等待来说，多核没有好处：它的重叠效果不比单线程上大小为 k 的池更好，而且每个工作者还要先启动。",
            ),
        }
    }
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, VariantArray, IntoStaticStr)]
pub enum FetchTarget {
    /// The dev server's `/api/delay`.
    #[default]
    #[strum(serialize = "server")]
    Server,
    /// The same endpoint answered by the page's service worker, with a
    /// bounded capacity (works on static hosts and offline).
    #[strum(serialize = "sw")]
    ServiceWorker,
    /// The notes' twelve news sites, modelled by size and latency.
    #[strum(serialize = "preset")]
    Preset,
    /// Addresses the user types (https:, or this site's own).
    #[strum(serialize = "urls")]
    Urls,
}

impl FetchTarget {
    pub fn title(self) -> Words {
        match self {
            FetchTarget::Server => Words::new("Dev server (/api/delay)", "开发服务器（/api/delay）"),
            FetchTarget::ServiceWorker => {
                Words::new("Service worker (simulated server)", "Service Worker（模拟服务器）")
            }
            FetchTarget::Preset => {
                Words::new("The notes' twelve sites (modelled)", "笔记中的十二个网站（模拟）")
            }
            FetchTarget::Urls => Words::new("Addresses you type", "你输入的地址"),
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
    /// What the page calls it besides its index: a site, an address, or nothing.
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
            .map(|_| PlannedRequest {
                // Told apart by their index: the page shows `#3`.
                label: String::new(),
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

    /// The class's stable name, as tests, exports and the notes' `Counter` use it.
    pub fn name(self) -> String {
        match self {
            StatusClass::Ok => "ok".to_string(),
            StatusClass::Http(status) => format!("http {status}"),
            StatusClass::NetworkOrCors => "network/CORS".to_string(),
            StatusClass::Timeout => "timeout".to_string(),
            StatusClass::Cancelled => "cancelled".to_string(),
        }
    }

    /// The class as the page shows it.
    pub fn label(self, lang: Lang) -> String {
        match (self, lang) {
            (_, Lang::En) => self.name(),
            (StatusClass::Ok, Lang::ZhCn) => "成功".to_string(),
            (StatusClass::Http(status), Lang::ZhCn) => format!("状态码 {status}"),
            (StatusClass::NetworkOrCors, Lang::ZhCn) => "网络或 CORS 错误".to_string(),
            (StatusClass::Timeout, Lang::ZhCn) => "超时".to_string(),
            (StatusClass::Cancelled, Lang::ZhCn) => "已取消".to_string(),
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

pub use crate::browser::connections::HTTP1_CONNECTIONS_PER_HOST;

/// The best makespan for `delays_ms` when at most `slots` run at once and
/// each takes its delay: list scheduling in order (what a FIFO of requests
/// over `slots` connections achieves with no overhead).
pub fn ideal_makespan_ms(delays_ms: &[f64], slots: u32) -> f64 {
    crate::records::run_stats::ideal_makespan_ms(delays_ms, slots)
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

pub use crate::records::slots::Slots;

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
