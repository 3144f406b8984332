//! The sweep's question: what median speedup will the largest k reach over
//! one worker? Measured from the sweep's medians.

use crate::experiments::sweep::{SweepFigures, SweepOf};
use crate::lang::Said;
use crate::prediction::{Answer, Ask, Measured, Question, Unit};

/// More than any k the page sweeps could reach.
const MAX_SPEEDUP: f64 = 64.0;
const STEP: f64 = 0.1;

/// The question for a sweep of `of` over `ks`; none without a k above 1
/// and a run of one worker to measure speedup against.
pub fn question(of: SweepOf, ks: &[u32]) -> Option<Question> {
    let largest = ks.iter().copied().max().filter(|k| *k > 1 && ks.contains(&1))?;
    let what = of.title();
    Some(Question {
        asks: Said::new(
            format!("{}: what median speedup will k = {largest} reach over k = 1?", what.en),
            format!("{}：k = {largest} 相对 k = 1 的加速比中位数会是多少？", what.zh),
        ),
        ask: Ask::Number { min: 0.0, max: MAX_SPEEDUP, step: STEP, unit: Unit::Times },
        answered_by: Said::new(
            "Run answers it (Compare sweeps again).",
            "按“运行”即可得到答案（“对比”会再扫描一次）。",
        ),
    })
}

/// The largest k's median speedup, with its ceiling and the sweep's
/// reading as why; `None` until that k and k = 1 are measured.
pub fn measured(figures: &SweepFigures) -> Option<Measured> {
    let largest = figures.per_k.last().filter(|k| k.k > 1)?;
    let (k, speedup) = (largest.k, largest.median_speedup);
    let reading = figures.reading.said();
    let bound = match largest.ceiling {
        Some(ceiling) => Said::new(
            format!("at most {k}x with {k} workers, {ceiling:.2}x for this work"),
            format!("{k} 个工作线程最多 {k}x，这项工作最多 {ceiling:.2}x"),
        ),
        None => Said::new(format!("at most {k}x with {k} workers"), format!("{k} 个工作线程最多 {k}x")),
    };
    let why = Said::new(
        format!("k = {k} reached {speedup:.2}x ({}). {}", bound.en, reading.en),
        format!("k = {k} 达到 {speedup:.2}x（{}）。{}", bound.zh, reading.zh),
    );
    Some(Measured { answer: Answer::Value(speedup), why, makespan_ms_per_unit: None })
}

/// The question in one language, for tests.
#[cfg(test)]
pub fn render(of: SweepOf, ks: &[u32], lang: crate::lang::Lang) -> String {
    question(of, ks).map(|question| question.asks.get(lang).to_string()).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use crate::lang::Lang;
    use expect_test::expect;

    use super::*;
    use crate::experiments::sweep::{KFigures, Reading};
    use crate::prediction::compare;

    #[test]
    fn asks_for_the_largest_ks_speedup() {
        assert_eq!(question(SweepOf::Cpu, &[2, 4]), None);
        assert_eq!(question(SweepOf::Cpu, &[1]), None);
        let k = |k: u32, median_speedup: f64| KFigures {
            k,
            runs: 3,
            median_ms: 100.0 / median_speedup,
            median_speedup,
            min_speedup: median_speedup,
            max_speedup: median_speedup,
            efficiency: median_speedup / f64::from(k),
            ceiling: Some(3.6),
            karp_flatt: None,
        };
        let figures = SweepFigures {
            baseline_ms: 100.0,
            per_k: vec![k(1, 1.0), k(2, 1.9), k(4, 2.1)],
            amdahl_serial_fraction: None,
            amdahl_ceiling: None,
            blocking_fraction: None,
            rule_k: None,
            best_k: 2,
            logical_processors: Some(2),
            reading: Reading::PastProcessors { processors: 2, at_k: 2, speedup_at: 1.9, best_past: 2.1 },
        };
        let measured = measured(&figures).expect("k = 4 measured");
        let question = question(SweepOf::Cpu, &[1, 2, 4]).expect("a question");
        let mut lines = Vec::new();
        for guess in [4.0, 2.0] {
            let comparison = compare(&question, Answer::Value(guess), &measured);
            for lang in [Lang::En, Lang::ZhCn] {
                lines.push(render(SweepOf::Cpu, &[1, 2, 4], lang));
                lines.push(format!("  {}", comparison.said.get(lang)));
                lines.push(format!("  {}", comparison.why.get(lang)));
            }
        }
        expect![[r#"
            CPU tasks on k threads: what median speedup will k = 4 reach over k = 1?
              Predicted: 4.00x. Measured: 2.10x. Off: the measured value is 48% lower than your prediction.
              k = 4 reached 2.10x (at most 4x with 4 workers, 3.60x for this work). Past 2 workers nothing is gained (1.90× at k = 2, at most 2.10× beyond): this machine has 2 logical processors.
            k 个线程上的 CPU 任务：k = 4 相对 k = 1 的加速比中位数会是多少？
              你的预测：4.00x；实测：2.10x。偏差较大：实测值比你的预测低 48%。
              k = 4 达到 2.10x（4 个工作线程最多 4x，这项工作最多 3.60x）。超过 2 个工作线程后没有收益（k = 2 时 1.90×，再多也最多 2.10×）：这台机器有 2 个逻辑处理器。
            CPU tasks on k threads: what median speedup will k = 4 reach over k = 1?
              Predicted: 2.00x. Measured: 2.10x. Close: within 10% of the measured value.
              k = 4 reached 2.10x (at most 4x with 4 workers, 3.60x for this work). Past 2 workers nothing is gained (1.90× at k = 2, at most 2.10× beyond): this machine has 2 logical processors.
            k 个线程上的 CPU 任务：k = 4 相对 k = 1 的加速比中位数会是多少？
              你的预测：2.00x；实测：2.10x。接近：与实测值相差不到 10%。
              k = 4 达到 2.10x（4 个工作线程最多 4x，这项工作最多 3.60x）。超过 2 个工作线程后没有收益（k = 2 时 1.90×，再多也最多 2.10×）：这台机器有 2 个逻辑处理器。"#]].assert_eq(&lines.join("\n"));
    }
}
