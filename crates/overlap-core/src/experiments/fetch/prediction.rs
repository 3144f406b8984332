//! The I/O experiment's question: how long will the run take, from its
//! first request to its last answer? Measured as its makespan, and marked
//! on its timeline.

use crate::experiments::fetch::FetchParams;
use crate::lang::{Lang, Said};
use crate::prediction::{Answer, Ask, Measured, Question, Unit};
use crate::records::units::format_ms;

/// The longest a run can take: every request at the longest timeout, one
/// after another, is far less.
const MAX_MS: f64 = 3_600_000.0;

pub fn question(params: &FetchParams) -> Question {
    let (n, run) =
        (params.n_or_default(), |lang: Lang| params.mode.run_title(params.workers_or_default(), lang));
    Question {
        asks: Said::new(
            format!(
                "{n} requests, {}: how many milliseconds from the first request to the last answer?",
                run(Lang::En)
            ),
            format!("{n} 个请求，{}：从第一个请求到最后一个响应要多少毫秒？", run(Lang::ZhCn)),
        ),
        ask: Ask::Number { min: 0.0, max: MAX_MS, step: 1.0, unit: Unit::Ms },
        answered_by: Said::new("Run answers it.", "按“运行”即可得到答案。"),
    }
}

/// What a finished run measured.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Facts {
    pub requests: usize,
    pub makespan_ms: f64,
    /// At most this many requests could be in flight at once.
    pub concurrency: u32,
    /// The least these requests could take with that many at once and no
    /// overhead; `None` for typed addresses, whose latencies were not chosen.
    pub ideal_ms: Option<f64>,
    /// The requests' latencies added up.
    pub latency_sum_ms: f64,
}

pub fn measured(facts: &Facts) -> Measured {
    let Facts { requests, makespan_ms, concurrency, ideal_ms, latency_sum_ms } = *facts;
    let took = format_ms(makespan_ms);
    let why = match ideal_ms {
        Some(ideal_ms) => {
            let ideal = format_ms(ideal_ms);
            let extra_ms = makespan_ms - ideal_ms;
            if extra_ms <= 0.05 * ideal_ms {
                Said::new(
                    format!(
                        "At most {concurrency} requests could be in flight at once here, so {requests} requests \
                         could not take less than {ideal}; the run took {took}, within a few percent of that."
                    ),
                    format!(
                        "这里同时最多只能有 {concurrency} 个请求在途，所以 {requests} 个请求至少要 {ideal}；\
                         实际用了 {took}，与之相差不到百分之几。"
                    ),
                )
            } else {
                let extra = format_ms(extra_ms);
                Said::new(
                    format!(
                        "At most {concurrency} requests could be in flight at once here, so {requests} requests \
                         could not take less than {ideal}; the run took {took}: {extra} more went to connecting, \
                         queueing and the page's own work."
                    ),
                    format!(
                        "这里同时最多只能有 {concurrency} 个请求在途，所以 {requests} 个请求至少要 {ideal}；\
                         实际用了 {took}：多出的 {extra} 花在建立连接、排队和页面自己的工作上。"
                    ),
                )
            }
        }
        None => {
            let wire = format_ms(latency_sum_ms);
            Said::new(
                format!(
                    "At most {concurrency} of these {requests} requests were in flight at once; their latencies \
                     add up to {wire}, and overlapping them the run took {took}."
                ),
                format!(
                    "这 {requests} 个请求同时最多有 {concurrency} 个在途；它们的延迟加起来是 {wire}，重叠之后整次运行用了 {took}。"
                ),
            )
        }
    };
    Measured { answer: Answer::Value(makespan_ms), why, makespan_ms_per_unit: Some(1.0) }
}

#[cfg(test)]
mod tests {
    use expect_test::expect;

    use super::*;
    use crate::experiments::fetch::FetchMode;
    use crate::prediction::compare;

    #[test]
    fn asks_for_the_makespan_and_says_what_bounded_it() {
        let gather = FetchParams { mode: FetchMode::Gather, ..FetchParams::default() };
        let facts = |makespan_ms, ideal_ms| Facts {
            requests: 12,
            makespan_ms,
            concurrency: 6,
            ideal_ms,
            latency_sum_ms: 1500.0,
        };
        let mut lines = Vec::new();
        for (guess, facts) in [
            (100.0, facts(231.0, Some(200.0))),
            (200.0, facts(204.0, Some(200.0))),
            (300.0, facts(410.0, None)),
        ] {
            let question = question(&gather);
            let comparison = compare(&question, Answer::Value(guess), &measured(&facts));
            for lang in [Lang::En, Lang::ZhCn] {
                lines.push(question.asks.get(lang).to_string());
                lines.push(format!("  {}", comparison.said.get(lang)));
                lines.push(format!("  {}", comparison.why.get(lang)));
            }
            lines.push(format!("  marker at {:?} ms", comparison.predicted_makespan_ms));
        }
        expect![[r#"
            12 requests, Gather: how many milliseconds from the first request to the last answer?
              Predicted: 100 ms. Measured: 231 ms. Off: the measured value is 131% higher than your prediction.
              At most 6 requests could be in flight at once here, so 12 requests could not take less than 200 ms; the run took 231 ms: 31.0 ms more went to connecting, queueing and the page's own work.
            12 个请求，全部并发（gather）：从第一个请求到最后一个响应要多少毫秒？
              你的预测：100 ms；实测：231 ms。偏差较大：实测值比你的预测高 131%。
              这里同时最多只能有 6 个请求在途，所以 12 个请求至少要 200 ms；实际用了 231 ms：多出的 31.0 ms 花在建立连接、排队和页面自己的工作上。
              marker at Some(100.0) ms
            12 requests, Gather: how many milliseconds from the first request to the last answer?
              Predicted: 200 ms. Measured: 204 ms. Close: within 10% of the measured value.
              At most 6 requests could be in flight at once here, so 12 requests could not take less than 200 ms; the run took 204 ms, within a few percent of that.
            12 个请求，全部并发（gather）：从第一个请求到最后一个响应要多少毫秒？
              你的预测：200 ms；实测：204 ms。接近：与实测值相差不到 10%。
              这里同时最多只能有 6 个请求在途，所以 12 个请求至少要 200 ms；实际用了 204 ms，与之相差不到百分之几。
              marker at Some(200.0) ms
            12 requests, Gather: how many milliseconds from the first request to the last answer?
              Predicted: 300 ms. Measured: 410 ms. Off: the measured value is 37% higher than your prediction.
              At most 6 of these 12 requests were in flight at once; their latencies add up to 1.50 s, and overlapping them the run took 410 ms.
            12 个请求，全部并发（gather）：从第一个请求到最后一个响应要多少毫秒？
              你的预测：300 ms；实测：410 ms。偏差较大：实测值比你的预测高 37%。
              这 12 个请求同时最多有 6 个在途；它们的延迟加起来是 1.50 s，重叠之后整次运行用了 410 ms。
              marker at Some(300.0) ms"#]].assert_eq(&lines.join("\n"));
    }
}
