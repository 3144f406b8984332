//! A committed prediction against what the run measured: right, close or
//! off, in words, and where the predicted makespan falls on the timeline.

use crate::lang::Said;
use crate::prediction::{Answer, CLOSE_SHARE, Measured, Question};

/// How a prediction fared.
#[derive(Clone, Copy, Debug, PartialEq, Eq, strum::IntoStaticStr)]
#[strum(serialize_all = "lowercase")]
pub enum Verdict {
    /// The option measured, or a number within half a step of it.
    Right,
    /// A number within `CLOSE_SHARE` of the measured one.
    Close,
    Off,
}

impl Verdict {
    /// Its name for tests and styles: `right`, `close`, `off`.
    pub fn name(self) -> &'static str {
        self.into()
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct Comparison {
    pub verdict: Verdict,
    /// What was predicted, what was measured, and how close that is.
    pub said: Said,
    /// The experiment's one line on why the run came out so.
    pub why: Said,
    /// For a question about a makespan: the predicted makespan on the
    /// measured run's timeline.
    pub predicted_makespan_ms: Option<f64>,
    /// Both answers as words, for the page's data attributes and tests.
    pub predicted: Said,
    pub measured: Said,
}

/// `predicted` against `measured`, for `question`.
pub fn compare(question: &Question, predicted: Answer, measured: &Measured) -> Comparison {
    let verdict = match (predicted, measured.answer) {
        (Answer::Option(guess), Answer::Option(found)) => {
            if guess == found {
                Verdict::Right
            } else {
                Verdict::Off
            }
        }
        (Answer::Value(guess), Answer::Value(found)) => {
            let half_step = question.step().unwrap_or(0.0) / 2.0;
            let difference = (guess - found).abs();
            if difference <= half_step + f64::EPSILON * found.abs().max(1.0) {
                Verdict::Right
            } else if difference <= CLOSE_SHARE * found.abs() {
                Verdict::Close
            } else {
                Verdict::Off
            }
        }
        // Answers of two kinds cannot agree.
        _ => Verdict::Off,
    };
    let (guess, found) = (question.say(predicted), question.say(measured.answer));
    let how = how_close(verdict, predicted, measured.answer);
    let said = Said::new(
        format!("Predicted: {}. Measured: {}. {}", guess.en, found.en, how.en),
        format!("你的预测：{}；实测：{}。{}", guess.zh, found.zh, how.zh),
    );
    let predicted_makespan_ms = match (predicted, measured.makespan_ms_per_unit) {
        (Answer::Value(value), Some(per_unit)) => Some(value * per_unit),
        _ => None,
    };
    Comparison {
        verdict,
        said,
        why: measured.why.clone(),
        predicted_makespan_ms,
        predicted: guess,
        measured: found,
    }
}

/// The verdict in words; for a number that is off, how far and which way.
fn how_close(verdict: Verdict, predicted: Answer, measured: Answer) -> Said {
    let percent = (CLOSE_SHARE * 100.0).round();
    match (verdict, predicted, measured) {
        (Verdict::Right, _, _) => Said::new("Right.", "预测正确。"),
        (Verdict::Close, _, _) => Said::new(
            format!("Close: within {percent}% of the measured value."),
            format!("接近：与实测值相差不到 {percent}%。"),
        ),
        (Verdict::Off, Answer::Value(guess), Answer::Value(found)) if guess.abs() > 0.0 => {
            let share = ((found - guess) / guess.abs() * 100.0).abs().round();
            if found < guess {
                Said::new(
                    format!("Off: the measured value is {share}% lower than your prediction."),
                    format!("偏差较大：实测值比你的预测低 {share}%。"),
                )
            } else {
                Said::new(
                    format!("Off: the measured value is {share}% higher than your prediction."),
                    format!("偏差较大：实测值比你的预测高 {share}%。"),
                )
            }
        }
        (Verdict::Off, Answer::Value(_), Answer::Value(found)) => {
            let (en, zh) = if found < 0.0 { ("lower", "低") } else { ("higher", "高") };
            Said::new(
                format!("Off: the measured value is {en} than your prediction."),
                format!("偏差较大：实测值比你的预测{zh}。"),
            )
        }
        (Verdict::Off, _, _) => Said::new("Not this time.", "这次没猜中。"),
    }
}

#[cfg(test)]
mod tests {
    use expect_test::expect;

    use super::*;
    use crate::lang::{Lang, Words};
    use crate::prediction::{Ask, Unit, yes_no};

    fn measured(answer: Answer, per_unit: Option<f64>) -> Measured {
        Measured { answer, why: Said::new("Because.", "因为。"), makespan_ms_per_unit: per_unit }
    }

    #[test]
    fn compares_options_fractions_and_numbers() {
        let said = Said::new("?", "？");
        let deadlock = Question::choice(
            said.clone(),
            yes_no(Words::new("it deadlocks", "会死锁"), Words::new("it finishes", "会完成")),
            said.clone(),
        );
        let fraction = Question { ask: Ask::Fraction { max: 1.5, step: 0.05 }, ..deadlock.clone() };
        let count = Question {
            ask: Ask::Number { min: 0.0, max: 1e9, step: 1.0, unit: Unit::Count },
            ..deadlock.clone()
        };
        let ms =
            Question { ask: Ask::Number { min: 0.0, max: 1e6, step: 1.0, unit: Unit::Ms }, ..count.clone() };
        let cases = [
            (&deadlock, Answer::Option(0), measured(Answer::Option(0), None)),
            (&deadlock, Answer::Option(1), measured(Answer::Option(0), None)),
            (&fraction, Answer::Value(0.5), measured(Answer::Value(0.52), Some(800.0))),
            (&fraction, Answer::Value(0.5), measured(Answer::Value(0.54), Some(800.0))),
            (&fraction, Answer::Value(0.5), measured(Answer::Value(0.98), Some(800.0))),
            (&count, Answer::Value(2_000_000.0), measured(Answer::Value(2_000_000.0), None)),
            (&count, Answer::Value(2_000_000.0), measured(Answer::Value(1_187_305.0), None)),
            (&count, Answer::Value(0.0), measured(Answer::Value(-13.0), None)),
            (&ms, Answer::Value(100.0), measured(Answer::Value(203.4), Some(1.0))),
        ];
        let lines: Vec<String> = cases
            .iter()
            .flat_map(|(question, predicted, measured)| {
                let comparison = compare(question, *predicted, measured);
                let marker = comparison.predicted_makespan_ms.map(|ms| format!(" [marker at {ms} ms]"));
                [
                    format!(
                        "{}: {}{}",
                        comparison.verdict.name(),
                        comparison.said.get(Lang::En),
                        marker.unwrap_or_default()
                    ),
                    format!("    {}", comparison.said.get(Lang::ZhCn)),
                ]
            })
            .collect();
        expect![[r#"
            right: Predicted: it deadlocks. Measured: it deadlocks. Right.
                你的预测：会死锁；实测：会死锁。预测正确。
            off: Predicted: it finishes. Measured: it deadlocks. Not this time.
                你的预测：会完成；实测：会死锁。这次没猜中。
            right: Predicted: 0.50 of the first (50%). Measured: 0.52 of the first (52%). Right. [marker at 400 ms]
                你的预测：第一次的 0.50（50%）；实测：第一次的 0.52（52%）。预测正确。
            close: Predicted: 0.50 of the first (50%). Measured: 0.54 of the first (54%). Close: within 10% of the measured value. [marker at 400 ms]
                你的预测：第一次的 0.50（50%）；实测：第一次的 0.54（54%）。接近：与实测值相差不到 10%。
            off: Predicted: 0.50 of the first (50%). Measured: 0.98 of the first (98%). Off: the measured value is 96% higher than your prediction. [marker at 400 ms]
                你的预测：第一次的 0.50（50%）；实测：第一次的 0.98（98%）。偏差较大：实测值比你的预测高 96%。
            right: Predicted: 2,000,000. Measured: 2,000,000. Right.
                你的预测：2,000,000；实测：2,000,000。预测正确。
            off: Predicted: 2,000,000. Measured: 1,187,305. Off: the measured value is 41% lower than your prediction.
                你的预测：2,000,000；实测：1,187,305。偏差较大：实测值比你的预测低 41%。
            off: Predicted: 0. Measured: -13. Off: the measured value is lower than your prediction.
                你的预测：0；实测：-13。偏差较大：实测值比你的预测低。
            off: Predicted: 100 ms. Measured: 203 ms. Off: the measured value is 103% higher than your prediction. [marker at 100 ms]
                你的预测：100 ms；实测：203 ms。偏差较大：实测值比你的预测高 103%。"#]].assert_eq(&lines.join("\n"));
    }
}
