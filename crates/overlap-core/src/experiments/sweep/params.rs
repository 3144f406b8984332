//! The sweep's parameters and their codec: what is swept (CPU tasks or
//! requests), that work's own parameters, the list of worker counts and how
//! often each is measured.

use std::ops::RangeInclusive;

use strum::{IntoStaticStr, VariantArray};

use crate::address::experiment::{Card, ExperimentParams};
use crate::address::problem::{Expected, QueryProblem, Used, choice, number_in, used_number};
use crate::address::query_value::QueryValue;
use crate::browser::connections::HTTP1_CONNECTIONS_PER_HOST;
use crate::browser::pool_state::MAX_POOL_THREADS;
use crate::lang::{Lang, Said, Words};
use crate::workloads::cpu::Workload;

pub const OF_KEY: &str = "of";
pub const WORKLOAD_KEY: &str = "workload";
pub const SIZE_KEY: &str = "size";
pub const TASKS_KEY: &str = "tasks";
pub const TARGET_KEY: &str = "target";
pub const LATENCY_KEY: &str = "latency_ms";
pub const N_KEY: &str = "n";
pub const KS_KEY: &str = "ks";
pub const REPEAT_KEY: &str = "repeat";

pub const LATENCY_RANGE: RangeInclusive<u32> = 0..=5_000;
pub const N_RANGE: RangeInclusive<u32> = 1..=1_000;
pub const REPEAT_RANGE: RangeInclusive<u32> = 1..=9;
/// Requests need no pool thread: a sweep may ask for many more in flight
/// than any machine has cores (the notes go to 40).
pub const REQUEST_WORKERS_RANGE: RangeInclusive<u32> = 1..=256;
/// The most worker counts one sweep measures.
pub const MAX_KS: usize = 16;
/// The notes' list for requests, past the browser's six connections.
pub const DEFAULT_REQUEST_KS: [u32; 8] = [1, 2, 4, 6, 8, 12, 20, 40];

/// What a sweep measures.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, VariantArray, IntoStaticStr)]
#[strum(serialize_all = "lowercase")]
pub enum SweepOf {
    /// CPU tasks on k pool threads (the CPU experiment's threads mode).
    #[default]
    Cpu,
    /// Requests with at most k in flight (the fetch experiment's pool of k).
    Fetch,
}

impl SweepOf {
    pub fn title(self) -> Words {
        match self {
            SweepOf::Cpu => Words::new("CPU tasks on k threads", "k 个线程上的 CPU 任务"),
            SweepOf::Fetch => Words::new("Requests, k at a time", "请求，每次最多 k 个"),
        }
    }

    /// The worker counts this work can be swept over.
    pub fn k_range(self) -> RangeInclusive<u32> {
        match self {
            SweepOf::Cpu => 1..=MAX_POOL_THREADS as u32,
            SweepOf::Fetch => REQUEST_WORKERS_RANGE,
        }
    }

    /// What `k` counts, in a few words.
    pub fn k_means(self) -> Words {
        match self {
            SweepOf::Cpu => Words::new("pool threads", "线程池中的线程"),
            SweepOf::Fetch => Words::new("requests in flight at once", "同时进行的请求"),
        }
    }
}

/// Who answers a request sweep.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, VariantArray, IntoStaticStr)]
pub enum SweepTarget {
    /// The dev server's `/api/delay`.
    #[default]
    #[strum(serialize = "server")]
    Server,
    /// The service worker's simulated server (static hosts, offline).
    #[strum(serialize = "sw")]
    ServiceWorker,
}

impl SweepTarget {
    pub fn title(self) -> Words {
        match self {
            SweepTarget::Server => Words::new("Dev server", "开发服务器"),
            SweepTarget::ServiceWorker => Words::new("Service worker", "Service Worker"),
        }
    }
}

/// The sweep's parameters; `None` means the default (for `ks`: every k up
/// to the pool for CPU, the notes' list for requests).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SweepParams {
    pub of: SweepOf,
    pub workload: Workload,
    pub size: Option<u32>,
    pub tasks: Option<u32>,
    pub target: SweepTarget,
    pub latency_ms: u32,
    pub n: u32,
    /// Ascending, distinct, starting at 1.
    pub ks: Option<Vec<u32>>,
    pub repeat: u32,
}

impl Default for SweepParams {
    fn default() -> Self {
        SweepParams {
            of: SweepOf::Cpu,
            workload: Workload::Primes,
            size: None,
            tasks: None,
            target: SweepTarget::Server,
            latency_ms: 100,
            n: 24,
            ks: None,
            repeat: 3,
        }
    }
}

impl SweepParams {
    pub fn size_or_default(&self) -> u32 {
        self.size.unwrap_or(self.workload.bounds().default_size)
    }

    pub fn tasks_or_default(&self) -> u32 {
        self.tasks.unwrap_or(self.workload.bounds().default_tasks)
    }

    /// The worker counts to measure, on a page whose pool has `pool_threads`.
    pub fn ks_or_default(&self, pool_threads: u32) -> Vec<u32> {
        match (&self.ks, self.of) {
            (Some(ks), _) => ks.clone(),
            (None, SweepOf::Cpu) => (1..=pool_threads.max(1)).collect(),
            (None, SweepOf::Fetch) => DEFAULT_REQUEST_KS.to_vec(),
        }
    }

    /// How many runs the sweep makes (warm-ups not counted).
    pub fn runs(&self, pool_threads: u32) -> usize {
        self.ks_or_default(pool_threads).len() * self.repeat as usize
    }

    /// The keys that mean something for what is swept.
    pub fn shown_keys(&self) -> &'static [&'static str] {
        match self.of {
            SweepOf::Cpu => &[WORKLOAD_KEY, SIZE_KEY, TASKS_KEY],
            SweepOf::Fetch => &[TARGET_KEY, LATENCY_KEY, N_KEY],
        }
    }

    /// What every run of the sweep does, as a key: runs with equal keys compare.
    pub fn work(&self) -> String {
        match self.of {
            SweepOf::Cpu => format!(
                "{} size={} tasks={}",
                self.workload.text(),
                self.size_or_default(),
                self.tasks_or_default()
            ),
            SweepOf::Fetch => {
                format!("{} latency_ms={} n={}", self.target.text(), self.latency_ms, self.n)
            }
        }
    }

    /// How many requests the browser keeps in flight to the server: six
    /// connections per host over the network; the service worker answers
    /// without one. `None` for CPU work.
    pub fn connections(&self) -> Option<u32> {
        (self.of == SweepOf::Fetch && self.target == SweepTarget::Server)
            .then_some(HTTP1_CONNECTIONS_PER_HOST)
    }

    /// A lane's name: a pool thread, or one of the k slots for requests.
    pub fn lane_name(&self, lane: u32, lang: Lang) -> String {
        let name = match self.of {
            SweepOf::Cpu => Words::new("thread", "线程"),
            SweepOf::Fetch => Words::new("slot", "槽位"),
        };
        format!("{} {}", name.get(lang), lane + 1)
    }

    /// "k = 4, run 2 of 3".
    pub fn run_title(&self, k: u32, repetition: u32, lang: Lang) -> String {
        let repeat = self.repeat;
        let what = self.of.k_means().get(lang);
        match lang {
            Lang::En => format!("k = {k} ({what}), run {} of {repeat}", repetition + 1),
            Lang::ZhCn => format!("k = {k}（{what}），第 {}/{repeat} 次", repetition + 1),
        }
    }
}

/// Reads `ks`: whole numbers in `range`, separated by commas, including 1.
/// Returns them ascending and distinct.
pub fn parse_ks(value: &str, range: RangeInclusive<u32>) -> Result<Vec<u32>, Said> {
    let (min, max) = (*range.start(), *range.end());
    let mut ks = Vec::new();
    for part in value.split(',').map(str::trim) {
        let k = part.parse::<u32>().ok().filter(|k| {
            range.contains(k) && !part.is_empty() && part.bytes().all(|byte| byte.is_ascii_digit())
        });
        match k {
            Some(k) => ks.push(k),
            None if part.is_empty() => {
                return Err(Said::new(
                    format!(
                        "ks must be whole numbers from {min} to {max} separated by commas, none left empty"
                    ),
                    format!("`ks` 应为以逗号分隔的 {min} 到 {max} 之间的整数，不能有空项"),
                ));
            }
            None => {
                return Err(Said::new(
                    format!(
                        "ks must be whole numbers from {min} to {max} separated by commas; `{part}` is not"
                    ),
                    format!("`ks` 应为以逗号分隔的 {min} 到 {max} 之间的整数；`{part}` 不是"),
                ));
            }
        }
    }
    ks.sort_unstable();
    ks.dedup();
    if ks.first() != Some(&1) {
        return Err(Said::new(
            "ks must include 1: the speedup of k workers is the time with 1 divided by the time with k",
            "`ks` 必须包含 1：k 个工作线程的加速比是 1 个时的耗时除以 k 个时的耗时",
        ));
    }
    if ks.len() > MAX_KS {
        return Err(Said::new(
            format!("ks may list at most {MAX_KS} worker counts"),
            format!("`ks` 最多列出 {MAX_KS} 个数"),
        ));
    }
    Ok(ks)
}

/// The order runs are made in, as (k, round): every k once per round,
/// `repeat` rounds, so that slow drift on a shared machine biases no k.
pub fn schedule(ks: &[u32], repeat: u32) -> Vec<(u32, u32)> {
    (0..repeat).flat_map(|repetition| ks.iter().map(move |&k| (k, repetition))).collect()
}

/// `1,2,4`: how the address writes a list of worker counts.
pub fn ks_text(ks: &[u32]) -> String {
    ks.iter().map(u32::to_string).collect::<Vec<_>>().join(",")
}

const DEFAULT_KS: Words = Words::new(
    "the default list (every k up to the pool for CPU, 1,2,4,6,8,12,20,40 for requests)",
    "默认列表（CPU 为 1 到线程池大小的每个 k，请求为 1,2,4,6,8,12,20,40）",
);

impl ExperimentParams for SweepParams {
    const KEY: &'static str = "sweep";
    const KEYS: &'static [&'static str] =
        &[OF_KEY, WORKLOAD_KEY, SIZE_KEY, TASKS_KEY, TARGET_KEY, LATENCY_KEY, N_KEY, KS_KEY, REPEAT_KEY];
    const FIRST_KEYS: &'static [&'static str] = &[OF_KEY, WORKLOAD_KEY];

    fn apply(&mut self, key: &'static str, value: &str) -> Result<(), QueryProblem> {
        let defaults = SweepParams::default();
        let bounds = self.workload.bounds();
        let left_out = |owner: &'static str| QueryProblem::BadValue {
            key,
            value: value.to_string(),
            expected: Expected::LeftOut { owner },
            used: Used::Described(Words::new("nothing", "不使用")),
        };
        let of_cpu = self.of == SweepOf::Cpu;
        match key {
            OF_KEY => {
                self.of = choice(key, value, SweepOf::default())?;
                // A list of k for requests may not fit threads, and back.
                self.ks = None;
            }
            WORKLOAD_KEY | SIZE_KEY | TASKS_KEY if !of_cpu => return Err(left_out("of=fetch")),
            TARGET_KEY | LATENCY_KEY | N_KEY if of_cpu => return Err(left_out("of=cpu")),
            WORKLOAD_KEY => {
                self.workload = choice(key, value, defaults.workload)?;
                self.size = None;
                self.tasks = None;
            }
            SIZE_KEY if bounds.size_meaning.is_none() => return Err(left_out(self.workload.text())),
            SIZE_KEY => {
                self.size = Some(number_in(key, value, bounds.size, used_number(bounds.default_size))?)
            }
            TASKS_KEY => {
                self.tasks = Some(number_in(key, value, bounds.tasks, used_number(bounds.default_tasks))?)
            }
            TARGET_KEY => self.target = choice(key, value, SweepTarget::default())?,
            LATENCY_KEY => {
                self.latency_ms = number_in(key, value, LATENCY_RANGE, used_number(defaults.latency_ms))?
            }
            N_KEY => self.n = number_in(key, value, N_RANGE, used_number(defaults.n))?,
            KS_KEY => {
                self.ks = Some(parse_ks(value, self.of.k_range()).map_err(|rule| QueryProblem::BadValue {
                    key,
                    value: value.to_string(),
                    expected: Expected::Rule(rule),
                    used: Used::Described(DEFAULT_KS),
                })?)
            }
            REPEAT_KEY => self.repeat = number_in(key, value, REPEAT_RANGE, used_number(defaults.repeat))?,
            _ => {}
        }
        Ok(())
    }

    fn encode(&self, pairs: &mut Vec<(&'static str, String)>) {
        pairs.push((OF_KEY, self.of.text().to_string()));
        match self.of {
            SweepOf::Cpu => {
                pairs.push((WORKLOAD_KEY, self.workload.text().to_string()));
                let optional = [(SIZE_KEY, self.size), (TASKS_KEY, self.tasks)];
                pairs.extend(
                    optional
                        .into_iter()
                        .filter_map(|(key, value)| value.map(|value| (key, value.to_string()))),
                );
            }
            SweepOf::Fetch => {
                pairs.push((TARGET_KEY, self.target.text().to_string()));
                pairs.push((LATENCY_KEY, self.latency_ms.to_string()));
                pairs.push((N_KEY, self.n.to_string()));
            }
        }
        if let Some(ks) = &self.ks {
            pairs.push((KS_KEY, ks_text(ks)));
        }
        pairs.push((REPEAT_KEY, self.repeat.to_string()));
    }

    fn fields_reset_by(key: &str) -> &'static [&'static str] {
        match key {
            OF_KEY => &[KS_KEY],
            WORKLOAD_KEY => &[SIZE_KEY, TASKS_KEY],
            _ => &[],
        }
    }

    fn card() -> Option<Card<Self>> {
        Some(Card {
            title: Words::new("Scaling sweeps", "扩展性扫描"),
            summary: Words::new(
                "The same job timed with 1, 2, 4 … workers, each several times: speedup against k with the \
                 ideal, the ceiling, an Amdahl fit and the Karp–Flatt metric, for CPU tasks and for requests.",
                "同一个任务分别用 1、2、4……个工作线程各计时多次：加速比随 k 的变化，以及理想线、理论上限、阿姆达尔定律拟合和 Karp–Flatt 指标，CPU 任务和请求都可以扫描。",
            ),
            lesson: Words::new(
                "More workers help until something runs out: cores for computing, connections for requests.",
                "增加工作线程只在资源耗尽之前有效：计算受限于核心数，请求受限于连接数。",
            ),
            idea: Words::new(
                "Timing 1, 4, 8, 20 and 40 threads; sizing a pool: threads = cores / (1 − blocking fraction)",
                "用 1、4、8、20、40 个线程计时；线程池大小：线程数 = 核心数 / (1 − 阻塞比例)",
            ),
            step: 50,
            ready: SweepParams { ks: None, ..SweepParams::default() },
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use expect_test::expect;

    #[test]
    fn lists_of_k_are_read_sorted_and_distinct_or_refused_with_the_rule() {
        let cases = [
            "1,2,4",
            "4, 2,1,2",
            "1,4,8,20,40",
            "2,4",
            "1,,2",
            "1,x",
            "1,17",
            "1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16",
        ];
        let read: Vec<String> = cases
            .iter()
            .map(|case| match parse_ks(case, SweepOf::Cpu.k_range()) {
                Ok(ks) => format!("{case:?} -> {}", ks_text(&ks)),
                Err(said) => format!("{case:?} -> {} | {}", said.get(Lang::En), said.get(Lang::ZhCn)),
            })
            .collect();
        expect![[r#"
            "1,2,4" -> 1,2,4
            "4, 2,1,2" -> 1,2,4
            "1,4,8,20,40" -> ks must be whole numbers from 1 to 16 separated by commas; `20` is not | `ks` 应为以逗号分隔的 1 到 16 之间的整数；`20` 不是
            "2,4" -> ks must include 1: the speedup of k workers is the time with 1 divided by the time with k | `ks` 必须包含 1：k 个工作线程的加速比是 1 个时的耗时除以 k 个时的耗时
            "1,,2" -> ks must be whole numbers from 1 to 16 separated by commas, none left empty | `ks` 应为以逗号分隔的 1 到 16 之间的整数，不能有空项
            "1,x" -> ks must be whole numbers from 1 to 16 separated by commas; `x` is not | `ks` 应为以逗号分隔的 1 到 16 之间的整数；`x` 不是
            "1,17" -> ks must be whole numbers from 1 to 16 separated by commas; `17` is not | `ks` 应为以逗号分隔的 1 到 16 之间的整数；`17` 不是
            "1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16" -> 1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16"#]].assert_eq(&read.join("\n"));
    }

    #[test]
    fn rounds_interleave_every_k() {
        assert_eq!(schedule(&[1, 2, 4], 2), vec![(1, 0), (2, 0), (4, 0), (1, 1), (2, 1), (4, 1)]);
    }

    #[test]
    fn requests_go_past_the_pool_and_cpu_does_not() {
        assert_eq!(parse_ks("1,40", SweepOf::Fetch.k_range()), Ok(vec![1, 40]));
        assert!(parse_ks("1,40", SweepOf::Cpu.k_range()).is_err());
        let params = SweepParams::default();
        assert_eq!(params.ks_or_default(2), vec![1, 2]);
        let requests = SweepParams { of: SweepOf::Fetch, ..SweepParams::default() };
        assert_eq!(requests.ks_or_default(2), DEFAULT_REQUEST_KS.to_vec());
        assert_eq!(requests.runs(2), 24);
    }
}
