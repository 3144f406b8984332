//! The event loop's question: how many of the program's seconds will it
//! take? Measured as main's time from start to end, and marked on the
//! run's timeline.

use crate::experiments::asyncio::{AsyncioFigures, AsyncioParams, Scenario, TIMEOUT_UNITS, urls};
use crate::lang::Said;
use crate::prediction::{Answer, Ask, Measured, Question, Unit};
use crate::records::units::format_ms;

/// Longer than any of the six programs takes.
const MAX_SECONDS: f64 = 60.0;
const STEP_SECONDS: f64 = 0.5;

pub fn question(params: &AsyncioParams) -> Question {
    let scenario = params.scenario.title();
    let unit = params.unit_ms;
    Question {
        asks: Said::new(
            format!(
                "“{}”: how many of the program's seconds (each {unit} ms here) will main take from start to end?",
                scenario.en
            ),
            format!("“{}”：main 从开始到结束要用程序里的几秒（这里每秒 {unit} 毫秒）？", scenario.zh),
        ),
        ask: Ask::Number { min: 0.0, max: MAX_SECONDS, step: STEP_SECONDS, unit: Unit::Seconds },
        answered_by: Said::new("Run answers it.", "按“运行”即可得到答案。"),
    }
}

/// The measured total in the program's seconds, and why.
pub fn measured(scenario: Scenario, unit_ms: u32, figures: &AsyncioFigures) -> Option<Measured> {
    if unit_ms == 0 {
        return None;
    }
    let unit = f64::from(unit_ms);
    let seconds = |ms: f64| format!("{:.1}", ms / unit);
    let (total, sum, longest) =
        (seconds(figures.total_ms), seconds(figures.sum_ms), seconds(figures.longest_ms));
    let late = format_ms(figures.late_tick_max_ms.unwrap_or(0.0));
    // wait_for's crawls, as the program has them: the quick one, the one cut
    // off, and what both would need.
    let crawls = urls(Scenario::WaitFor);
    let (quick, slow) =
        (crawls.iter().min().copied().unwrap_or(0), crawls.iter().max().copied().unwrap_or(0));
    let needed: u32 = crawls.iter().sum();
    let why = match scenario {
        Scenario::Sequential => Said::new(
            format!(
                "Each await ran its crawl to the end before the next began: the total, {total} s, is the crawls' \
                 waits added up ({sum} s)."
            ),
            format!(
                "每个 await 都等爬取结束才开始下一个：总耗时 {total} 秒，就是各次爬取的等待之和（{sum} 秒）。"
            ),
        ),
        Scenario::Tasks => Said::new(
            format!(
                "The crawls waited at the same time: the total, {total} s, is the longest crawl ({longest} s), not \
                 their sum ({sum} s)."
            ),
            format!(
                "各个爬取同时等待：总耗时 {total} 秒，等于最长的爬取（{longest} 秒），而不是总和（{sum} 秒）。"
            ),
        ),
        Scenario::Gather => Said::new(
            format!(
                "gather waited for the three workers at once: the total, {total} s, is set by the longest of them \
                 ({longest} s), not their sum ({sum} s)."
            ),
            format!(
                "gather 同时等待三个协程：总耗时 {total} 秒，由其中最长的决定（{longest} 秒），而不是总和（{sum} 秒）。"
            ),
        ),
        Scenario::WaitFor => Said::new(
            format!(
                "wait_for gave each crawl {TIMEOUT_UNITS} seconds, one after another: url_{quick} finished in \
                 {quick}, url_{slow} was cancelled at the timeout, so the total is {total} s, not the {needed} the \
                 crawls would need."
            ),
            format!(
                "wait_for 依次给每个爬取 {TIMEOUT_UNITS} 秒：url_{quick} 用 {quick} 秒完成，url_{slow} 在超时时被取消，\
                 所以总耗时是 {total} 秒，而不是爬取本来需要的 {needed} 秒。"
            ),
        ),
        Scenario::Blocking => Said::new(
            format!(
                "compute() held the loop without awaiting, so nothing else ran meanwhile: the ticks waited behind it \
                 (the latest {late} late), and the total is {total} s."
            ),
            format!(
                "compute() 不 await 就一直占着事件循环，期间别的都无法运行：滴答只能排在它后面（最晚的晚了 {late}），总耗时 {total} 秒。"
            ),
        ),
        Scenario::Cooperative => Said::new(
            format!(
                "compute() awaited between its slices, so the ticks slipped in between (the latest only {late} late); \
                 the computing still takes its time: the total is {total} s."
            ),
            format!(
                "compute() 在片与片之间 await，滴答得以插进来（最晚的只晚了 {late}）；计算本身的时间并没有少：总耗时 {total} 秒。"
            ),
        ),
    };
    Some(Measured { answer: Answer::Value(figures.total_ms / unit), why, makespan_ms_per_unit: Some(unit) })
}

/// The question in one language, for tests.
#[cfg(test)]
pub fn render(params: &AsyncioParams, lang: crate::lang::Lang) -> String {
    question(params).asks.get(lang).to_string()
}

#[cfg(test)]
mod tests {
    use crate::lang::Lang;
    use expect_test::expect;
    use strum::VariantArray;

    use super::*;
    use crate::prediction::compare;

    #[test]
    fn asks_for_the_total_in_the_programs_seconds() {
        let mut lines = Vec::new();
        let mut asked = Vec::new();
        for (scenario, total_ms, sum_ms, longest_ms, late_ms) in [
            (Scenario::Sequential, 1003.0, 1000.0, 400.0, None),
            (Scenario::Tasks, 404.0, 1000.0, 400.0, None),
            (Scenario::Gather, 205.0, 400.0, 200.0, None),
            (Scenario::WaitFor, 302.0, 300.0, 200.0, None),
            (Scenario::Blocking, 512.0, 600.0, 500.0, Some(451.0)),
            (Scenario::Cooperative, 530.0, 600.0, 520.0, Some(19.0)),
        ] {
            asked.push(scenario);
            let params = AsyncioParams { scenario, unit_ms: 100 };
            let figures = AsyncioFigures {
                total_ms,
                sum_ms,
                longest_ms,
                late_tick_max_ms: late_ms,
                printed_as_python: true,
                printed: Vec::new(),
            };
            let Some(measured) = measured(scenario, 100, &figures) else { continue };
            let comparison = compare(&question(&params), Answer::Value(4.0), &measured);
            for lang in [Lang::En, Lang::ZhCn] {
                lines.push(render(&params, lang));
                lines.push(format!("  {}", comparison.said.get(lang)));
                lines.push(format!("  {}", comparison.why.get(lang)));
            }
            lines.push(format!("  marker at {:?} ms", comparison.predicted_makespan_ms));
        }
        expect![[r#"
            “await one after another”: how many of the program's seconds (each 100 ms here) will main take from start to end?
              Predicted: 4.0 s. Measured: 10.0 s. Off: the measured value is 151% higher than your prediction.
              Each await ran its crawl to the end before the next began: the total, 10.0 s, is the crawls' waits added up (10.0 s).
            “逐个 await”：main 从开始到结束要用程序里的几秒（这里每秒 100 毫秒）？
              你的预测：4.0 秒；实测：10.0 秒。偏差较大：实测值比你的预测高 151%。
              每个 await 都等爬取结束才开始下一个：总耗时 10.0 秒，就是各次爬取的等待之和（10.0 秒）。
              marker at Some(400.0) ms
            “create_task, then gather”: how many of the program's seconds (each 100 ms here) will main take from start to end?
              Predicted: 4.0 s. Measured: 4.0 s. Right.
              The crawls waited at the same time: the total, 4.0 s, is the longest crawl (4.0 s), not their sum (10.0 s).
            “create_task 后 gather”：main 从开始到结束要用程序里的几秒（这里每秒 100 毫秒）？
              你的预测：4.0 秒；实测：4.0 秒。预测正确。
              各个爬取同时等待：总耗时 4.0 秒，等于最长的爬取（4.0 秒），而不是总和（10.0 秒）。
              marker at Some(400.0) ms
            “gather with return_exceptions=True”: how many of the program's seconds (each 100 ms here) will main take from start to end?
              Predicted: 4.0 s. Measured: 2.0 s. Off: the measured value is 49% lower than your prediction.
              gather waited for the three workers at once: the total, 2.0 s, is set by the longest of them (2.0 s), not their sum (4.0 s).
            “gather（return_exceptions=True）”：main 从开始到结束要用程序里的几秒（这里每秒 100 毫秒）？
              你的预测：4.0 秒；实测：2.0 秒。偏差较大：实测值比你的预测低 49%。
              gather 同时等待三个协程：总耗时 2.0 秒，由其中最长的决定（2.0 秒），而不是总和（4.0 秒）。
              marker at Some(400.0) ms
            “wait_for with a timeout”: how many of the program's seconds (each 100 ms here) will main take from start to end?
              Predicted: 4.0 s. Measured: 3.0 s. Off: the measured value is 25% lower than your prediction.
              wait_for gave each crawl 2 seconds, one after another: url_1 finished in 1, url_4 was cancelled at the timeout, so the total is 3.0 s, not the 5 the crawls would need.
            “带超时的 wait_for”：main 从开始到结束要用程序里的几秒（这里每秒 100 毫秒）？
              你的预测：4.0 秒；实测：3.0 秒。偏差较大：实测值比你的预测低 25%。
              wait_for 依次给每个爬取 2 秒：url_1 用 1 秒完成，url_4 在超时时被取消，所以总耗时是 3.0 秒，而不是爬取本来需要的 5 秒。
              marker at Some(400.0) ms
            “A coroutine that never awaits”: how many of the program's seconds (each 100 ms here) will main take from start to end?
              Predicted: 4.0 s. Measured: 5.1 s. Off: the measured value is 28% higher than your prediction.
              compute() held the loop without awaiting, so nothing else ran meanwhile: the ticks waited behind it (the latest 451 ms late), and the total is 5.1 s.
            “从不 await 的协程”：main 从开始到结束要用程序里的几秒（这里每秒 100 毫秒）？
              你的预测：4.0 秒；实测：5.1 秒。偏差较大：实测值比你的预测高 28%。
              compute() 不 await 就一直占着事件循环，期间别的都无法运行：滴答只能排在它后面（最晚的晚了 451 ms），总耗时 5.1 秒。
              marker at Some(400.0) ms
            “Computing in slices, awaiting between”: how many of the program's seconds (each 100 ms here) will main take from start to end?
              Predicted: 4.0 s. Measured: 5.3 s. Off: the measured value is 32% higher than your prediction.
              compute() awaited between its slices, so the ticks slipped in between (the latest only 19.0 ms late); the computing still takes its time: the total is 5.3 s.
            “分片计算，片间 await”：main 从开始到结束要用程序里的几秒（这里每秒 100 毫秒）？
              你的预测：4.0 秒；实测：5.3 秒。偏差较大：实测值比你的预测高 32%。
              compute() 在片与片之间 await，滴答得以插进来（最晚的只晚了 19.0 ms）；计算本身的时间并没有少：总耗时 5.3 秒。
              marker at Some(400.0) ms"#]].assert_eq(&lines.join("\n"));
        // Every program is asked about once.
        assert_eq!(asked, Scenario::VARIANTS);
    }
}
