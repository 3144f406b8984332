//! The page's state as it lives in the query string of the one page
//! (`?exp=...&...`): static hosts cannot rewrite paths, so there are no path
//! routes. This is the only place that reads or writes that query string;
//! what an experiment's own keys mean, its parameters say (`registry.rs`).
//!
//! Decoding never fails: a bad value falls back to its default and yields a
//! `QueryProblem` that the page shows next to what it concerns, keeping the
//! value the user typed in the message.

use crate::address::problem::{Expected, QueryProblem, Used, flag, number_in};
use crate::address::query_text::{join_pairs, parse_pairs};
use crate::address::query_value::QueryValue;
use crate::address::registry::Experiment;
use crate::browser::pool_state::POOL_THREADS_RANGE;
use crate::lang::{Lang, Said, Words};

pub const EXPERIMENT_KEY: &str = "exp";
pub const RUN_KEY: &str = "run";
pub const POOL_KEY: &str = "pool";
pub const LANG_KEY: &str = "lang";
pub const EMBED_KEY: &str = "embed";
pub const TRACE_KEY: &str = "trace";
/// Longer than any address a tutorial would write by hand.
const MAX_TRACE_ADDRESS_CHARS: usize = 2048;
pub const PREDICT_KEY: &str = "predict";

/// Everything the query string can say.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct PageState {
    pub experiment: Experiment,
    /// `run=1`: start the experiment as soon as the page can.
    pub run_on_load: bool,
    /// `pool=`: the thread pool's size, read once when the page loads (the
    /// pool cannot be resized); without it one thread per logical processor.
    /// Every page takes it, not only those that run: every page starts the
    /// pool, the front page shows it, and links carry it from page to page.
    pub pool_threads: Option<u32>,
    /// `lang=`: the language asked for; without it the browser's preference.
    pub lang: Option<Lang>,
    /// `embed=1`: the experiment alone, inside another page's frame
    /// (`embed.rs`). Every page but the front page takes it.
    pub embedded: bool,
    /// `trace=`: the address of a trace Overlap saved, relative to the page
    /// or absolute (same origin, or a server that allows it by CORS): its
    /// runs are shown as recorded. Every page with a timeline takes it.
    pub trace: Option<String>,
    /// `predict=1`: a prediction must be committed before Run (a tutorial's
    /// page); without it one is offered and can be skipped. Every page that
    /// runs takes it, as it takes `run`.
    pub predict_first: bool,
}

/// The state read from a query string, and what could not be used.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct DecodedPage {
    pub state: PageState,
    pub problems: Vec<QueryProblem>,
}

impl PageState {
    /// The keys this page takes: `exp`, its experiment's own, `run` and
    /// `predict` where it runs something, `pool`, `lang`, and `embed` but on
    /// the front page.
    pub fn known_keys(&self) -> Vec<&'static str> {
        let mut keys = vec![EXPERIMENT_KEY];
        keys.extend_from_slice(self.experiment.own_keys());
        if self.experiment.runs() {
            keys.push(RUN_KEY);
            keys.push(PREDICT_KEY);
        }
        keys.push(POOL_KEY);
        keys.push(LANG_KEY);
        if self.embeds() {
            keys.push(EMBED_KEY);
            keys.push(TRACE_KEY);
        }
        keys
    }

    /// Whether its page can be embedded alone: every experiment's can; the
    /// front page is a way into them, not one.
    pub fn embeds(&self) -> bool {
        !matches!(self.experiment, Experiment::Home(_))
    }

    /// The parameters its page edits in a form.
    pub fn form_keys(&self) -> &'static [&'static str] {
        self.experiment.own_keys()
    }

    /// The same page in another language.
    pub fn in_lang(&self, lang: Lang) -> PageState {
        PageState { lang: Some(lang), ..self.clone() }
    }
}

/// Reads the page state from a query string such as `location.search`.
pub fn decode(query: &str) -> DecodedPage {
    let pairs = parse_pairs(query);
    let mut decoded = DecodedPage::default();
    let first_value = |key: &str| pairs.iter().find(|(k, _)| k == key).map(|(_, value)| value.as_str());
    // `exp` first: it decides which other keys the page takes.
    if let Some(value) = first_value(EXPERIMENT_KEY) {
        match Experiment::named(value) {
            Some(experiment) => decoded.state.experiment = experiment,
            None => decoded.problems.push(QueryProblem::BadValue {
                key: EXPERIMENT_KEY,
                value: value.to_string(),
                expected: Expected::OneOf(Experiment::keys()),
                used: Used::Value(Experiment::default().key().to_string()),
            }),
        }
    }
    // Then the keys that decide what the others mean.
    let first_keys = decoded.state.experiment.first_keys();
    for key in first_keys {
        if let Some(value) = first_value(key)
            && let Err(problem) = decoded.state.experiment.apply(key, value)
        {
            decoded.problems.push(problem);
        }
    }

    let known_keys = decoded.state.known_keys();
    let mut seen_keys: Vec<&'static str> = vec![];
    for (key, value) in &pairs {
        let Some(&known_key) = known_keys.iter().find(|known| *known == key) else {
            decoded.problems.push(QueryProblem::Unknown { key: key.clone(), known: known_keys.clone() });
            continue;
        };
        if seen_keys.contains(&known_key) {
            let used = first_value(known_key).unwrap_or_default().to_string();
            decoded.problems.push(QueryProblem::Repeated { key: known_key, used });
            continue;
        }
        seen_keys.push(known_key);
        if known_key == EXPERIMENT_KEY || first_keys.contains(&known_key) {
            continue;
        }
        if let Err(problem) = apply(&mut decoded.state, known_key, value) {
            decoded.problems.push(problem);
        }
    }
    decoded
}

fn apply(state: &mut PageState, key: &'static str, value: &str) -> Result<(), QueryProblem> {
    match key {
        RUN_KEY => state.run_on_load = flag(key, value)?,
        PREDICT_KEY => state.predict_first = flag(key, value)?,
        EMBED_KEY => state.embedded = flag(key, value)?,
        TRACE_KEY => {
            let fits = !value.is_empty()
                && value.chars().count() <= MAX_TRACE_ADDRESS_CHARS
                && !value.chars().any(|character| character.is_whitespace() || character.is_control());
            if !fits {
                return Err(QueryProblem::BadValue {
                    key,
                    value: value.to_string(),
                    expected: Expected::Rule(Said::new(
                        format!(
                            "trace must be the address of a trace file, without spaces, at most \
                             {MAX_TRACE_ADDRESS_CHARS} characters"
                        ),
                        format!(
                            "`trace` 应为一个追踪文件的地址，不含空格，最多 {MAX_TRACE_ADDRESS_CHARS} 个字符"
                        ),
                    )),
                    used: Used::Described(Words::new("no trace", "不加载追踪文件")),
                });
            }
            state.trace = Some(value.to_string());
        }
        POOL_KEY => {
            let used =
                Used::Described(Words::new("one thread per logical processor", "每个逻辑处理器一个线程"));
            state.pool_threads = Some(number_in(key, value, POOL_THREADS_RANGE, used)?);
        }
        LANG_KEY => {
            // Without a good `lang`, the browser's preference decides, not English.
            let used = Used::Described(Words::new("the browser's language", "浏览器的语言"));
            let lang = Lang::from_tag(value).ok_or_else(|| QueryProblem::BadValue {
                key,
                value: value.to_string(),
                expected: Expected::OneOf(Lang::texts()),
                used,
            })?;
            state.lang = Some(lang);
        }
        _ => state.experiment.apply(key, value)?,
    }
    Ok(())
}

/// The fields a change of `key` sets back to their defaults.
pub fn fields_reset_by(state: &PageState, key: &str) -> &'static [&'static str] {
    state.experiment.fields_reset_by(key)
}

/// The state with one field set from what the user typed, or the
/// problem to show next to that field (the state is then left as it was).
pub fn with_field(state: &PageState, key: &'static str, text: &str) -> Result<PageState, QueryProblem> {
    let mut changed = state.clone();
    apply(&mut changed, key, text.trim())?;
    Ok(changed)
}

/// Writes the page state as a query string (with its leading `?`). Defaults
/// are left out, so addresses stay short and keep meaning the same thing.
pub fn encode(state: &PageState) -> String {
    let mut pairs: Vec<(&str, String)> = vec![(EXPERIMENT_KEY, state.experiment.key().to_string())];
    state.experiment.encode(&mut pairs);
    if state.experiment.runs() && state.run_on_load {
        pairs.push((RUN_KEY, "1".to_string()));
    }
    if state.experiment.runs() && state.predict_first {
        pairs.push((PREDICT_KEY, "1".to_string()));
    }
    if let Some(threads) = state.pool_threads {
        pairs.push((POOL_KEY, threads.to_string()));
    }
    if let Some(lang) = state.lang {
        pairs.push((LANG_KEY, lang.tag().to_string()));
    }
    if state.embeds() && state.embedded {
        pairs.push((EMBED_KEY, "1".to_string()));
    }
    if let (true, Some(trace)) = (state.embeds(), &state.trace) {
        pairs.push((TRACE_KEY, trace.clone()));
    }
    join_pairs(pairs)
}

#[cfg(test)]
mod tests {
    use std::ops::RangeInclusive;

    use expect_test::expect;
    use proptest::prelude::*;
    use strum::VariantArray;

    use super::*;
    use crate::experiments::cpu::{
        CpuFault, CpuMode, CpuParams, Recording, TASKS_KEY, WORKERS_KEY, WORKERS_RANGE, WORKLOAD_KEY,
        Workload,
    };
    use crate::experiments::fetch::{
        CAPACITY_RANGE, FETCH_WORKERS_RANGE, FetchMode, FetchParams, FetchTarget, LATENCY_RANGE, N_RANGE,
        ResultOrder, STATUS_RANGE, ServedBy, TIMEOUT_RANGE,
    };

    fn render(query: &str) -> String {
        let decoded = decode(query);
        let mut lines = vec![format!("{query:?} -> {}", encode(&decoded.state))];
        lines.extend(decoded.problems.iter().map(|problem| format!("    {}: {problem}", problem.key())));
        lines.join("\n")
    }

    #[test]
    fn decodes_good_and_bad_queries() {
        let cases = [
            "",
            "?exp=home",
            "?exp=bogus",
            "?exp=",
            "?exp=home&exp=bogus",
            "?theme=dark&exp=home",
            "?exp=home&mode=threads",
            "?exp=cpu",
            "?exp=cpu&workload=primes&mode=threads&workers=2&tasks=12&run=1",
            "?mode=gil&workload=blur&exp=cpu&size=256&tasks=8",
            "?exp=cpu&workload=fft&mode=fast&workers=0&size=5&tasks=65&run=yes",
            "?exp=cpu&workload=primes&size=100",
            "?exp=cpu&workers=17&workers=2",
            "?exp=cpu&workers=+3",
            "?exp=cpu&mode=threads&record=lanes",
            "?exp=cpu&record=everything",
            "?exp=cpu&mode=gil&record=lanes",
            "?exp=fetch",
            "?exp=fetch&target=preset&served_by=sw&mode=pool&workers=3&n=60&order=submitted&run=1",
            "?exp=fetch&target=ftp&mode=threads&n=1001&latency_ms=30001&status=700&timeout_ms=0&capacity=0&order=random",
            "?exp=fetch&workload=sum",
            "?exp=asyncio",
            "?exp=asyncio&scenario=wait_for&unit_ms=250&run=1",
            "?exp=asyncio&scenario=trio&unit_ms=5",
            "?exp=deadlock",
            "?exp=deadlock&scenario=self&fixed=1&run=1",
            "?exp=deadlock&scenario=philosophers&philosophers=1&fixed=yes",
            "?exp=timeline-demo&fixture=spans-10k",
            "?exp=timeline-demo&fixture=huge",
            "?exp=cpu&lang=zh-CN&mode=threads",
            "?lang=fr",
            "?exp=timeline-demo&run=1",
            "?exp=cpu&pool=4",
            "?exp=cpu&pool=0",
            "?exp=cpu&pool=17",
            "?exp=cpu&pool=x",
            "?exp=cpu&pool=4&pool=8",
            "?lang=zh-CN&pool=16&exp=race&run=1",
            "?exp=home&pool=4",
            "?exp=cpu&embed=1&lang=zh-CN&run=1",
            "?exp=timeline-demo&embed=yes",
            "?exp=home&embed=1",
            "?exp=futures&trace=traces/futures%20run.json",
            "?exp=futures&trace=https://tutorial.example/overlap-trace.json",
            "?exp=cpu&trace=",
            "?exp=home&trace=x.json",
            "?exp=race&predict=1",
            "?exp=cpu&mode=threads&predict=1&run=1&lang=zh-CN",
            "?exp=deadlock&predict=0",
            "?exp=fetch&predict=yes",
            "?exp=home&predict=1",
            "?exp=timeline-demo&predict=1",
        ];
        let rendered: Vec<String> = cases.iter().map(|case| render(case)).collect();
        expect![[r#"
            "" -> ?exp=home
            "?exp=home" -> ?exp=home
            "?exp=bogus" -> ?exp=home
                exp: `exp=bogus` is not valid: exp must be one of `home`, `cpu`, `fetch`, `futures`, `asyncio`, `race`, `lockstep`, `deadlock`, `thread-local`, `queue`, `sweep`, `load`, `timeline-demo`. Using `exp=home` instead.
            "?exp=" -> ?exp=home
                exp: `exp=` is not valid: exp must be one of `home`, `cpu`, `fetch`, `futures`, `asyncio`, `race`, `lockstep`, `deadlock`, `thread-local`, `queue`, `sweep`, `load`, `timeline-demo`. Using `exp=home` instead.
            "?exp=home&exp=bogus" -> ?exp=home
                exp: `exp` is given more than once; the first value, `home`, is used.
            "?theme=dark&exp=home" -> ?exp=home
                theme: `theme` is not a parameter of this page and is ignored (known: exp, pool, lang).
            "?exp=home&mode=threads" -> ?exp=home
                mode: `mode` is not a parameter of this page and is ignored (known: exp, pool, lang).
            "?exp=cpu" -> ?exp=cpu&workload=sum&mode=sequential
            "?exp=cpu&workload=primes&mode=threads&workers=2&tasks=12&run=1" -> ?exp=cpu&workload=primes&mode=threads&workers=2&tasks=12&run=1
            "?mode=gil&workload=blur&exp=cpu&size=256&tasks=8" -> ?exp=cpu&workload=blur&mode=gil&size=256&tasks=8
            "?exp=cpu&workload=fft&mode=fast&workers=0&size=5&tasks=65&run=yes" -> ?exp=cpu&workload=sum&mode=sequential
                workload: `workload=fft` is not valid: workload must be one of `sum`, `primes`, `blur`, `mandelbrot`. Using `workload=sum` instead.
                mode: `mode=fast` is not valid: mode must be one of `sequential`, `threads`, `workers`, `gil`. Using `mode=sequential` instead.
                workers: `workers=0` is not valid: workers must be a whole number from 1 to 16. Using every pool thread instead.
                size: `size=5` is not valid: size must be a whole number from 1000 to 100000000. Using `size=10000000` instead.
                tasks: `tasks=65` is not valid: tasks must be a whole number from 1 to 64. Using `tasks=20` instead.
                run: `run=yes` is not valid: run must be `1` or `0`. Using `run=0` instead.
            "?exp=cpu&workload=primes&size=100" -> ?exp=cpu&workload=primes&mode=sequential
                size: `size=100` is not valid: size must be left out: primes has no size. Using no size instead.
            "?exp=cpu&workers=17&workers=2" -> ?exp=cpu&workload=sum&mode=sequential
                workers: `workers=17` is not valid: workers must be a whole number from 1 to 16. Using every pool thread instead.
                workers: `workers` is given more than once; the first value, `17`, is used.
            "?exp=cpu&workers=+3" -> ?exp=cpu&workload=sum&mode=sequential
                workers: `workers= 3` is not valid: workers must be a whole number from 1 to 16. Using every pool thread instead.
            "?exp=cpu&mode=threads&record=lanes" -> ?exp=cpu&workload=sum&mode=threads&record=lanes
            "?exp=cpu&record=everything" -> ?exp=cpu&workload=sum&mode=sequential
                record: `record=everything` is not valid: record must be one of `tasks`, `lanes`. Using `record=tasks` instead.
            "?exp=cpu&mode=gil&record=lanes" -> ?exp=cpu&workload=sum&mode=gil&record=lanes
            "?exp=fetch" -> ?exp=fetch&target=server&mode=sequential&order=completed
            "?exp=fetch&target=preset&served_by=sw&mode=pool&workers=3&n=60&order=submitted&run=1" -> ?exp=fetch&target=preset&served_by=sw&mode=pool&order=submitted&workers=3&n=60&run=1
            "?exp=fetch&target=ftp&mode=threads&n=1001&latency_ms=30001&status=700&timeout_ms=0&capacity=0&order=random" -> ?exp=fetch&target=server&mode=sequential&order=completed
                target: `target=ftp` is not valid: target must be one of `server`, `sw`, `preset`, `urls`. Using `target=server` instead.
                mode: `mode=threads` is not valid: mode must be one of `sequential`, `gather`, `pool`, `workers`. Using `mode=sequential` instead.
                n: `n=1001` is not valid: n must be a whole number from 1 to 1000. Using `n=12` instead.
                latency_ms: `latency_ms=30001` is not valid: latency_ms must be a whole number from 0 to 30000. Using `latency_ms=100` instead.
                status: `status=700` is not valid: status must be a whole number from 200 to 599. Using `status=200` instead.
                timeout_ms: `timeout_ms=0` is not valid: timeout_ms must be a whole number from 1 to 60000. Using `timeout_ms=10000` instead.
                capacity: `capacity=0` is not valid: capacity must be a whole number from 1 to 1000. Using `capacity=6` instead.
                order: `order=random` is not valid: order must be one of `completed`, `submitted`. Using `order=completed` instead.
            "?exp=fetch&workload=sum" -> ?exp=fetch&target=server&mode=sequential&order=completed
                workload: `workload` is not a parameter of this page and is ignored (known: exp, target, served_by, mode, workers, n, latency_ms, status, timeout_ms, capacity, order, urls, run, predict, pool, lang, embed, trace).
            "?exp=asyncio" -> ?exp=asyncio&scenario=sequential
            "?exp=asyncio&scenario=wait_for&unit_ms=250&run=1" -> ?exp=asyncio&scenario=wait_for&unit_ms=250&run=1
            "?exp=asyncio&scenario=trio&unit_ms=5" -> ?exp=asyncio&scenario=sequential
                scenario: `scenario=trio` is not valid: scenario must be one of `sequential`, `tasks`, `gather`, `wait_for`, `blocking`, `cooperative`. Using `scenario=sequential` instead.
                unit_ms: `unit_ms=5` is not valid: unit_ms must be a whole number from 10 to 1000. Using `unit_ms=100` instead.
            "?exp=deadlock" -> ?exp=deadlock&scenario=locks
            "?exp=deadlock&scenario=self&fixed=1&run=1" -> ?exp=deadlock&scenario=self&fixed=1&run=1
            "?exp=deadlock&scenario=philosophers&philosophers=1&fixed=yes" -> ?exp=deadlock&scenario=philosophers
                philosophers: `philosophers=1` is not valid: philosophers must be a whole number from 2 to 16. Using as many as the pool has threads, at most 5 instead.
                fixed: `fixed=yes` is not valid: fixed must be `1` or `0`. Using `fixed=0` instead.
            "?exp=timeline-demo&fixture=spans-10k" -> ?exp=timeline-demo&fixture=spans-10k
            "?exp=timeline-demo&fixture=huge" -> ?exp=timeline-demo&fixture=compare
                fixture: `fixture=huge` is not valid: fixture must be one of `compare`, `fetch`, `spans-10k`, `spans-100k`. Using `fixture=compare` instead.
            "?exp=cpu&lang=zh-CN&mode=threads" -> ?exp=cpu&workload=sum&mode=threads&lang=zh-CN
            "?lang=fr" -> ?exp=home
                lang: `lang=fr` is not valid: lang must be one of `en`, `zh-CN`. Using the browser's language instead.
            "?exp=timeline-demo&run=1" -> ?exp=timeline-demo&fixture=compare
                run: `run` is not a parameter of this page and is ignored (known: exp, fixture, pool, lang, embed, trace).
            "?exp=cpu&pool=4" -> ?exp=cpu&workload=sum&mode=sequential&pool=4
            "?exp=cpu&pool=0" -> ?exp=cpu&workload=sum&mode=sequential
                pool: `pool=0` is not valid: pool must be a whole number from 1 to 16. Using one thread per logical processor instead.
            "?exp=cpu&pool=17" -> ?exp=cpu&workload=sum&mode=sequential
                pool: `pool=17` is not valid: pool must be a whole number from 1 to 16. Using one thread per logical processor instead.
            "?exp=cpu&pool=x" -> ?exp=cpu&workload=sum&mode=sequential
                pool: `pool=x` is not valid: pool must be a whole number from 1 to 16. Using one thread per logical processor instead.
            "?exp=cpu&pool=4&pool=8" -> ?exp=cpu&workload=sum&mode=sequential&pool=4
                pool: `pool` is given more than once; the first value, `4`, is used.
            "?lang=zh-CN&pool=16&exp=race&run=1" -> ?exp=race&variant=unsafe&run=1&pool=16&lang=zh-CN
            "?exp=home&pool=4" -> ?exp=home&pool=4
            "?exp=cpu&embed=1&lang=zh-CN&run=1" -> ?exp=cpu&workload=sum&mode=sequential&run=1&lang=zh-CN&embed=1
            "?exp=timeline-demo&embed=yes" -> ?exp=timeline-demo&fixture=compare
                embed: `embed=yes` is not valid: embed must be `1` or `0`. Using `embed=0` instead.
            "?exp=home&embed=1" -> ?exp=home
                embed: `embed` is not a parameter of this page and is ignored (known: exp, pool, lang).
            "?exp=futures&trace=traces/futures%20run.json" -> ?exp=futures&scenario=map
                trace: `trace=traces/futures run.json` is not valid: trace must be the address of a trace file, without spaces, at most 2048 characters. Using no trace instead.
            "?exp=futures&trace=https://tutorial.example/overlap-trace.json" -> ?exp=futures&scenario=map&trace=https%3A%2F%2Ftutorial.example%2Foverlap-trace.json
            "?exp=cpu&trace=" -> ?exp=cpu&workload=sum&mode=sequential
                trace: `trace=` is not valid: trace must be the address of a trace file, without spaces, at most 2048 characters. Using no trace instead.
            "?exp=home&trace=x.json" -> ?exp=home
                trace: `trace` is not a parameter of this page and is ignored (known: exp, pool, lang).
            "?exp=race&predict=1" -> ?exp=race&variant=unsafe&predict=1
            "?exp=cpu&mode=threads&predict=1&run=1&lang=zh-CN" -> ?exp=cpu&workload=sum&mode=threads&run=1&predict=1&lang=zh-CN
            "?exp=deadlock&predict=0" -> ?exp=deadlock&scenario=locks
            "?exp=fetch&predict=yes" -> ?exp=fetch&target=server&mode=sequential&order=completed
                predict: `predict=yes` is not valid: predict must be `1` or `0`. Using `predict=0` instead.
            "?exp=home&predict=1" -> ?exp=home
                predict: `predict` is not a parameter of this page and is ignored (known: exp, pool, lang).
            "?exp=timeline-demo&predict=1" -> ?exp=timeline-demo&fixture=compare
                predict: `predict` is not a parameter of this page and is ignored (known: exp, fixture, pool, lang, embed, trace)."#]]
        .assert_eq(&rendered.join("\n"));
    }

    #[test]
    fn fields_typed_in_the_form_are_checked_like_the_address() {
        let state = decode("?exp=cpu&workload=sum&tasks=10").state;
        let cpu = |state: PageState| CpuParams::try_from(state.experiment).unwrap_or_default();
        let changed = with_field(&state, WORKERS_KEY, " 4 ").map(|s| cpu(s).workers);
        assert_eq!(changed, Ok(Some(4)));
        let problem = with_field(&state, TASKS_KEY, "100").map_err(|p| p.to_string());
        assert_eq!(
            problem,
            Err("`tasks=100` is not valid: tasks must be a whole number from 1 to 64. Using `tasks=20` instead.".into())
        );
        let switched =
            with_field(&state, WORKLOAD_KEY, "blur").map(|s| (cpu(s.clone()).workload, cpu(s).tasks));
        assert_eq!(switched, Ok((Workload::Blur, None)));
        assert_eq!(fields_reset_by(&state, WORKLOAD_KEY), ["size", "tasks"]);
    }

    #[test]
    fn problems_read_in_chinese_too() {
        let decoded =
            decode("?exp=cpu&workload=primes&size=100&workers=0&mode=fast&mode=gil&theme=dark&run=yes");
        let lines: Vec<String> = decoded.problems.iter().map(|problem| problem.message(Lang::ZhCn)).collect();
        expect![[r#"
            `size=100` 无效：`primes` 没有 `size` 参数，应省略。改为不设 `size`。
            `workers=0` 无效：`workers` 应为 1 到 16 之间的整数。改为使用线程池的全部线程。
            `mode=fast` 无效：`mode` 应为以下之一：`sequential`、`threads`、`workers`、`gil`。改用 `mode=sequential`。
            `mode` 出现了不止一次；使用第一个值 `fast`。
            `theme` 不是本页的参数，已忽略（可用参数：`exp`、`workload`、`mode`、`workers`、`size`、`tasks`、`record`、`fault`、`run`、`predict`、`pool`、`lang`、`embed`、`trace`）。
            `run=yes` 无效：`run` 应为 `1` 或 `0`。改用 `run=0`。"#]]
        .assert_eq(&lines.join("\n"));
        let field =
            with_field(&decoded.state, TASKS_KEY, "x").err().map(|problem| problem.field_message(Lang::ZhCn));
        assert_eq!(field.as_deref(), Some("`tasks` 应为 1 到 60 之间的整数"));
        let pool: Vec<String> = ["?exp=cpu&pool=0", "?exp=cpu&pool=17", "?exp=cpu&pool=x"]
            .iter()
            .flat_map(|query| decode(query).problems)
            .map(|problem| problem.message(Lang::ZhCn))
            .collect();
        expect![[r#"
            `pool=0` 无效：`pool` 应为 1 到 16 之间的整数。改为每个逻辑处理器一个线程。
            `pool=17` 无效：`pool` 应为 1 到 16 之间的整数。改为每个逻辑处理器一个线程。
            `pool=x` 无效：`pool` 应为 1 到 16 之间的整数。改为每个逻辑处理器一个线程。"#]]
        .assert_eq(&pool.join("\n"));
    }

    proptest! {
        #[test]
        fn any_query_decodes_to_a_state_that_encodes_cleanly(query in "\\PC{0,60}") {
            let decoded = decode(&query);
            let again = decode(&encode(&decoded.state));
            prop_assert!(again.problems.is_empty(), "{:?}", again.problems);
            prop_assert_eq!(again.state, decoded.state);
        }

        #[test]
        fn every_problem_has_a_message_in_both_languages(query in "\\PC{0,60}") {
            for problem in decode(&query).problems {
                prop_assert!(!problem.message(Lang::En).is_empty());
                prop_assert!(!problem.message(Lang::ZhCn).is_empty());
                prop_assert!(!problem.field_message(Lang::ZhCn).is_empty());
            }
        }

        #[test]
        fn every_valid_fetch_state_round_trips(
            target in proptest::sample::select(FetchTarget::VARIANTS),
            served_by in proptest::sample::select(ServedBy::VARIANTS),
            mode in proptest::sample::select(FetchMode::VARIANTS),
            order in proptest::sample::select(ResultOrder::VARIANTS),
            workers in proptest::option::of(FETCH_WORKERS_RANGE),
            n in proptest::option::of(N_RANGE),
            latency_ms in proptest::option::of(LATENCY_RANGE),
            status in proptest::option::of(STATUS_RANGE),
            timeout_ms in proptest::option::of(TIMEOUT_RANGE),
            capacity in proptest::option::of(CAPACITY_RANGE),
        ) {
            // served_by only means something for the preset.
            let served_by = if target == FetchTarget::Preset { served_by } else { ServedBy::default() };
            let state = PageState {
                experiment: FetchParams {
                    target, served_by, mode, workers, n, latency_ms, status, timeout_ms, capacity, order,
                    urls: if target == FetchTarget::Urls { "https://a.example/\n/api/delay?ms=5".to_string() } else { String::new() },
                }.into(),
                ..PageState::default()
            };
            prop_assert_eq!(decode(&encode(&state)), DecodedPage { state: state.clone(), problems: vec![] });
        }

        #[test]
        fn every_valid_cpu_state_round_trips(
            workload in proptest::sample::select(Workload::VARIANTS),
            mode in proptest::sample::select(CpuMode::VARIANTS),
            workers in proptest::option::of(WORKERS_RANGE),
            size_fraction in proptest::option::of(0.0f64..=1.0),
            tasks_fraction in proptest::option::of(0.0f64..=1.0),
            recording in proptest::sample::select(Recording::VARIANTS),
            fault in proptest::sample::select(CpuFault::VARIANTS),
            lang in proptest::option::of(proptest::sample::select(Lang::VARIANTS)),
            run_on_load: bool,
            pool_threads in proptest::option::of(POOL_THREADS_RANGE),
            embedded: bool,
            trace in proptest::option::of("[a-zA-Z0-9/._:%-]{1,40}"),
            predict_first: bool,
        ) {
            let bounds = workload.bounds();
            let pick = |range: &RangeInclusive<u32>, fraction: f64| {
                range.start() + ((range.end() - range.start()) as f64 * fraction) as u32
            };
            let size = size_fraction.filter(|_| bounds.size_meaning.is_some()).map(|f| pick(&bounds.size, f));
            let tasks = tasks_fraction.map(|f| pick(&bounds.tasks, f));
            let state = PageState {
                experiment: CpuParams { workload, mode, workers, size, tasks, recording, fault }.into(),
                run_on_load,
                pool_threads,
                lang,
                embedded,
                trace,
                predict_first,
            };
            prop_assert_eq!(decode(&encode(&state)), DecodedPage { state: state.clone(), problems: vec![] });
        }
    }
}
