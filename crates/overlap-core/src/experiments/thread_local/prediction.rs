//! Thread-local data's question: what will the threads' own totals add up
//! to? Measured against the shared atomic total the same tasks added to.

use crate::experiments::thread_local::{ThreadLocalFigures, expected_total};
use crate::lang::{Lang, Said};
use crate::prediction::{Answer, Measured, Question};
use crate::records::units::format_whole;
use crate::timeline::text::thread_label;

const EQUAL: usize = 0;
const LESS: usize = 1;
const MORE: usize = 2;

/// At most this many threads' totals are named in the explanation.
const NAMED_THREADS: usize = 4;

pub fn question(threads: u32, tasks: u32) -> Question {
    let expected = format_whole(expected_total(tasks) as i64);
    Question::choice(
        Said::new(
            format!(
                "{threads} {} run {tasks} tasks; each task adds its number (1 to {tasks}) to its thread's own total \
                 (thread-local) and to one shared total. What will the threads' own totals add up to?",
                if threads == 1 { "thread" } else { "threads" }
            ),
            format!(
                "{threads} 个线程运行 {tasks} 个任务；每个任务把自己的编号（1 到 {tasks}）加到所在线程自己的总数（线程局部数据）和一个共享的总数上。\
                 各线程自己的总数加起来是多少？"
            ),
        ),
        vec![
            Said::new(
                format!("exactly the shared total: 1 + 2 + … + {tasks} = {expected}"),
                format!("正好等于共享的总数：1 + 2 + … + {tasks} = {expected}"),
            ),
            Said::new("less: threads overwrite each other's totals", "更少：线程会覆盖彼此的总数"),
            Said::new("more: some tasks are counted twice", "更多：有些任务被算了两次"),
        ],
        Said::new(
            "Run answers it (or Compare, whose second run has these threads).",
            "按“运行”即可得到答案（或者“比较”，它的第二次运行使用这些线程）。",
        ),
    )
}

pub fn measured(figures: &ThreadLocalFigures) -> Measured {
    let answer = match figures.sum_of_locals.cmp(&figures.shared_total) {
        std::cmp::Ordering::Equal => EQUAL,
        std::cmp::Ordering::Less => LESS,
        std::cmp::Ordering::Greater => MORE,
    };
    let totals = |lang: Lang, separator: &str, colon: &str| {
        let mut named: Vec<String> = figures
            .per_thread
            .iter()
            .take(NAMED_THREADS)
            .map(|thread| {
                format!(
                    "{}{colon}{}",
                    thread_label(thread.thread, lang),
                    format_whole(thread.local_sum as i64)
                )
            })
            .collect();
        if figures.per_thread.len() > NAMED_THREADS {
            named.push("…".to_string());
        }
        named.join(separator)
    };
    let (threads, sum, shared) = (
        figures.per_thread.len(),
        format_whole(figures.sum_of_locals as i64),
        format_whole(figures.shared_total as i64),
    );
    let why = if answer == EQUAL {
        Said::new(
            format!(
                "Each thread added only to its own total, which no other thread reads or writes: the {threads} \
                 threads' totals ({}) add up to {sum}, the shared atomic's {shared}.",
                totals(Lang::En, ", ", ": ")
            ),
            format!(
                "每个线程只加到自己的总数上，别的线程不会读写它：这 {threads} 个线程的总数（{}）加起来是 {sum}，等于共享原子变量的 {shared}。",
                totals(Lang::ZhCn, "，", "：")
            ),
        )
    } else {
        Said::new(
            format!(
                "The threads' totals ({}) add up to {sum}, not the shared {shared}: a thread's total was touched by \
                 another thread, which thread-local data must not allow.",
                totals(Lang::En, ", ", ": ")
            ),
            format!(
                "各线程的总数（{}）加起来是 {sum}，而不是共享的 {shared}：某个线程的总数被别的线程动过，线程局部数据本不该允许这样。",
                totals(Lang::ZhCn, "，", "：")
            ),
        )
    };
    Measured { answer: Answer::Option(answer), why, makespan_ms_per_unit: None }
}

/// The question in one language, for tests.
#[cfg(test)]
pub fn render(threads: u32, tasks: u32, lang: Lang) -> String {
    question(threads, tasks).asks.get(lang).to_string()
}

#[cfg(test)]
mod tests {
    use expect_test::expect;

    use super::*;
    use crate::experiments::thread_local::ThreadFigures;
    use crate::prediction::compare;

    #[test]
    fn asks_what_the_own_totals_add_up_to() {
        let thread = |thread, tasks, local_sum| ThreadFigures { thread, student: "Alice", tasks, local_sum };
        let figures = |per_thread: Vec<ThreadFigures>, shared_total| ThreadLocalFigures {
            sum_of_locals: per_thread.iter().map(|thread| thread.local_sum).sum(),
            shared_total,
            expected: 210,
            students_kept_apart: true,
            per_thread,
        };
        let mut lines = Vec::new();
        for (figures, guess) in [
            (figures(vec![thread(0, 8, 90), thread(1, 7, 70), thread(2, 5, 50)], 210), LESS),
            (figures((0..6).map(|t| thread(t, 3, 35)).collect(), 210), EQUAL),
            (figures(vec![thread(0, 8, 90), thread(1, 7, 70)], 210), EQUAL),
        ] {
            let comparison = compare(&question(3, 20), Answer::Option(guess), &measured(&figures));
            for lang in [Lang::En, Lang::ZhCn] {
                lines.push(render(3, 20, lang));
                lines.push(format!("  {}", comparison.said.get(lang)));
                lines.push(format!("  {}", comparison.why.get(lang)));
            }
        }
        expect![[r#"
            3 threads run 20 tasks; each task adds its number (1 to 20) to its thread's own total (thread-local) and to one shared total. What will the threads' own totals add up to?
              Predicted: less: threads overwrite each other's totals. Measured: exactly the shared total: 1 + 2 + … + 20 = 210. Not this time.
              Each thread added only to its own total, which no other thread reads or writes: the 3 threads' totals (thread 1: 90, thread 2: 70, thread 3: 50) add up to 210, the shared atomic's 210.
            3 个线程运行 20 个任务；每个任务把自己的编号（1 到 20）加到所在线程自己的总数（线程局部数据）和一个共享的总数上。各线程自己的总数加起来是多少？
              你的预测：更少：线程会覆盖彼此的总数；实测：正好等于共享的总数：1 + 2 + … + 20 = 210。这次没猜中。
              每个线程只加到自己的总数上，别的线程不会读写它：这 3 个线程的总数（线程 1：90，线程 2：70，线程 3：50）加起来是 210，等于共享原子变量的 210。
            3 threads run 20 tasks; each task adds its number (1 to 20) to its thread's own total (thread-local) and to one shared total. What will the threads' own totals add up to?
              Predicted: exactly the shared total: 1 + 2 + … + 20 = 210. Measured: exactly the shared total: 1 + 2 + … + 20 = 210. Right.
              Each thread added only to its own total, which no other thread reads or writes: the 6 threads' totals (thread 1: 35, thread 2: 35, thread 3: 35, thread 4: 35, …) add up to 210, the shared atomic's 210.
            3 个线程运行 20 个任务；每个任务把自己的编号（1 到 20）加到所在线程自己的总数（线程局部数据）和一个共享的总数上。各线程自己的总数加起来是多少？
              你的预测：正好等于共享的总数：1 + 2 + … + 20 = 210；实测：正好等于共享的总数：1 + 2 + … + 20 = 210。预测正确。
              每个线程只加到自己的总数上，别的线程不会读写它：这 6 个线程的总数（线程 1：35，线程 2：35，线程 3：35，线程 4：35，…）加起来是 210，等于共享原子变量的 210。
            3 threads run 20 tasks; each task adds its number (1 to 20) to its thread's own total (thread-local) and to one shared total. What will the threads' own totals add up to?
              Predicted: exactly the shared total: 1 + 2 + … + 20 = 210. Measured: less: threads overwrite each other's totals. Not this time.
              The threads' totals (thread 1: 90, thread 2: 70) add up to 160, not the shared 210: a thread's total was touched by another thread, which thread-local data must not allow.
            3 个线程运行 20 个任务；每个任务把自己的编号（1 到 20）加到所在线程自己的总数（线程局部数据）和一个共享的总数上。各线程自己的总数加起来是多少？
              你的预测：正好等于共享的总数：1 + 2 + … + 20 = 210；实测：更少：线程会覆盖彼此的总数。这次没猜中。
              各线程的总数（线程 1：90，线程 2：70）加起来是 160，而不是共享的 210：某个线程的总数被别的线程动过，线程局部数据本不该允许这样。"#]].assert_eq(&lines.join("\n"));
    }
}
