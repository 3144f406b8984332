//! Taking turns' question: will the threads print in strict turn, A B C
//! A B C …, all the way? Measured from the sequence the run printed.

use crate::experiments::lockstep::{Coordination, expected_sequence, letter};
use crate::lang::Said;
use crate::prediction::{Answer, Measured, Question};

const STRICT: usize = 0;
const BROKEN: usize = 1;

pub fn question(coordination: Coordination, threads: u32, rounds: u32) -> Question {
    let title = coordination.title();
    let turn: String =
        (0..threads.min(3)).map(|thread| letter(thread).to_string()).collect::<Vec<_>>().join(" ");
    Question::choice(
        Said::new(
            format!(
                "“{}”: {threads} threads print their letters in turn, {turn} …, for {rounds} rounds. Will the whole \
                 sequence keep the strict turn?",
                title.en
            ),
            format!(
                "“{}”：{threads} 个线程轮流打印自己的字母 {turn} …，共 {rounds} 轮。整个序列会严格按轮次吗？",
                title.zh
            ),
        ),
        vec![
            Said::new("yes, strictly in turn to the end", "会，一直严格按轮次"),
            Said::new("no, the order breaks somewhere", "不会，顺序会在某处乱掉"),
        ],
        Said::new(
            "Run answers it (or Compare all four, with this one among them).",
            "按“运行”即可得到答案（“比较全部四种”也包括这一种）。",
        ),
    )
}

/// Where the printed letters first leave the strict turn, counting from 1;
/// `None` if they never do.
pub fn first_break(printed: &str, threads: u32, rounds: u32) -> Option<usize> {
    let expected = expected_sequence(threads, rounds);
    if printed == expected {
        return None;
    }
    let same = printed.chars().zip(expected.chars()).take_while(|(got, want)| got == want).count();
    Some(same + 1)
}

/// What the run printed, as the question needs it.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Facts {
    pub coordination: Coordination,
    pub prints: usize,
    /// `first_break` of the printed letters.
    pub first_break: Option<usize>,
}

pub fn measured(facts: &Facts) -> Measured {
    let Facts { coordination, prints, first_break } = *facts;
    let why = match (coordination, first_break) {
        (Coordination::None, Some(at)) => Said::new(
            format!(
                "Nothing made the threads take turns: each printed as soon as it ran, so the letters came in the \
                 order the threads happened to run, out of turn from letter {at}."
            ),
            format!(
                "没有任何东西让线程轮流：每个线程一运行就打印，字母按线程碰巧运行的顺序出现，从第 {at} 个字母起就乱了。"
            ),
        ),
        (Coordination::None, None) => Said::new(
            format!(
                "Nothing made the threads take turns; this time all {prints} letters happened to come in turn. \
                 Nothing keeps it so: with more rounds or threads the order breaks."
            ),
            format!(
                "没有任何东西让线程轮流；这次 {prints} 个字母碰巧按轮次出现。但没有东西保证这一点：轮数或线程多一些，顺序就会乱。"
            ),
        ),
        (_, Some(at)) => Said::new(
            format!(
                "The order broke at letter {at} even so: a thread had its turn before the one before it passed it on."
            ),
            format!(
                "即便如此，顺序还是在第 {at} 个字母处乱了：某个线程在上一个线程交出轮次之前就拿到了轮次。"
            ),
        ),
        (Coordination::Locks, None) => Said::new(
            format!(
                "Each thread waits on its own lock, which only the thread before it releases: all {prints} letters \
                 kept the turn."
            ),
            format!("每个线程都在等自己的锁，而这把锁只有前一个线程会释放：{prints} 个字母都严格按轮次。"),
        ),
        (Coordination::Condvar, None) => Said::new(
            format!(
                "Each thread sleeps on the condition variable until the turn counter names it: all {prints} letters \
                 kept the turn."
            ),
            format!("每个线程都在条件变量上等待，直到轮次计数轮到自己：{prints} 个字母都严格按轮次。"),
        ),
        (Coordination::Atomics, None) => Said::new(
            format!(
                "Each thread waits on the turn word until it holds its number, and the one before it notifies: all \
                 {prints} letters kept the turn."
            ),
            format!(
                "每个线程都在轮次字上等待，直到它等于自己的编号、由前一个线程通知：{prints} 个字母都严格按轮次。"
            ),
        ),
    };
    let answer = if first_break.is_none() { STRICT } else { BROKEN };
    Measured { answer: Answer::Option(answer), why, makespan_ms_per_unit: None }
}

/// The question in one language, for tests.
#[cfg(test)]
pub fn render(coordination: Coordination, threads: u32, rounds: u32, lang: crate::lang::Lang) -> String {
    question(coordination, threads, rounds).asks.get(lang).to_string()
}

#[cfg(test)]
mod tests {
    use crate::lang::Lang;
    use expect_test::expect;

    use super::*;
    use crate::prediction::compare;

    #[test]
    fn asks_whether_the_turn_holds_and_finds_where_it_broke() {
        assert_eq!(first_break("ABCABC", 3, 2), None);
        assert_eq!(first_break("ABCBAC", 3, 2), Some(4));
        assert_eq!(first_break("ABC", 3, 2), Some(4));
        let mut lines = Vec::new();
        for (coordination, printed) in [
            (Coordination::None, "ABCBCA"),
            (Coordination::None, "ABCABC"),
            (Coordination::Locks, "ABCABC"),
            (Coordination::Condvar, "ABCABC"),
            (Coordination::Atomics, "ABCABC"),
            (Coordination::Atomics, "ABCACB"),
        ] {
            let facts =
                Facts { coordination, prints: printed.len(), first_break: first_break(printed, 3, 2) };
            let comparison =
                compare(&question(coordination, 3, 2), Answer::Option(STRICT), &measured(&facts));
            for lang in [Lang::En, Lang::ZhCn] {
                lines.push(render(coordination, 3, 2, lang));
                lines.push(format!("  {}", comparison.said.get(lang)));
                lines.push(format!("  {}", comparison.why.get(lang)));
            }
        }
        expect![[r#"
            “No coordination”: 3 threads print their letters in turn, A B C …, for 2 rounds. Will the whole sequence keep the strict turn?
              Predicted: yes, strictly in turn to the end. Measured: no, the order breaks somewhere. Not this time.
              Nothing made the threads take turns: each printed as soon as it ran, so the letters came in the order the threads happened to run, out of turn from letter 4.
            “不做协调”：3 个线程轮流打印自己的字母 A B C …，共 2 轮。整个序列会严格按轮次吗？
              你的预测：会，一直严格按轮次；实测：不会，顺序会在某处乱掉。这次没猜中。
              没有任何东西让线程轮流：每个线程一运行就打印，字母按线程碰巧运行的顺序出现，从第 4 个字母起就乱了。
            “No coordination”: 3 threads print their letters in turn, A B C …, for 2 rounds. Will the whole sequence keep the strict turn?
              Predicted: yes, strictly in turn to the end. Measured: yes, strictly in turn to the end. Right.
              Nothing made the threads take turns; this time all 6 letters happened to come in turn. Nothing keeps it so: with more rounds or threads the order breaks.
            “不做协调”：3 个线程轮流打印自己的字母 A B C …，共 2 轮。整个序列会严格按轮次吗？
              你的预测：会，一直严格按轮次；实测：会，一直严格按轮次。预测正确。
              没有任何东西让线程轮流；这次 6 个字母碰巧按轮次出现。但没有东西保证这一点：轮数或线程多一些，顺序就会乱。
            “Chained locks”: 3 threads print their letters in turn, A B C …, for 2 rounds. Will the whole sequence keep the strict turn?
              Predicted: yes, strictly in turn to the end. Measured: yes, strictly in turn to the end. Right.
              Each thread waits on its own lock, which only the thread before it releases: all 6 letters kept the turn.
            “链式的锁”：3 个线程轮流打印自己的字母 A B C …，共 2 轮。整个序列会严格按轮次吗？
              你的预测：会，一直严格按轮次；实测：会，一直严格按轮次。预测正确。
              每个线程都在等自己的锁，而这把锁只有前一个线程会释放：6 个字母都严格按轮次。
            “Condition variable”: 3 threads print their letters in turn, A B C …, for 2 rounds. Will the whole sequence keep the strict turn?
              Predicted: yes, strictly in turn to the end. Measured: yes, strictly in turn to the end. Right.
              Each thread sleeps on the condition variable until the turn counter names it: all 6 letters kept the turn.
            “条件变量”：3 个线程轮流打印自己的字母 A B C …，共 2 轮。整个序列会严格按轮次吗？
              你的预测：会，一直严格按轮次；实测：会，一直严格按轮次。预测正确。
              每个线程都在条件变量上等待，直到轮次计数轮到自己：6 个字母都严格按轮次。
            “Wait/notify on a turn word”: 3 threads print their letters in turn, A B C …, for 2 rounds. Will the whole sequence keep the strict turn?
              Predicted: yes, strictly in turn to the end. Measured: yes, strictly in turn to the end. Right.
              Each thread waits on the turn word until it holds its number, and the one before it notifies: all 6 letters kept the turn.
            “在轮次字上等待/通知”：3 个线程轮流打印自己的字母 A B C …，共 2 轮。整个序列会严格按轮次吗？
              你的预测：会，一直严格按轮次；实测：会，一直严格按轮次。预测正确。
              每个线程都在轮次字上等待，直到它等于自己的编号、由前一个线程通知：6 个字母都严格按轮次。
            “Wait/notify on a turn word”: 3 threads print their letters in turn, A B C …, for 2 rounds. Will the whole sequence keep the strict turn?
              Predicted: yes, strictly in turn to the end. Measured: no, the order breaks somewhere. Not this time.
              The order broke at letter 5 even so: a thread had its turn before the one before it passed it on.
            “在轮次字上等待/通知”：3 个线程轮流打印自己的字母 A B C …，共 2 轮。整个序列会严格按轮次吗？
              你的预测：会，一直严格按轮次；实测：不会，顺序会在某处乱掉。这次没猜中。
              即便如此，顺序还是在第 5 个字母处乱了：某个线程在上一个线程交出轮次之前就拿到了轮次。"#]].assert_eq(&lines.join("\n"));
    }
}
