//! The load test's parameters and their codec: the load model (closed:
//! `users` each sending the next request when the last returns; open:
//! `rate` requests a second on schedule), when a run stops, the target and
//! what each request asks of it.

use std::ops::RangeInclusive;

use strum::{IntoStaticStr, VariantArray};

use crate::address::experiment::{Card, ExperimentParams};
use crate::address::problem::{Expected, QueryProblem, Used, choice, number_in, used_number};
use crate::address::query_value::QueryValue;
use crate::address::share::{parse_share, share_text};
use crate::lang::{Lang, Said, Words};

pub const MODEL_KEY: &str = "model";
pub const USERS_KEY: &str = "users";
pub const RATE_KEY: &str = "rate";
pub const REQUESTS_KEY: &str = "requests";
pub const DURATION_KEY: &str = "duration_s";
pub const TARGET_KEY: &str = "target";
pub const CPU_KEY: &str = "cpu_ms";
pub const BYTES_KEY: &str = "bytes";
pub const FAIL_KEY: &str = "fail";
pub const SEED_KEY: &str = "seed";
pub const LATENCY_KEY: &str = "latency_ms";
pub const URL_KEY: &str = "url";
pub const METHOD_KEY: &str = "method";
pub const BODY_KEY: &str = "body_bytes";
pub const TIMEOUT_KEY: &str = "timeout_ms";

pub const USERS_RANGE: RangeInclusive<u32> = 1..=1_000;
pub const RATE_RANGE: RangeInclusive<u32> = 1..=2_000;
pub const REQUESTS_RANGE: RangeInclusive<u32> = 1..=100_000;
/// Five minutes: long enough that a run of many requests on a slow, shared
/// machine ends by its request bound, not by the clock.
pub const DURATION_RANGE: RangeInclusive<u32> = 1..=300;
/// The endpoint's own bounds (`/api/work`).
pub const CPU_RANGE: RangeInclusive<u32> = 0..=1_000;
pub const BYTES_RANGE: RangeInclusive<u32> = 0..=1_048_576;
pub const SEED_RANGE: RangeInclusive<u32> = 0..=u32::MAX;
pub const LATENCY_RANGE: RangeInclusive<u32> = 0..=5_000;
pub const BODY_RANGE: RangeInclusive<u32> = 0..=1_048_576;
pub const TIMEOUT_RANGE: RangeInclusive<u32> = 1..=60_000;
/// `fail` is a share written with at most this many decimals.
const FAIL_DECIMALS: usize = 3;
/// `fail` is kept in thousandths: 0.25 is 250.
pub const FAIL_SCALE: u32 = 1_000;

/// How the load is offered.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, VariantArray, IntoStaticStr)]
#[strum(serialize_all = "lowercase")]
pub enum LoadModel {
    /// c users, each sending its next request when its last returns: the
    /// load slows down with the server (the notes' 100 concurrent POSTs).
    #[default]
    Closed,
    /// Requests sent on schedule, whether or not answers came back.
    Open,
}

impl LoadModel {
    pub fn title(self) -> Words {
        match self {
            LoadModel::Closed => Words::new("Closed: c users", "封闭模型：c 个用户"),
            LoadModel::Open => Words::new("Open: a rate per second", "开放模型：每秒固定速率"),
        }
    }

    /// The other model: what Compare runs against the same server.
    pub fn other(self) -> LoadModel {
        match self {
            LoadModel::Closed => LoadModel::Open,
            LoadModel::Open => LoadModel::Closed,
        }
    }
}

/// Who answers.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, VariantArray, IntoStaticStr)]
#[strum(serialize_all = "lowercase")]
pub enum LoadTarget {
    /// The dev server's `/api/work`: real CPU work on a few server workers
    /// behind a bounded queue.
    #[default]
    Work,
    /// The dev server's `/api/delay`: a wait, no capacity limit.
    Delay,
    /// The service worker's simulated `/api/work` (static hosts, offline).
    Sw,
    /// An address the user types.
    Urls,
}

impl LoadTarget {
    pub fn title(self) -> Words {
        match self {
            LoadTarget::Work => Words::new("Dev server: /api/work", "开发服务器：/api/work"),
            LoadTarget::Delay => Words::new("Dev server: /api/delay", "开发服务器：/api/delay"),
            LoadTarget::Sw => {
                Words::new("Service worker: simulated /api/work", "Service Worker：模拟的 /api/work")
            }
            LoadTarget::Urls => Words::new("An address you type", "自己输入的地址"),
        }
    }

    /// Whether requests pass `cpu_ms`, `bytes`, `fail` and `seed` on.
    pub fn takes_work(self) -> bool {
        matches!(self, LoadTarget::Work | LoadTarget::Sw)
    }

    /// Whether the browser reaches it over its six connections per host (the
    /// service worker answers without a connection).
    pub fn over_connections(self) -> bool {
        !matches!(self, LoadTarget::Sw)
    }
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, VariantArray, IntoStaticStr)]
pub enum LoadMethod {
    #[default]
    #[strum(serialize = "GET")]
    Get,
    #[strum(serialize = "POST")]
    Post,
}

impl LoadMethod {
    pub fn title(self) -> Words {
        match self {
            LoadMethod::Get => Words::new("GET", "GET"),
            LoadMethod::Post => Words::new("POST (with a body)", "POST（带请求体）"),
        }
    }
}

/// The load test's parameters.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LoadParams {
    pub model: LoadModel,
    pub users: u32,
    pub rate: u32,
    /// The run stops once this many requests have been sent…
    pub requests: u32,
    /// …or this many seconds have passed, whichever comes first.
    pub duration_s: u32,
    pub target: LoadTarget,
    pub cpu_ms: u32,
    pub bytes: u32,
    /// The share of requests the server answers 500, in thousandths.
    pub fail_thousandths: u32,
    pub seed: u32,
    pub latency_ms: u32,
    /// `target=urls`: the address as typed; the page checks it against its
    /// own origin before any request (`typed_urls`).
    pub url: String,
    pub method: LoadMethod,
    pub body_bytes: u32,
    pub timeout_ms: u32,
}

impl Default for LoadParams {
    fn default() -> Self {
        LoadParams {
            model: LoadModel::Closed,
            users: 100,
            rate: 200,
            requests: 500,
            duration_s: 30,
            target: LoadTarget::Work,
            cpu_ms: 5,
            bytes: 0,
            fail_thousandths: 0,
            seed: 1,
            latency_ms: 100,
            url: String::new(),
            method: LoadMethod::Post,
            body_bytes: 1_024,
            timeout_ms: 10_000,
        }
    }
}

/// `0.25`: a share in thousandths as the address writes it.
pub fn fail_text(thousandths: u32) -> String {
    share_text(thousandths, FAIL_DECIMALS)
}

/// Reads a share from 0 to 1 with at most three decimals (`0`, `1`,
/// `0.25`), in thousandths: the dev server's rule for `fail`.
pub fn parse_fail(value: &str) -> Result<u32, Said> {
    parse_share(value, FAIL_DECIMALS).ok_or_else(|| {
        Said::new(
            format!("fail must be a share from 0 to 1 with at most {FAIL_DECIMALS} decimals, such as 0.25"),
            format!("`fail` 应为 0 到 1 之间、最多 {FAIL_DECIMALS} 位小数的比例，例如 0.25"),
        )
    })
}

impl LoadParams {
    /// The share of requests asked to fail, from 0 to 1.
    pub fn fail_share(&self) -> f64 {
        f64::from(self.fail_thousandths) / f64::from(FAIL_SCALE)
    }

    /// The keys that mean something with these choices, in the form's order.
    pub fn shown_keys(&self) -> Vec<&'static str> {
        // Both loads: the model runs one, Compare runs the closed model with
        // the users and the open one at the rate.
        let mut keys = vec![MODEL_KEY, USERS_KEY, RATE_KEY, REQUESTS_KEY, DURATION_KEY, TARGET_KEY];
        match self.target {
            LoadTarget::Work | LoadTarget::Sw => keys.extend([CPU_KEY, BYTES_KEY, FAIL_KEY, SEED_KEY]),
            LoadTarget::Delay => keys.push(LATENCY_KEY),
            LoadTarget::Urls => keys.push(URL_KEY),
        }
        keys.push(METHOD_KEY);
        if self.method == LoadMethod::Post {
            keys.push(BODY_KEY);
        }
        keys.push(TIMEOUT_KEY);
        keys
    }

    /// The load offered, in a few words: "100 users" or "200 requests/s".
    pub fn load_text(&self, lang: Lang) -> String {
        match (self.model, lang) {
            (LoadModel::Closed, Lang::En) => format!("{} users", self.users),
            (LoadModel::Closed, Lang::ZhCn) => format!("{} 个用户", self.users),
            (LoadModel::Open, Lang::En) => format!("{} requests/s", self.rate),
            (LoadModel::Open, Lang::ZhCn) => format!("每秒 {} 个请求", self.rate),
        }
    }

    /// What every request asks of its server, as a key: runs with equal
    /// keys measured the same server doing the same work.
    pub fn work(&self) -> String {
        let what = match self.target {
            LoadTarget::Work | LoadTarget::Sw => format!(
                "{} cpu_ms={} bytes={} fail={} seed={}",
                self.target.text(),
                self.cpu_ms,
                self.bytes,
                fail_text(self.fail_thousandths),
                self.seed
            ),
            LoadTarget::Delay => format!("delay latency_ms={}", self.latency_ms),
            LoadTarget::Urls => format!("url={}", self.url),
        };
        match self.method {
            LoadMethod::Get => format!("GET {what}"),
            LoadMethod::Post => format!("POST body_bytes={} {what}", self.body_bytes),
        }
    }

    /// The address of request `index` (its number in the run), relative to
    /// the page for the project's own servers. `tag` makes it unique within
    /// the page's life, so no request is answered from a cache.
    pub fn request_url(&self, index: u32, tag: u32) -> String {
        let work = |path: &str| {
            format!(
                "./{path}?cpu_ms={}&bytes={}&fail={}&seed={}&i={index}",
                self.cpu_ms,
                self.bytes,
                fail_text(self.fail_thousandths),
                self.seed
            )
        };
        match self.target {
            LoadTarget::Work => work("api/work"),
            LoadTarget::Sw => work("sw-api/work"),
            LoadTarget::Delay => format!("./api/delay?ms={}&tag={}", self.latency_ms, tag % 1_000_000),
            LoadTarget::Urls => self.url.trim().to_string(),
        }
    }

    /// "Closed, 100 users → /api/work".
    pub fn title(&self, lang: Lang) -> String {
        let model = match (self.model, lang) {
            (LoadModel::Closed, Lang::En) => "Closed",
            (LoadModel::Closed, Lang::ZhCn) => "封闭模型",
            (LoadModel::Open, Lang::En) => "Open",
            (LoadModel::Open, Lang::ZhCn) => "开放模型",
        };
        let target = match self.target {
            LoadTarget::Work => "/api/work".to_string(),
            LoadTarget::Delay => "/api/delay".to_string(),
            LoadTarget::Sw => "sw-api/work".to_string(),
            LoadTarget::Urls => self.url.chars().take(40).collect(),
        };
        match lang {
            Lang::En => format!("{model}, {} → {target}", self.load_text(lang)),
            Lang::ZhCn => format!("{model}，{} → {target}", self.load_text(lang)),
        }
    }

    /// The load offered: users for the closed model, the rate for the open one.
    pub fn offered(&self) -> u32 {
        match self.model {
            LoadModel::Closed => self.users,
            LoadModel::Open => self.rate,
        }
    }

    /// The same load at `factor` times the users or rate, within bounds:
    /// one step of a load sweep.
    pub fn scaled(&self, factor: f64) -> LoadParams {
        let scale = |value: u32, range: RangeInclusive<u32>| {
            ((f64::from(value) * factor).round() as u32).clamp(*range.start(), *range.end())
        };
        LoadParams {
            users: scale(self.users, USERS_RANGE),
            rate: scale(self.rate, RATE_RANGE),
            ..self.clone()
        }
    }
}

/// The steps of a load sweep, as factors of the chosen load: from an
/// eighth of it to twice it, so that the knee shows on either side.
pub const SWEEP_FACTORS: [f64; 6] = [0.125, 0.25, 0.5, 1.0, 1.5, 2.0];

/// The loads a sweep offers, lowest first, without repeats (small loads
/// can round to the same count).
pub fn sweep_steps(params: &LoadParams) -> Vec<LoadParams> {
    let mut steps: Vec<LoadParams> = Vec::new();
    for factor in SWEEP_FACTORS {
        let step = params.scaled(factor);
        if steps.last().is_none_or(|last| last.offered() != step.offered()) {
            steps.push(step);
        }
    }
    steps
}

impl ExperimentParams for LoadParams {
    const KEY: &'static str = "load";
    const KEYS: &'static [&'static str] = &[
        MODEL_KEY,
        USERS_KEY,
        RATE_KEY,
        REQUESTS_KEY,
        DURATION_KEY,
        TARGET_KEY,
        CPU_KEY,
        BYTES_KEY,
        FAIL_KEY,
        SEED_KEY,
        LATENCY_KEY,
        URL_KEY,
        METHOD_KEY,
        BODY_KEY,
        TIMEOUT_KEY,
    ];
    const FIRST_KEYS: &'static [&'static str] = &[MODEL_KEY, TARGET_KEY, METHOD_KEY];

    fn apply(&mut self, key: &'static str, value: &str) -> Result<(), QueryProblem> {
        let defaults = LoadParams::default();
        let left_out = |owner: &'static str| QueryProblem::BadValue {
            key,
            value: value.to_string(),
            expected: Expected::LeftOut { owner },
            used: Used::Described(Words::new("nothing", "不使用")),
        };
        let number =
            |range: RangeInclusive<u32>, default: u32| number_in(key, value, range, used_number(default));
        let target = self.target;
        match key {
            MODEL_KEY => self.model = choice(key, value, defaults.model)?,
            TARGET_KEY => self.target = choice(key, value, defaults.target)?,
            METHOD_KEY => self.method = choice(key, value, defaults.method)?,
            CPU_KEY | BYTES_KEY | FAIL_KEY | SEED_KEY if !target.takes_work() => {
                return Err(left_out(target_owner(target)));
            }
            LATENCY_KEY if target != LoadTarget::Delay => return Err(left_out(target_owner(target))),
            URL_KEY if target != LoadTarget::Urls => return Err(left_out(target_owner(target))),
            BODY_KEY if self.method == LoadMethod::Get => return Err(left_out("method=GET")),
            USERS_KEY => self.users = number(USERS_RANGE, defaults.users)?,
            RATE_KEY => self.rate = number(RATE_RANGE, defaults.rate)?,
            REQUESTS_KEY => self.requests = number(REQUESTS_RANGE, defaults.requests)?,
            DURATION_KEY => self.duration_s = number(DURATION_RANGE, defaults.duration_s)?,
            CPU_KEY => self.cpu_ms = number(CPU_RANGE, defaults.cpu_ms)?,
            BYTES_KEY => self.bytes = number(BYTES_RANGE, defaults.bytes)?,
            SEED_KEY => self.seed = number(SEED_RANGE, defaults.seed)?,
            LATENCY_KEY => self.latency_ms = number(LATENCY_RANGE, defaults.latency_ms)?,
            BODY_KEY => self.body_bytes = number(BODY_RANGE, defaults.body_bytes)?,
            TIMEOUT_KEY => self.timeout_ms = number(TIMEOUT_RANGE, defaults.timeout_ms)?,
            FAIL_KEY => {
                self.fail_thousandths = parse_fail(value).map_err(|rule| QueryProblem::BadValue {
                    key,
                    value: value.to_string(),
                    expected: Expected::Rule(rule),
                    used: Used::Value(fail_text(defaults.fail_thousandths)),
                })?
            }
            URL_KEY => self.url = value.to_string(),
            _ => {}
        }
        Ok(())
    }

    fn encode(&self, pairs: &mut Vec<(&'static str, String)>) {
        for key in self.shown_keys() {
            let value = match key {
                MODEL_KEY => self.model.text().to_string(),
                USERS_KEY => self.users.to_string(),
                RATE_KEY => self.rate.to_string(),
                REQUESTS_KEY => self.requests.to_string(),
                DURATION_KEY => self.duration_s.to_string(),
                TARGET_KEY => self.target.text().to_string(),
                CPU_KEY => self.cpu_ms.to_string(),
                BYTES_KEY => self.bytes.to_string(),
                FAIL_KEY => fail_text(self.fail_thousandths),
                SEED_KEY => self.seed.to_string(),
                LATENCY_KEY => self.latency_ms.to_string(),
                URL_KEY if self.url.is_empty() => continue,
                URL_KEY => self.url.clone(),
                METHOD_KEY => self.method.text().to_string(),
                BODY_KEY => self.body_bytes.to_string(),
                TIMEOUT_KEY => self.timeout_ms.to_string(),
                _ => continue,
            };
            pairs.push((key, value));
        }
    }

    fn card() -> Option<Card<Self>> {
        Some(Card {
            title: Words::new("Load test", "压力测试"),
            summary: Words::new(
                "Closed or open load against a server whose capacity is real: requests per second, in flight, \
                 a latency histogram with its percentiles, status codes and errors, as load testers report them.",
                "对容量真实有限的服务器施加封闭或开放负载：每秒请求数、进行中的请求、延迟直方图及其百分位数、状态码与错误，按压力测试工具的方式报告。",
            ),
            lesson: Words::new(
                "Past a server's capacity, latency climbs while throughput stays put; a closed test slows down \
                 with the server and hides it.",
                "超过服务器容量后，吞吐量不再上升而延迟不断增长；封闭模型的测试会随服务器一起变慢，从而掩盖这一点。",
            ),
            idea: Words::new(
                "100 concurrent POSTs to an inference server: average latency and maximum minus average",
                "向推理服务器并发发送 100 个 POST：平均延迟，以及最大值减平均值",
            ),
            step: 55,
            ready: LoadParams::default(),
        })
    }
}

fn target_owner(target: LoadTarget) -> &'static str {
    match target {
        LoadTarget::Work => "target=work",
        LoadTarget::Delay => "target=delay",
        LoadTarget::Sw => "target=sw",
        LoadTarget::Urls => "target=urls",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use expect_test::expect;

    #[test]
    fn shares_are_read_in_thousandths_or_refused_with_the_rule() {
        let cases =
            ["0", "1", "0.25", ".5", "0.125", "1.0", "1.001", "0.1234", "2", "-0.1", "", ".", "0,5", "01"];
        let read: Vec<String> = cases
            .iter()
            .map(|case| match parse_fail(case) {
                Ok(thousandths) => format!("{case:?} -> {thousandths} ({})", fail_text(thousandths)),
                Err(said) => format!("{case:?} -> {} | {}", said.get(Lang::En), said.get(Lang::ZhCn)),
            })
            .collect();
        expect![[r#"
            "0" -> 0 (0)
            "1" -> 1000 (1)
            "0.25" -> 250 (0.25)
            ".5" -> fail must be a share from 0 to 1 with at most 3 decimals, such as 0.25 | `fail` 应为 0 到 1 之间、最多 3 位小数的比例，例如 0.25
            "0.125" -> 125 (0.125)
            "1.0" -> 1000 (1)
            "1.001" -> fail must be a share from 0 to 1 with at most 3 decimals, such as 0.25 | `fail` 应为 0 到 1 之间、最多 3 位小数的比例，例如 0.25
            "0.1234" -> fail must be a share from 0 to 1 with at most 3 decimals, such as 0.25 | `fail` 应为 0 到 1 之间、最多 3 位小数的比例，例如 0.25
            "2" -> fail must be a share from 0 to 1 with at most 3 decimals, such as 0.25 | `fail` 应为 0 到 1 之间、最多 3 位小数的比例，例如 0.25
            "-0.1" -> fail must be a share from 0 to 1 with at most 3 decimals, such as 0.25 | `fail` 应为 0 到 1 之间、最多 3 位小数的比例，例如 0.25
            "" -> fail must be a share from 0 to 1 with at most 3 decimals, such as 0.25 | `fail` 应为 0 到 1 之间、最多 3 位小数的比例，例如 0.25
            "." -> fail must be a share from 0 to 1 with at most 3 decimals, such as 0.25 | `fail` 应为 0 到 1 之间、最多 3 位小数的比例，例如 0.25
            "0,5" -> fail must be a share from 0 to 1 with at most 3 decimals, such as 0.25 | `fail` 应为 0 到 1 之间、最多 3 位小数的比例，例如 0.25
            "01" -> 1000 (1)"#]]
        .assert_eq(&read.join("\n"));
    }

    #[test]
    fn request_addresses_pass_the_work_on() {
        let params = LoadParams { fail_thousandths: 250, seed: 7, ..LoadParams::default() };
        assert_eq!(params.request_url(3, 9), "./api/work?cpu_ms=5&bytes=0&fail=0.25&seed=7&i=3");
        let delay = LoadParams { target: LoadTarget::Delay, latency_ms: 40, ..LoadParams::default() };
        assert_eq!(delay.request_url(3, 1_000_009), "./api/delay?ms=40&tag=9");
    }

    #[test]
    fn a_sweep_steps_from_an_eighth_to_twice_the_load_without_repeats() {
        let params = LoadParams { users: 8, ..LoadParams::default() };
        let users: Vec<u32> = sweep_steps(&params).iter().map(|step| step.users).collect();
        assert_eq!(users, [1, 2, 4, 8, 12, 16]);
        let tiny = LoadParams { users: 1, ..LoadParams::default() };
        let users: Vec<u32> = sweep_steps(&tiny).iter().map(|step| step.users).collect();
        assert_eq!(users, [1, 2]);
        // The page keeps a whole sweep beside the runs before it.
        assert!(SWEEP_FACTORS.len() < crate::records::kept_runs::KEPT_RUNS);
    }
}
