//! The CPU experiment's question: Compare runs the work sequentially, then
//! in the chosen mode; what fraction of the first run's makespan will the
//! second take? Measured from the two runs' makespans.

use crate::experiments::cpu::{CpuMode, CpuParams};
use crate::lang::{Lang, Said};
use crate::prediction::{Answer, Ask, Measured, Question};
use crate::records::units::format_ms;

/// The slider's end: an isolated worker's start-up can make a short run
/// slower than sequential, so the slider goes past 1.
const MAX_FRACTION: f64 = 2.0;
pub const STEP: f64 = 0.05;

/// The question for `params`, with `workers` workers.
pub fn question(params: &CpuParams, workers: u32) -> Question {
    let run = |lang: Lang| params.mode.run_title(workers, lang);
    let (asks, answered_by) = if params.mode == CpuMode::Sequential {
        (
            Said::new(
                "The same work, sequentially, twice: what fraction of the first run's makespan will the second take?",
                "同样的工作顺序执行两次：第二次的总耗时是第一次的几分之几？",
            ),
            Said::new("Two presses of Run answer it.", "按两次“运行”即可得到答案。"),
        )
    } else {
        (
            Said::new(
                format!(
                    "Compare runs this work sequentially, then as “{}”. What fraction of the sequential run's \
                     makespan will the second run take?",
                    run(Lang::En)
                ),
                format!(
                    "“对比”先顺序执行这项工作，再以“{}”运行。第二次运行的总耗时是顺序执行的几分之几？",
                    run(Lang::ZhCn)
                ),
            ),
            Said::new(
                "Compare answers it (or Run, after a sequential run of the same work).",
                "“对比”会给出答案（或者在同样工作的顺序执行之后按“运行”）。",
            ),
        )
    };
    Question { asks, ask: Ask::Fraction { max: MAX_FRACTION, step: STEP }, answered_by }
}

/// What the two runs measured.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Facts {
    pub mode: CpuMode,
    pub workers: u32,
    /// The earlier, sequential run's makespan.
    pub sequential_ms: f64,
    /// The run that answers the question.
    pub makespan_ms: f64,
    /// The best speedup these tasks allow on `workers` (from the sequential
    /// run's task times), where every task was recorded.
    pub ceiling: Option<f64>,
    /// Time the run spent starting isolated workers and copying their data.
    pub starting_ms: f64,
    pub serialising_ms: f64,
    /// Time its threads waited for the global lock.
    pub waiting_for_lock_ms: f64,
}

/// The measured fraction, and why; `None` without a sequential makespan.
pub fn measured(facts: &Facts) -> Option<Measured> {
    if facts.sequential_ms <= 0.0 {
        return None;
    }
    let fraction = facts.makespan_ms / facts.sequential_ms;
    let k = facts.workers;
    let why = match facts.mode {
        CpuMode::Sequential => Said::new(
            "The same work on one thread takes about the same time again; what differs is noise from the \
             browser, other tabs and the processor's clock.",
            "同样的工作在一个线程上再做一次，耗时大致相同；差别来自浏览器、其他标签页和处理器频率的波动。",
        ),
        CpuMode::Threads => match facts.ceiling {
            // Faster than the tasks allow: the sequential run was slower than
            // its work, and the fraction says more about it than about threads.
            Some(ceiling) if ceiling > 0.0 && fraction < 0.9 / ceiling => {
                let best = 1.0 / ceiling;
                Said::new(
                    format!(
                        "The run took {fraction:.2}, less than the {best:.2} these tasks allow on {k} threads: the \
                         sequential run was slower than its work (a busy machine, or the browser still warming up \
                         its first tasks). Compare again to see it settle."
                    ),
                    format!(
                        "实际用了 {fraction:.2}，比这些任务在 {k} 个线程上理论上最少需要的 {best:.2} 还少：顺序执行那次比它的工作本身更慢\
                         （机器正忙，或者浏览器还在为最初的任务预热）。再对比一次，看看结果是否稳定下来。"
                    ),
                )
            }
            Some(ceiling) if ceiling > 0.0 => {
                let best = 1.0 / ceiling;
                Said::new(
                    format!(
                        "On {k} threads these tasks allow at best {best:.2} of the sequential makespan (the ceiling, \
                         {ceiling:.2}x, set by how the tasks divide); the run took {fraction:.2}: the rest went to \
                         starting, waiting and sharing the cores."
                    ),
                    format!(
                        "在 {k} 个线程上，这些任务最好也只能用到顺序执行总耗时的 {best:.2}（理论上限 {ceiling:.2}x，\
                         取决于任务如何划分）；实际用了 {fraction:.2}：其余花在启动、等待和共享处理器核心上。"
                    ),
                )
            }
            _ => Said::new(
                format!(
                    "{k} threads can at best take 1/{k} of the sequential makespan; the run took {fraction:.2}: \
                     unequal tasks, start-up and shared cores make up the rest."
                ),
                format!(
                    "{k} 个线程最好也只能用到顺序执行总耗时的 1/{k}；实际用了 {fraction:.2}：其余来自不均匀的任务、启动和共享的处理器核心。"
                ),
            ),
        },
        CpuMode::Workers => {
            let overhead = format_ms(facts.starting_ms + facts.serialising_ms);
            Said::new(
                format!(
                    "Isolated workers compute side by side too, but each first starts its own module and copies \
                     its inputs in: {overhead} of worker time went to that, which a short run feels most."
                ),
                format!(
                    "隔离工作者同样并行计算，但每个都要先启动自己的模块并把输入复制进去：工作者在这上面花了 {overhead}，运行越短，影响越明显。"
                ),
            )
        }
        CpuMode::Gil => {
            let waited = format_ms(facts.waiting_for_lock_ms);
            Said::new(
                format!(
                    "Only the thread holding the global lock computes, so the tasks still ran one at a time: the \
                     threads waited {waited} for the lock, and the run took {fraction:.2} of the sequential one."
                ),
                format!(
                    "只有持有全局锁的线程才能计算，所以任务仍然一次只运行一个：线程等锁共 {waited}，总耗时是顺序执行的 {fraction:.2}。"
                ),
            )
        }
    };
    Some(Measured { answer: Answer::Value(fraction), why, makespan_ms_per_unit: Some(facts.sequential_ms) })
}

#[cfg(test)]
mod tests {
    use expect_test::expect;

    use super::*;
    use crate::prediction::compare;

    #[test]
    fn asks_and_measures_the_second_run_against_the_first() {
        let facts = |mode, makespan_ms, ceiling| Facts {
            mode,
            workers: 4,
            sequential_ms: 800.0,
            makespan_ms,
            ceiling,
            starting_ms: 120.0,
            serialising_ms: 8.0,
            waiting_for_lock_ms: 2400.0,
        };
        let cases = [
            (CpuMode::Threads, 0.25, facts(CpuMode::Threads, 260.0, Some(3.8))),
            (CpuMode::Threads, 0.25, facts(CpuMode::Threads, 260.0, None)),
            (CpuMode::Threads, 0.5, facts(CpuMode::Threads, 72.0, Some(1.3))),
            (CpuMode::Workers, 0.3, facts(CpuMode::Workers, 400.0, Some(3.8))),
            (CpuMode::Gil, 0.25, facts(CpuMode::Gil, 812.0, Some(3.8))),
            (CpuMode::Sequential, 1.0, facts(CpuMode::Sequential, 790.0, None)),
        ];
        let mut lines = Vec::new();
        for (mode, guess, facts) in cases {
            let question = question(&CpuParams { mode, ..CpuParams::default() }, 4);
            let Some(measured) = measured(&facts) else { continue };
            let comparison = compare(&question, Answer::Value(guess), &measured);
            for lang in [Lang::En, Lang::ZhCn] {
                lines.push(question.asks.get(lang).to_string());
                lines.push(format!("  {}", comparison.said.get(lang)));
                lines.push(format!("  {}", comparison.why.get(lang)));
            }
            lines.push(format!("  marker at {:?} ms", comparison.predicted_makespan_ms));
        }
        expect![[r#"
            Compare runs this work sequentially, then as “Threads, 4 workers”. What fraction of the sequential run's makespan will the second run take?
              Predicted: 0.25 of the first (25%). Measured: 0.33 of the first (33%). Off: the measured value is 30% higher than your prediction.
              On 4 threads these tasks allow at best 0.26 of the sequential makespan (the ceiling, 3.80x, set by how the tasks divide); the run took 0.33: the rest went to starting, waiting and sharing the cores.
            “对比”先顺序执行这项工作，再以“多线程，4 个工作线程”运行。第二次运行的总耗时是顺序执行的几分之几？
              你的预测：第一次的 0.25（25%）；实测：第一次的 0.33（33%）。偏差较大：实测值比你的预测高 30%。
              在 4 个线程上，这些任务最好也只能用到顺序执行总耗时的 0.26（理论上限 3.80x，取决于任务如何划分）；实际用了 0.33：其余花在启动、等待和共享处理器核心上。
              marker at Some(200.0) ms
            Compare runs this work sequentially, then as “Threads, 4 workers”. What fraction of the sequential run's makespan will the second run take?
              Predicted: 0.25 of the first (25%). Measured: 0.33 of the first (33%). Off: the measured value is 30% higher than your prediction.
              4 threads can at best take 1/4 of the sequential makespan; the run took 0.33: unequal tasks, start-up and shared cores make up the rest.
            “对比”先顺序执行这项工作，再以“多线程，4 个工作线程”运行。第二次运行的总耗时是顺序执行的几分之几？
              你的预测：第一次的 0.25（25%）；实测：第一次的 0.33（33%）。偏差较大：实测值比你的预测高 30%。
              4 个线程最好也只能用到顺序执行总耗时的 1/4；实际用了 0.33：其余来自不均匀的任务、启动和共享的处理器核心。
              marker at Some(200.0) ms
            Compare runs this work sequentially, then as “Threads, 4 workers”. What fraction of the sequential run's makespan will the second run take?
              Predicted: 0.50 of the first (50%). Measured: 0.09 of the first (9%). Off: the measured value is 82% lower than your prediction.
              The run took 0.09, less than the 0.77 these tasks allow on 4 threads: the sequential run was slower than its work (a busy machine, or the browser still warming up its first tasks). Compare again to see it settle.
            “对比”先顺序执行这项工作，再以“多线程，4 个工作线程”运行。第二次运行的总耗时是顺序执行的几分之几？
              你的预测：第一次的 0.50（50%）；实测：第一次的 0.09（9%）。偏差较大：实测值比你的预测低 82%。
              实际用了 0.09，比这些任务在 4 个线程上理论上最少需要的 0.77 还少：顺序执行那次比它的工作本身更慢（机器正忙，或者浏览器还在为最初的任务预热）。再对比一次，看看结果是否稳定下来。
              marker at Some(400.0) ms
            Compare runs this work sequentially, then as “Isolated workers, 4 workers”. What fraction of the sequential run's makespan will the second run take?
              Predicted: 0.30 of the first (30%). Measured: 0.50 of the first (50%). Off: the measured value is 67% higher than your prediction.
              Isolated workers compute side by side too, but each first starts its own module and copies its inputs in: 128 ms of worker time went to that, which a short run feels most.
            “对比”先顺序执行这项工作，再以“隔离工作者，4 个工作者”运行。第二次运行的总耗时是顺序执行的几分之几？
              你的预测：第一次的 0.30（30%）；实测：第一次的 0.50（50%）。偏差较大：实测值比你的预测高 67%。
              隔离工作者同样并行计算，但每个都要先启动自己的模块并把输入复制进去：工作者在这上面花了 128 ms，运行越短，影响越明显。
              marker at Some(240.0) ms
            Compare runs this work sequentially, then as “Global lock, 4 workers”. What fraction of the sequential run's makespan will the second run take?
              Predicted: 0.25 of the first (25%). Measured: 1.01 of the first (101%). Off: the measured value is 306% higher than your prediction.
              Only the thread holding the global lock computes, so the tasks still ran one at a time: the threads waited 2.40 s for the lock, and the run took 1.01 of the sequential one.
            “对比”先顺序执行这项工作，再以“全局锁，4 个工作线程”运行。第二次运行的总耗时是顺序执行的几分之几？
              你的预测：第一次的 0.25（25%）；实测：第一次的 1.01（101%）。偏差较大：实测值比你的预测高 306%。
              只有持有全局锁的线程才能计算，所以任务仍然一次只运行一个：线程等锁共 2.40 s，总耗时是顺序执行的 1.01。
              marker at Some(200.0) ms
            The same work, sequentially, twice: what fraction of the first run's makespan will the second take?
              Predicted: 1.00 of the first (100%). Measured: 0.99 of the first (99%). Right.
              The same work on one thread takes about the same time again; what differs is noise from the browser, other tabs and the processor's clock.
            同样的工作顺序执行两次：第二次的总耗时是第一次的几分之几？
              你的预测：第一次的 1.00（100%）；实测：第一次的 0.99（99%）。预测正确。
              同样的工作在一个线程上再做一次，耗时大致相同；差别来自浏览器、其他标签页和处理器频率的波动。
              marker at Some(800.0) ms"#]].assert_eq(&lines.join("\n"));
        assert_eq!(measured(&Facts { sequential_ms: 0.0, ..facts(CpuMode::Threads, 1.0, None) }), None);
    }
}
