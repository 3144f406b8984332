//! Predict, then run: every experiment asks one question before Run (which
//! run finishes first, the second run's makespan as a fraction of the
//! first, the final value of `n`, …); the learner commits an answer, runs,
//! and reads what was predicted against what the run measured, with one line
//! on why it came out so. Each experiment's `prediction.rs` says its question
//! and reads the measured answer from figures its page already has; this
//! room holds what every question shares: the kinds of answer, reading what
//! was typed, saying an answer, and the comparison, all as data in both
//! languages. Nothing is sent anywhere: a prediction lives in the page.

mod compare;

pub use compare::{Comparison, Verdict, compare};

use crate::lang::{Said, Words};
use crate::records::units::{format_ms, format_whole};

/// How close a number must be to count as close: within this share of the
/// measured value.
pub const CLOSE_SHARE: f64 = 0.1;

/// What a question asks for, and how it is answered.
#[derive(Clone, Debug, PartialEq)]
pub enum Ask {
    /// One of these options.
    Choice(Vec<Said>),
    /// A share on a slider from 0 to `max` in steps of `step`: a run's
    /// makespan as a fraction of another's.
    Fraction { max: f64, step: f64 },
    /// A number typed in, from `min` to `max`, in steps of `step`.
    Number { min: f64, max: f64, step: f64, unit: Unit },
}

/// What a typed number counts, and so how it is written.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Unit {
    /// Whole things: requests, the value of a counter.
    Count,
    /// Milliseconds of the page's clock.
    Ms,
    /// Seconds of a program's own clock (the notes' seconds, each `unit_ms`).
    Seconds,
    /// A ratio such as a speedup: `2.4x`.
    Times,
}

impl Unit {
    /// What the field's label says the number is in.
    pub fn name(self) -> Words {
        match self {
            Unit::Count => Words::new("a whole number", "整数"),
            Unit::Ms => Words::new("milliseconds", "毫秒"),
            Unit::Seconds => Words::new("seconds", "秒"),
            Unit::Times => Words::new("times", "倍"),
        }
    }

    /// `value` as a person reads it in this unit.
    pub fn say(self, value: f64) -> Said {
        match self {
            // Past an i64 the cast saturates; no question's range goes there.
            Unit::Count => Said::as_given(format_whole(value.round() as i64)),
            Unit::Ms => Said::as_given(format_ms(value)),
            Unit::Seconds => Said::new(format!("{value:.1} s"), format!("{value:.1} 秒")),
            Unit::Times => Said::as_given(format!("{value:.2}x")),
        }
    }
}

/// One experiment's question as it stands for the parameters chosen.
#[derive(Clone, Debug, PartialEq)]
pub struct Question {
    /// The question itself.
    pub asks: Said,
    pub ask: Ask,
    /// Which button's run answers it.
    pub answered_by: Said,
}

/// An answer: an option's index, or a number.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Answer {
    Option(usize),
    Value(f64),
}

impl Question {
    /// A choice between options.
    pub fn choice(asks: Said, options: Vec<Said>, answered_by: Said) -> Self {
        Question { asks, ask: Ask::Choice(options), answered_by }
    }

    /// What the learner chose or typed (`text`: an option's index, or the
    /// number), checked against the question; `Err` says why it is no answer.
    pub fn read(&self, text: &str) -> Result<Answer, Said> {
        let text = text.trim();
        match &self.ask {
            Ask::Choice(options) => text
                .parse::<usize>()
                .ok()
                .filter(|index| *index < options.len())
                .map(Answer::Option)
                .ok_or_else(|| Said::new("choose one of the answers", "请选择一个答案")),
            Ask::Fraction { max, .. } => read_number(text, 0.0, *max),
            Ask::Number { min, max, .. } => read_number(text, *min, *max),
        }
    }

    /// An answer in words: the option's own, or the number in its unit.
    pub fn say(&self, answer: Answer) -> Said {
        match (&self.ask, answer) {
            (Ask::Choice(options), Answer::Option(index)) => {
                options.get(index).cloned().unwrap_or_else(|| Said::as_given("?"))
            }
            (Ask::Fraction { .. }, Answer::Value(share)) => {
                // Both written from one rounding, so they never disagree.
                let percent = (share * 100.0).round();
                let share = percent / 100.0;
                Said::new(
                    format!("{share:.2} of the first ({percent}%)"),
                    format!("第一次的 {share:.2}（{percent}%）"),
                )
            }
            (Ask::Number { unit, .. }, Answer::Value(value)) => unit.say(value),
            // An answer of the other kind cannot be committed (`read`); said
            // as it is rather than hidden.
            (_, Answer::Option(index)) => Said::as_given(index.to_string()),
            (_, Answer::Value(value)) => Said::as_given(value.to_string()),
        }
    }

    /// The step between answers a number can take, where it is a number.
    pub fn step(&self) -> Option<f64> {
        match self.ask {
            Ask::Choice(_) => None,
            Ask::Fraction { step, .. } | Ask::Number { step, .. } => Some(step),
        }
    }
}

fn read_number(text: &str, min: f64, max: f64) -> Result<Answer, Said> {
    let (low, high) = (bound_text(min), bound_text(max));
    let range = || {
        Said::new(format!("give a number from {low} to {high}"), format!("请给出 {low} 到 {high} 之间的数"))
    };
    let value = text.parse::<f64>().map_err(|_| range())?;
    (value.is_finite() && (min..=max).contains(&value)).then_some(Answer::Value(value)).ok_or_else(range)
}

/// A range's end as the message says it: whole numbers with their
/// thousands separated.
fn bound_text(value: f64) -> String {
    if value.fract() == 0.0 && value.abs() < 1e15 { Unit::Count.say(value).en } else { value.to_string() }
}

/// What a run measured, as the answer to its question, and why it came out so.
#[derive(Clone, Debug, PartialEq)]
pub struct Measured {
    pub answer: Answer,
    /// One line on why the run came out this way, from its own figures.
    pub why: Said,
    /// For a question about a makespan: how many milliseconds of the
    /// measured run's timeline one unit of the answer is (1 for a typed
    /// makespan, the first run's makespan for a fraction of it, one of the
    /// notes' seconds), so the predicted makespan can be marked on it.
    pub makespan_ms_per_unit: Option<f64>,
}

/// Both languages' words for a yes-or-no question's two options, yes first.
pub fn yes_no(yes: Words, no: Words) -> Vec<Said> {
    vec![Said::new(yes.en, yes.zh), Said::new(no.en, no.zh)]
}

/// The question and an answer in one language, for tests and logs.
#[cfg(test)]
pub fn render(question: &Question, answer: Answer, lang: crate::lang::Lang) -> String {
    format!("{} -> {}", question.asks.get(lang), question.say(answer).get(lang))
}

/// The question in one language, with its options where it offers some,
/// for tests.
#[cfg(test)]
pub fn asked(question: &Question, lang: crate::lang::Lang) -> String {
    match &question.ask {
        Ask::Choice(options) => format!(
            "{} [{}]",
            question.asks.get(lang),
            options.iter().map(|option| option.get(lang)).collect::<Vec<_>>().join(" | ")
        ),
        _ => question.asks.get(lang).to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lang::Lang;

    fn number(unit: Unit) -> Question {
        Question {
            asks: Said::new("How many?", "多少？"),
            ask: Ask::Number { min: -10.0, max: 1e6, step: 1.0, unit },
            answered_by: Said::new("Run", "运行"),
        }
    }

    #[test]
    fn reads_what_was_typed_or_says_why_not() {
        let choice = Question::choice(
            Said::new("Deadlock?", "会死锁吗？"),
            yes_no(Words::new("yes", "会"), Words::new("no", "不会")),
            Said::new("Run", "运行"),
        );
        assert_eq!(choice.read("1"), Ok(Answer::Option(1)));
        assert_eq!(choice.read("2").map_err(|said| said.en), Err("choose one of the answers".to_string()));
        let slider = Question { ask: Ask::Fraction { max: 1.5, step: 0.05 }, ..choice.clone() };
        assert_eq!(slider.read(" 0.55 "), Ok(Answer::Value(0.55)));
        assert_eq!(slider.read("1.6").map_err(|said| said.zh), Err("请给出 0 到 1.5 之间的数".to_string()));
        assert_eq!(
            number(Unit::Count).read("1e7").map_err(|said| said.en),
            Err("give a number from -10 to 1,000,000".to_string())
        );
        assert!(number(Unit::Count).read("NaN").is_err());
        assert!(number(Unit::Count).read("").is_err());
        assert_eq!(number(Unit::Count).read("-3"), Ok(Answer::Value(-3.0)));
    }

    #[test]
    fn says_an_answer_in_its_unit_in_both_languages() {
        let said: Vec<String> = [
            (number(Unit::Count), 2_000_000.0),
            (number(Unit::Count), -13.0),
            (number(Unit::Ms), 1234.0),
            (number(Unit::Seconds), 4.0),
            (number(Unit::Times), 2.4),
        ]
        .iter()
        .flat_map(|(question, value)| {
            let said = question.say(Answer::Value(*value));
            [said.en, said.zh]
        })
        .collect();
        assert_eq!(
            said,
            ["2,000,000", "2,000,000", "-13", "-13", "1.23 s", "1.23 s", "4.0 s", "4.0 秒", "2.40x", "2.40x"]
        );
        let slider = Question { ask: Ask::Fraction { max: 1.5, step: 0.05 }, ..number(Unit::Count) };
        assert_eq!(render(&slider, Answer::Value(0.5), Lang::En), "How many? -> 0.50 of the first (50%)");
        assert_eq!(render(&slider, Answer::Value(0.5), Lang::ZhCn), "多少？ -> 第一次的 0.50（50%）");
    }
}
