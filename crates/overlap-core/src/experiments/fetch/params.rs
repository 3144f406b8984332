//! The I/O experiment's parameters and their codec.

use std::ops::RangeInclusive;

use strum::{IntoStaticStr, VariantArray};

use crate::address::experiment::{Card, ExperimentParams};
use crate::address::problem::{QueryProblem, choice, number_in, used_number};
use crate::address::query_value::QueryValue;
use crate::experiments::fetch::{FetchMode, FetchTarget};
use crate::lang::Words;

pub const TARGET_KEY: &str = "target";
pub const SERVED_BY_KEY: &str = "served_by";
pub const MODE_KEY: &str = "mode";
pub const WORKERS_KEY: &str = "workers";
pub const N_KEY: &str = "n";
pub const LATENCY_KEY: &str = "latency_ms";
pub const STATUS_KEY: &str = "status";
pub const TIMEOUT_KEY: &str = "timeout_ms";
pub const CAPACITY_KEY: &str = "capacity";
pub const ORDER_KEY: &str = "order";
pub const URLS_KEY: &str = "urls";

pub const FETCH_WORKERS_RANGE: RangeInclusive<u32> = 1..=256;
pub const N_RANGE: RangeInclusive<u32> = 1..=1000;
pub const LATENCY_RANGE: RangeInclusive<u32> = 0..=30_000;
pub const STATUS_RANGE: RangeInclusive<u32> = 200..=599;
pub const TIMEOUT_RANGE: RangeInclusive<u32> = 1..=60_000;
pub const CAPACITY_RANGE: RangeInclusive<u32> = 1..=1000;

/// The order in which a fetch run lists its results.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, VariantArray, IntoStaticStr)]
#[strum(serialize_all = "lowercase")]
pub enum ResultOrder {
    /// `as_completed`: each result as soon as it arrives.
    #[default]
    Completed,
    /// `map`: result i only once results 0..i are in.
    Submitted,
}

impl ResultOrder {
    pub fn title(self) -> Words {
        match self {
            ResultOrder::Completed => Words::new("As completed (as_completed)", "按完成顺序（as_completed）"),
            ResultOrder::Submitted => Words::new("In submission order (map)", "按提交顺序（map）"),
        }
    }
}

/// Who answers the latency requests of the preset.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, VariantArray, IntoStaticStr)]
pub enum ServedBy {
    #[default]
    #[strum(serialize = "server")]
    Server,
    #[strum(serialize = "sw")]
    ServiceWorker,
}

impl ServedBy {
    pub fn title(self) -> Words {
        match self {
            ServedBy::Server => Words::new("Dev server", "开发服务器"),
            ServedBy::ServiceWorker => Words::new("Service worker", "Service Worker"),
        }
    }
}

/// The fetch experiment's parameters; `None` means the default.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct FetchParams {
    pub target: FetchTarget,
    pub served_by: ServedBy,
    pub mode: FetchMode,
    pub workers: Option<u32>,
    pub n: Option<u32>,
    pub latency_ms: Option<u32>,
    pub status: Option<u32>,
    pub timeout_ms: Option<u32>,
    pub capacity: Option<u32>,
    pub order: ResultOrder,
    /// The addresses typed for `target=urls`, one per line, as typed: the
    /// page checks them against its own origin (`typed_urls`).
    pub urls: String,
}

impl FetchParams {
    pub fn workers_or_default(&self) -> u32 {
        self.workers.unwrap_or(6)
    }
    pub fn n_or_default(&self) -> u32 {
        self.n.unwrap_or(12)
    }
    pub fn latency_or_default(&self) -> u32 {
        self.latency_ms.unwrap_or(100)
    }
    pub fn status_or_default(&self) -> u32 {
        self.status.unwrap_or(200)
    }
    pub fn timeout_or_default(&self) -> u32 {
        self.timeout_ms.unwrap_or(10_000)
    }
    pub fn capacity_or_default(&self) -> u32 {
        self.capacity.unwrap_or(6)
    }

    /// Whether the service worker answers this run's requests.
    pub fn uses_service_worker(&self) -> bool {
        self.target == FetchTarget::ServiceWorker
            || (self.target == FetchTarget::Preset && self.served_by == ServedBy::ServiceWorker)
    }
}

impl ExperimentParams for FetchParams {
    const KEY: &'static str = "fetch";
    const KEYS: &'static [&'static str] = &[
        TARGET_KEY,
        SERVED_BY_KEY,
        MODE_KEY,
        WORKERS_KEY,
        N_KEY,
        LATENCY_KEY,
        STATUS_KEY,
        TIMEOUT_KEY,
        CAPACITY_KEY,
        ORDER_KEY,
        URLS_KEY,
    ];

    fn apply(&mut self, key: &'static str, value: &str) -> Result<(), QueryProblem> {
        let defaults = FetchParams::default();
        let number =
            |range: RangeInclusive<u32>, default: u32| number_in(key, value, range, used_number(default));
        match key {
            TARGET_KEY => self.target = choice(key, value, FetchTarget::default())?,
            SERVED_BY_KEY => self.served_by = choice(key, value, ServedBy::default())?,
            MODE_KEY => self.mode = choice(key, value, FetchMode::default())?,
            ORDER_KEY => self.order = choice(key, value, ResultOrder::default())?,
            WORKERS_KEY => self.workers = Some(number(FETCH_WORKERS_RANGE, defaults.workers_or_default())?),
            N_KEY => self.n = Some(number(N_RANGE, defaults.n_or_default())?),
            LATENCY_KEY => self.latency_ms = Some(number(LATENCY_RANGE, defaults.latency_or_default())?),
            STATUS_KEY => self.status = Some(number(STATUS_RANGE, defaults.status_or_default())?),
            TIMEOUT_KEY => self.timeout_ms = Some(number(TIMEOUT_RANGE, defaults.timeout_or_default())?),
            CAPACITY_KEY => self.capacity = Some(number(CAPACITY_RANGE, defaults.capacity_or_default())?),
            URLS_KEY => self.urls = value.to_string(),
            _ => {}
        }
        Ok(())
    }

    fn encode(&self, pairs: &mut Vec<(&'static str, String)>) {
        pairs.push((TARGET_KEY, self.target.text().to_string()));
        if self.target == FetchTarget::Preset {
            pairs.push((SERVED_BY_KEY, self.served_by.text().to_string()));
        }
        pairs.push((MODE_KEY, self.mode.text().to_string()));
        pairs.push((ORDER_KEY, self.order.text().to_string()));
        let optional = [
            (WORKERS_KEY, self.workers),
            (N_KEY, self.n),
            (LATENCY_KEY, self.latency_ms),
            (STATUS_KEY, self.status),
            (TIMEOUT_KEY, self.timeout_ms),
            (CAPACITY_KEY, self.capacity),
        ];
        pairs.extend(
            optional.into_iter().filter_map(|(key, value)| value.map(|value| (key, value.to_string()))),
        );
        if self.target == FetchTarget::Urls && !self.urls.is_empty() {
            pairs.push((URLS_KEY, self.urls.clone()));
        }
    }

    fn card() -> Option<Card<Self>> {
        Some(Card {
            title: Words::new("Many requests", "大量请求"),
            summary: Words::new(
                "Real fetch() requests one after another, all at once, through a pool of k, or from isolated \
                 workers, against a server that waits.",
                "真实的 fetch() 请求：一个接一个、全部同时、通过大小为 k 的池，或从隔离工作者发出，请求的服务器会故意等待。",
            ),
            lesson: Words::new(
                "Waiting overlaps on one thread: I/O-bound work needs concurrency, not more cores.",
                "等待可以在一个线程上重叠：I/O 密集型任务需要的是并发，而不是更多核心。",
            ),
            idea: Words::new(
                "I/O-bound tasks, asyncio.gather and ThreadPoolExecutor downloads",
                "I/O 密集型任务、asyncio.gather 与 ThreadPoolExecutor 下载",
            ),
            step: 20,
            ready: FetchParams { mode: FetchMode::Gather, ..FetchParams::default() },
        })
    }
}
