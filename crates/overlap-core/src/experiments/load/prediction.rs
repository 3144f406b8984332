//! The load test's question: how many requests will be answered in the
//! first second? Measured from the run's own 100 ms bins.

use crate::experiments::load::{LoadModel, LoadParams, Second};
use crate::lang::{Lang, Said};
use crate::prediction::{Answer, Ask, Measured, Question, Unit};
use crate::records::units::format_ms;

/// More than a browser sends in a second.
const MAX_REQUESTS: f64 = 1_000_000.0;

pub fn question(params: &LoadParams) -> Question {
    let load = |lang: Lang| params.load_text(lang);
    let (how_en, how_zh) = match params.model {
        LoadModel::Closed => (
            "each sending its next request when its last is answered",
            "每个用户收到上一个响应后才发送下一个请求",
        ),
        LoadModel::Open => ("sent on schedule whatever the answers", "不论响应如何都按时发送"),
    };
    Question {
        asks: Said::new(
            format!("{}, {how_en}: how many requests will be answered in the first second?", load(Lang::En)),
            format!("{}，{how_zh}：第一秒内会有多少个请求得到响应？", load(Lang::ZhCn)),
        ),
        ask: Ask::Number { min: 0.0, max: MAX_REQUESTS, step: 1.0, unit: Unit::Count },
        answered_by: Said::new(
            "Run answers it (or Compare: the run of this model).",
            "按“运行”即可得到答案（或者“对比”中这个模型的那次运行）。",
        ),
    }
}

/// What a run measured over its first second.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Facts {
    pub model: LoadModel,
    /// The run's first second, from its bins.
    pub first: Second,
    /// The mean latency of the run's answers so far (bins keep no latency,
    /// so the first second's own is not known), said as such.
    pub mean_latency_ms: Option<f64>,
}

pub fn measured(facts: &Facts) -> Measured {
    let Facts { model, first, mean_latency_ms } = *facts;
    let (answered, sent, in_flight) = (first.answered, first.sent, first.in_flight_mean);
    let why = match (model, mean_latency_ms.filter(|ms| *ms > 0.0)) {
        (LoadModel::Closed, Some(latency_ms)) => {
            let (latency, estimate) = (format_ms(latency_ms), in_flight * 1000.0 / latency_ms);
            Said::new(
                format!(
                    "Users wait for each answer before sending again, so throughput is what is in flight over the \
                     latency (Little's law): about {in_flight:.1} in flight over the first second, {latency} each (the \
                     run's mean so far), is about {estimate:.0} a second; {answered} were answered."
                ),
                format!(
                    "用户要等到响应才发下一个请求，所以吞吐量等于在途请求数除以延迟（利特尔法则）：第一秒平均约 {in_flight:.1} 个在途、\
                     每个 {latency}（本次运行到目前的平均），每秒约 {estimate:.0} 个；实际得到响应的是 {answered} 个。"
                ),
            )
        }
        (LoadModel::Open, Some(latency_ms)) => {
            let latency = format_ms(latency_ms);
            Said::new(
                format!(
                    "The open model sent {sent} requests in the first second on schedule, whatever the answers; \
                     each took about {latency} (the run's mean so far), so {answered} were answered within it and the rest were still in \
                     flight."
                ),
                format!(
                    "开放模型在第一秒按计划发送了 {sent} 个请求，不管响应如何；每个大约 {latency}（本次运行到目前的平均），所以这一秒内有 {answered} 个得到响应，其余仍在途中。"
                ),
            )
        }
        (_, None) => Said::new(
            format!(
                "{sent} requests were sent in the first second and {answered} answered: no answer came back to time."
            ),
            format!("第一秒发送了 {sent} 个请求，得到响应的是 {answered} 个：没有可以计时的响应。"),
        ),
    };
    Measured { answer: Answer::Value(f64::from(answered)), why, makespan_ms_per_unit: None }
}

/// The question in one language, for tests.
#[cfg(test)]
pub fn render(params: &LoadParams, lang: Lang) -> String {
    question(params).asks.get(lang).to_string()
}

#[cfg(test)]
mod tests {
    use expect_test::expect;

    use super::*;
    use crate::prediction::compare;

    #[test]
    fn asks_for_the_first_seconds_answers() {
        let mut lines = Vec::new();
        for (model, first, latency) in [
            (
                LoadModel::Closed,
                Second { second: 0, sent: 210, answered: 200, ok: 200, in_flight_mean: 9.8 },
                Some(49.0),
            ),
            (
                LoadModel::Open,
                Second { second: 0, sent: 100, answered: 96, ok: 96, in_flight_mean: 2.0 },
                Some(20.0),
            ),
            (
                LoadModel::Closed,
                Second { second: 0, sent: 10, answered: 0, ok: 0, in_flight_mean: 10.0 },
                None,
            ),
        ] {
            let params = LoadParams { model, ..LoadParams::default() };
            let facts = Facts { model, first, mean_latency_ms: latency };
            let comparison = compare(&question(&params), Answer::Value(100.0), &measured(&facts));
            for lang in [Lang::En, Lang::ZhCn] {
                lines.push(render(&params, lang));
                lines.push(format!("  {}", comparison.said.get(lang)));
                lines.push(format!("  {}", comparison.why.get(lang)));
            }
        }
        expect![[r#"
            100 users, each sending its next request when its last is answered: how many requests will be answered in the first second?
              Predicted: 100. Measured: 200. Off: the measured value is 100% higher than your prediction.
              Users wait for each answer before sending again, so throughput is what is in flight over the latency (Little's law): about 9.8 in flight over the first second, 49.0 ms each (the run's mean so far), is about 200 a second; 200 were answered.
            100 个用户，每个用户收到上一个响应后才发送下一个请求：第一秒内会有多少个请求得到响应？
              你的预测：100；实测：200。偏差较大：实测值比你的预测高 100%。
              用户要等到响应才发下一个请求，所以吞吐量等于在途请求数除以延迟（利特尔法则）：第一秒平均约 9.8 个在途、每个 49.0 ms（本次运行到目前的平均），每秒约 200 个；实际得到响应的是 200 个。
            200 requests/s, sent on schedule whatever the answers: how many requests will be answered in the first second?
              Predicted: 100. Measured: 96. Close: within 10% of the measured value.
              The open model sent 100 requests in the first second on schedule, whatever the answers; each took about 20.0 ms (the run's mean so far), so 96 were answered within it and the rest were still in flight.
            每秒 200 个请求，不论响应如何都按时发送：第一秒内会有多少个请求得到响应？
              你的预测：100；实测：96。接近：与实测值相差不到 10%。
              开放模型在第一秒按计划发送了 100 个请求，不管响应如何；每个大约 20.0 ms（本次运行到目前的平均），所以这一秒内有 96 个得到响应，其余仍在途中。
            100 users, each sending its next request when its last is answered: how many requests will be answered in the first second?
              Predicted: 100. Measured: 0. Off: the measured value is 100% lower than your prediction.
              10 requests were sent in the first second and 0 answered: no answer came back to time.
            100 个用户，每个用户收到上一个响应后才发送下一个请求：第一秒内会有多少个请求得到响应？
              你的预测：100；实测：0。偏差较大：实测值比你的预测低 100%。
              第一秒发送了 10 个请求，得到响应的是 0 个：没有可以计时的响应。"#]].assert_eq(&lines.join("\n"));
    }
}
