//! The queue's question: which side will hold the other up? Measured from
//! who waited (producers on a full queue, consumers on an empty one) and how
//! deep an unbounded queue grew, as the run's reading says.

use crate::experiments::queue::{Bottleneck, QueueFigures, QueueParams};
use crate::lang::Said;
use crate::prediction::{Answer, Measured, Question};

const CONSUMERS: usize = 0;
const PRODUCERS: usize = 1;
const NEITHER: usize = 2;

pub fn question(params: &QueueParams) -> Question {
    let QueueParams { producers, consumers, produce_ms, consume_ms, .. } = *params;
    let plural = |count: u32, one: &'static str, many: &'static str| if count == 1 { one } else { many };
    let (producers_en, consumers_en) =
        (plural(producers, "producer", "producers"), plural(consumers, "consumer", "consumers"));
    let queue = if params.bounded() {
        Said::new(format!("a queue of {}", params.capacity), format!("容量为 {} 的队列", params.capacity))
    } else {
        Said::new("an unbounded queue", "无界队列")
    };
    Question::choice(
        Said::new(
            format!(
                "{producers} {producers_en} making an item every {produce_ms} ms, {consumers} {consumers_en} taking \
                 {consume_ms} ms over each, {}: which side will hold the other up?",
                queue.en
            ),
            format!(
                "{producers} 个生产者每 {produce_ms} 毫秒产出一个条目，{consumers} 个消费者每个条目处理 {consume_ms} 毫秒，{}：哪一边会拖住另一边？",
                queue.zh
            ),
        ),
        vec![
            Said::new(
                "the consumers: producers wait on a full queue, or the queue grows",
                "消费者：生产者要等满的队列，或者队列越积越长",
            ),
            Said::new("the producers: consumers wait on an empty queue", "生产者：消费者要等空的队列"),
            Said::new("neither: the two sides keep pace", "都不会：两边步调一致"),
        ],
        Said::new(
            "Run answers it (or Compare, whose runs all answer it).",
            "按“运行”即可得到答案（“对比”的每次运行也都能回答）。",
        ),
    )
}

/// The side measured, and the run's own reading as why; `None` when items
/// were lost or handled twice, where waits mean nothing.
pub fn measured(params: &QueueParams, figures: &QueueFigures) -> Option<Measured> {
    let answer = match figures.bottleneck(params) {
        Bottleneck::Broken => return None,
        Bottleneck::ConsumersQueueGrew | Bottleneck::Consumers => CONSUMERS,
        Bottleneck::Producers => PRODUCERS,
        Bottleneck::Neither => NEITHER,
    };
    Some(Measured {
        answer: Answer::Option(answer),
        why: figures.reading(params),
        makespan_ms_per_unit: None,
    })
}

/// The question in one language, for tests.
#[cfg(test)]
pub fn render(params: &QueueParams, lang: crate::lang::Lang) -> String {
    question(params).asks.get(lang).to_string()
}

#[cfg(test)]
mod tests {
    use crate::lang::Lang;
    use expect_test::expect;

    use super::*;
    use crate::experiments::queue::QueueOn;
    use crate::prediction::compare;

    #[test]
    fn asks_which_side_holds_the_other_up() {
        let params = QueueParams {
            on: QueueOn::Threads,
            producers: 1,
            consumers: 3,
            capacity: 10,
            items: 30,
            produce_ms: 10,
            consume_ms: 50,
            ..QueueParams::default()
        };
        let figures = |producer_blocked_share, consumer_blocked_share, lost| QueueFigures {
            items_expected: 30,
            items_produced: 30,
            items_consumed: 30 - lost,
            duplicates: 0,
            lost,
            window_ms: 600.0,
            throughput_per_s: 50.0,
            arrival_per_ms: 0.05,
            mean_wait_ms: 100.0,
            mean_depth: 5.0,
            littles_law_ratio: Some(1.0),
            max_depth: 10,
            producer_blocked_share,
            consumer_blocked_share,
            stopped_exactly: lost == 0,
        };
        let mut lines = Vec::new();
        for figures in [figures(0.6, 0.05, 0), figures(0.0, 0.5, 0), figures(0.1, 0.1, 0)] {
            let Some(measured) = measured(&params, &figures) else { continue };
            let comparison = compare(&question(&params), Answer::Option(CONSUMERS), &measured);
            for lang in [Lang::En, Lang::ZhCn] {
                lines.push(render(&params, lang));
                lines.push(format!("  {}", comparison.said.get(lang)));
                lines.push(format!("  {}", comparison.why.get(lang)));
            }
        }
        expect![[r#"
            1 producer making an item every 10 ms, 3 consumers taking 50 ms over each, a queue of 10: which side will hold the other up?
              Predicted: the consumers: producers wait on a full queue, or the queue grows. Measured: the consumers: producers wait on a full queue, or the queue grows. Right.
              Producers waited 60% of their time on a full queue: the consumers are the bottleneck. Add consumers or make them faster; a bigger queue only puts the wait off.
            1 个生产者每 10 毫秒产出一个条目，3 个消费者每个条目处理 50 毫秒，容量为 10 的队列：哪一边会拖住另一边？
              你的预测：消费者：生产者要等满的队列，或者队列越积越长；实测：消费者：生产者要等满的队列，或者队列越积越长。预测正确。
              生产者有 60% 的时间在等待满的队列：瓶颈在消费者。增加消费者或让它们更快；更大的队列只会推迟等待。
            1 producer making an item every 10 ms, 3 consumers taking 50 ms over each, a queue of 10: which side will hold the other up?
              Predicted: the consumers: producers wait on a full queue, or the queue grows. Measured: the producers: consumers wait on an empty queue. Not this time.
              Consumers waited 50% of their time on an empty queue: the producers are the bottleneck. Add producers or make them faster; more consumers would only wait more.
            1 个生产者每 10 毫秒产出一个条目，3 个消费者每个条目处理 50 毫秒，容量为 10 的队列：哪一边会拖住另一边？
              你的预测：消费者：生产者要等满的队列，或者队列越积越长；实测：生产者：消费者要等空的队列。这次没猜中。
              消费者有 50% 的时间在等待空的队列：瓶颈在生产者。增加生产者或让它们更快；更多消费者只会等得更多。
            1 producer making an item every 10 ms, 3 consumers taking 50 ms over each, a queue of 10: which side will hold the other up?
              Predicted: the consumers: producers wait on a full queue, or the queue grows. Measured: neither: the two sides keep pace. Not this time.
              Neither side waited long (producers 10%, consumers 10% of their time): the two sides keep pace.
            1 个生产者每 10 毫秒产出一个条目，3 个消费者每个条目处理 50 毫秒，容量为 10 的队列：哪一边会拖住另一边？
              你的预测：消费者：生产者要等满的队列，或者队列越积越长；实测：都不会：两边步调一致。这次没猜中。
              两边都没有等太久（生产者 10%，消费者 10%）：两边步调一致。"#]].assert_eq(&lines.join("\n"));
        assert_eq!(measured(&params, &figures(0.6, 0.0, 2)), None);
    }
}
