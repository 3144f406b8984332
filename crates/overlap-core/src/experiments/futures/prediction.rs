//! The futures lab's question: Compare plays the scenario with one worker,
//! then with more; which run finishes first? Measured from the two runs'
//! times. Not every answer is "more workers": shutdown waits for every task
//! already running, and more workers start more of them.

use crate::experiments::futures::{FuturesParams, Scenario};
use crate::lang::Said;
use crate::prediction::{Answer, Measured, Question};
use crate::records::units::format_ms;

/// Runs within this share of the longer one's time finish "about the same".
const SAME_SHARE: f64 = 0.1;

/// The options, in order.
const ONE_WORKER: usize = 0;
const MORE_WORKERS: usize = 1;
const ABOUT_THE_SAME: usize = 2;

/// The workers Compare plays after one: the chosen number, or two when one
/// is chosen.
pub fn compared_workers(workers: u32) -> u32 {
    if workers == 1 { 2 } else { workers }
}

/// The question for `params`; none for the sandbox, whose calls are the
/// learner's own and which Compare does not play.
pub fn question(params: &FuturesParams) -> Option<Question> {
    if params.scenario == Scenario::Sandbox {
        return None;
    }
    let k = compared_workers(params.workers);
    let scenario = params.scenario.title();
    let percent = (SAME_SHARE * 100.0).round();
    Some(Question::choice(
        Said::new(
            format!(
                "Compare plays “{}” with 1 worker, then with {k}. Which run finishes first?",
                scenario.en
            ),
            format!("“比较”先用 1 个工作线程、再用 {k} 个运行“{}”。哪次运行先结束？", scenario.zh),
        ),
        vec![
            Said::new("the run with 1 worker", "1 个工作线程的那次"),
            Said::new(format!("the run with {k} workers"), format!("{k} 个工作线程的那次")),
            Said::new(
                format!("about the same (within {percent}%)"),
                format!("差不多（相差不到 {percent}%）"),
            ),
        ],
        Said::new(
            "Compare answers it (or Run, after a run of the same scenario with 1 worker).",
            "“比较”会给出答案（或者在同一场景用 1 个工作线程运行之后按“运行”）。",
        ),
    ))
}

/// What the two runs of one scenario measured.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Facts {
    pub scenario: Scenario,
    pub one_worker_ms: f64,
    pub workers: u32,
    pub workers_ms: f64,
}

pub fn measured(facts: &Facts) -> Measured {
    let Facts { scenario, one_worker_ms, workers: k, workers_ms } = *facts;
    let (one, more) = (format_ms(one_worker_ms), format_ms(workers_ms));
    let longer_ms = one_worker_ms.max(workers_ms);
    let (answer, why) = if (one_worker_ms - workers_ms).abs() <= SAME_SHARE * longer_ms {
        (
            ABOUT_THE_SAME,
            Said::new(
                format!(
                    "Both took about as long ({one} with 1 worker, {more} with {k}): the main thread's own waits set \
                     the pace, not the workers."
                ),
                format!(
                    "两次用时差不多（1 个工作线程 {one}，{k} 个 {more}）：决定节奏的是主线程自己的等待，而不是工作线程。"
                ),
            ),
        )
    } else if workers_ms < one_worker_ms {
        (
            MORE_WORKERS,
            Said::new(
                format!(
                    "With {k} workers the tasks ran side by side: {more}, against {one} with 1 worker, which ran them \
                     one after another."
                ),
                format!("{k} 个工作线程让任务并行运行：用了 {more}；1 个工作线程只能逐个运行，用了 {one}。"),
            ),
        )
    } else if scenario == Scenario::Shutdown {
        (
            ONE_WORKER,
            Said::new(
                format!(
                    "1 worker was faster ({one} against {more}): shutdown(cancel_futures=True) cancels only the \
                     futures still pending and waits for every running one; with {k} workers more were running."
                ),
                format!(
                    "1 个工作线程反而更快（{one}，对比 {more}）：shutdown(cancel_futures=True) 只取消仍在等待的 Future，\
                     并等所有正在运行的任务结束；{k} 个工作线程时正在运行的任务更多。"
                ),
            ),
        )
    } else {
        (
            ONE_WORKER,
            Said::new(
                format!(
                    "1 worker was faster ({one} against {more}): with {k} workers more tasks were already running when \
                     the main thread stopped waiting, and the program waited for them."
                ),
                format!(
                    "1 个工作线程反而更快（{one}，对比 {more}）：{k} 个工作线程时，主线程不再等待的那一刻已有更多任务在运行，程序要等它们结束。"
                ),
            ),
        )
    };
    Measured { answer: Answer::Option(answer), why, makespan_ms_per_unit: None }
}

/// The question and its options in one language, for tests.
#[cfg(test)]
pub fn render(params: &FuturesParams, lang: crate::lang::Lang) -> String {
    question(params).map_or_else(String::new, |question| crate::prediction::asked(&question, lang))
}

#[cfg(test)]
mod tests {
    use crate::lang::Lang;
    use expect_test::expect;

    use super::*;
    use crate::experiments::futures::{script, simulate};
    use crate::prediction::compare;

    #[test]
    fn asks_which_run_finishes_first_and_reads_the_two_times() {
        let mut lines = Vec::new();
        for scenario in [Scenario::Map, Scenario::Shutdown, Scenario::Timeout] {
            let params = FuturesParams { scenario, workers: 2, unit_ms: 100 };
            // The times the virtual clock gives, as a run would measure them.
            let time = |workers| simulate(script(scenario), workers, 100).time_ms;
            let facts = Facts { scenario, one_worker_ms: time(1), workers: 2, workers_ms: time(2) };
            let question = question(&params).expect("a scenario has a question");
            let comparison = compare(&question, Answer::Option(MORE_WORKERS), &measured(&facts));
            for lang in [Lang::En, Lang::ZhCn] {
                lines.push(render(&params, lang));
                lines.push(format!("  {}", comparison.said.get(lang)));
                lines.push(format!("  {}", comparison.why.get(lang)));
            }
        }
        let same = Facts { scenario: Scenario::Wait, one_worker_ms: 500.0, workers: 3, workers_ms: 470.0 };
        lines.push(measured(&same).why.get(Lang::En).to_string());
        expect![[r#"
            Compare plays “executor.map” with 1 worker, then with 2. Which run finishes first? [the run with 1 worker | the run with 2 workers | about the same (within 10%)]
              Predicted: the run with 2 workers. Measured: the run with 2 workers. Right.
              With 2 workers the tasks ran side by side: 800 ms, against 1.50 s with 1 worker, which ran them one after another.
            “比较”先用 1 个工作线程、再用 2 个运行“executor.map”。哪次运行先结束？ [1 个工作线程的那次 | 2 个工作线程的那次 | 差不多（相差不到 10%）]
              你的预测：2 个工作线程的那次；实测：2 个工作线程的那次。预测正确。
              2 个工作线程让任务并行运行：用了 800 ms；1 个工作线程只能逐个运行，用了 1.50 s。
            Compare plays “shutdown(cancel_futures=True)” with 1 worker, then with 2. Which run finishes first? [the run with 1 worker | the run with 2 workers | about the same (within 10%)]
              Predicted: the run with 2 workers. Measured: the run with 1 worker. Not this time.
              1 worker was faster (300 ms against 400 ms): shutdown(cancel_futures=True) cancels only the futures still pending and waits for every running one; with 2 workers more were running.
            “比较”先用 1 个工作线程、再用 2 个运行“shutdown(cancel_futures=True)”。哪次运行先结束？ [1 个工作线程的那次 | 2 个工作线程的那次 | 差不多（相差不到 10%）]
              你的预测：2 个工作线程的那次；实测：1 个工作线程的那次。这次没猜中。
              1 个工作线程反而更快（300 ms，对比 400 ms）：shutdown(cancel_futures=True) 只取消仍在等待的 Future，并等所有正在运行的任务结束；2 个工作线程时正在运行的任务更多。
            Compare plays “result(timeout)” with 1 worker, then with 2. Which run finishes first? [the run with 1 worker | the run with 2 workers | about the same (within 10%)]
              Predicted: the run with 2 workers. Measured: the run with 2 workers. Right.
              With 2 workers the tasks ran side by side: 500 ms, against 700 ms with 1 worker, which ran them one after another.
            “比较”先用 1 个工作线程、再用 2 个运行“result(timeout)”。哪次运行先结束？ [1 个工作线程的那次 | 2 个工作线程的那次 | 差不多（相差不到 10%）]
              你的预测：2 个工作线程的那次；实测：2 个工作线程的那次。预测正确。
              2 个工作线程让任务并行运行：用了 500 ms；1 个工作线程只能逐个运行，用了 700 ms。
            Both took about as long (500 ms with 1 worker, 470 ms with 3): the main thread's own waits set the pace, not the workers."#]].assert_eq(&lines.join("\n"));
        let sandbox = FuturesParams { scenario: Scenario::Sandbox, ..FuturesParams::default() };
        assert_eq!(question(&sandbox), None);
        assert_eq!((compared_workers(1), compared_workers(3)), (2, 3));
    }
}
