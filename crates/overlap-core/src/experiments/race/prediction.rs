//! The race's question: what will `n` (or the bank's balance) be once every
//! thread has finished? Measured as the shared value the run left.

use crate::experiments::race::Variant;
use crate::lang::Said;
use crate::prediction::{Answer, Ask, Measured, Question, Unit};
use crate::records::units::{format_count, format_percent, format_whole};

/// Beyond any value the page's threads and increments can reach.
const LIMIT: f64 = 1e12;

pub fn question(variant: Variant, threads: u32, increments: u32) -> Question {
    let m = format_count(increments as usize);
    let variant_title = variant.title();
    let (asks, min) = if variant.counts() {
        (
            Said::new(
                if threads == 1 {
                    format!(
                        "“{}”: 1 thread adds 1 to n, {m} times, starting from n = 0. What will n be at the end?",
                        variant_title.en
                    )
                } else {
                    format!(
                        "“{}”: {threads} threads each add 1 to n, {m} times, starting from n = 0. What will n be \
                         at the end?",
                        variant_title.en
                    )
                },
                format!(
                    "“{}”：{threads} 个线程各把 n 加 1，各加 {m} 次，n 从 0 开始。最后 n 是多少？",
                    variant_title.zh
                ),
            ),
            0.0,
        )
    } else {
        (
            Said::new(
                format!(
                    "“{}”: {}, {m} times, from a balance of 0. What will the balance be at the end?",
                    variant_title.en,
                    if threads == 1 {
                        "1 thread deposits an amount and withdraws it again".to_string()
                    } else {
                        format!("{threads} threads each deposit an amount and withdraw it again")
                    }
                ),
                format!(
                    "“{}”：{threads} 个线程各自存入自己的金额再取出，各做 {m} 次，余额从 0 开始。最后余额是多少？",
                    variant_title.zh
                ),
            ),
            -LIMIT,
        )
    };
    Question {
        asks,
        ask: Ask::Number { min, max: LIMIT, step: 1.0, unit: Unit::Count },
        answered_by: Said::new(
            "Run answers it (or Compare all four, with this variant among them).",
            "按“运行”即可得到答案（“比较全部四种”也包括这一种）。",
        ),
    }
}

/// What a finished run measured.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Facts {
    pub variant: Variant,
    pub threads: u32,
    pub increments: u32,
    pub final_value: i64,
}

pub fn measured(facts: &Facts) -> Measured {
    let Facts { variant, threads, increments, final_value } = *facts;
    let expected = variant.expected_final(threads, increments);
    let (shown_expected, shown_final) = (format_whole(expected), format_whole(final_value));
    let why = if threads == 1 {
        Said::new(
            format!(
                "With one thread nothing can overlap: every update counted, and the value is {shown_final}."
            ),
            format!("只有一个线程，什么都不会重叠：每次更新都算数，结果是 {shown_final}。"),
        )
    } else {
        match variant {
            Variant::Unsafe if final_value < expected => {
                let lost = expected - final_value;
                let share = format_percent(lost as f64 / expected.max(1) as f64);
                let lost = format_whole(lost);
                Said::new(
                    format!(
                        "{lost} of the {shown_expected} updates were lost ({share}): two threads read the same n, each \
                         added 1, and the second write wiped out the first."
                    ),
                    format!(
                        "{shown_expected} 次更新中丢失了 {lost} 次（{share}）：两个线程读到同一个 n，各加 1，后一次写入覆盖了前一次。"
                    ),
                )
            }
            Variant::Unsafe => Said::new(
                format!(
                    "No update was lost this time: the threads barely overlapped. Nothing stops it: with more threads \
                     or increments, reads and writes interleave and n ends below {shown_expected}."
                ),
                format!(
                    "这次没有丢失更新：线程几乎没有重叠。但没有任何东西能阻止它：线程或次数多一些，读写就会交错，n 会小于 {shown_expected}。"
                ),
            ),
            Variant::Lock => Said::new(
                format!(
                    "The lock lets one thread at a time read, add and write, so no update can be lost: n ends at \
                     {shown_expected}."
                ),
                format!("锁让同一时刻只有一个线程读、加、写，所以不会丢失更新：n 最后是 {shown_expected}。"),
            ),
            Variant::Atomic => Said::new(
                format!(
                    "fetch_add reads, adds and writes as one indivisible step, so nothing is lost: n ends at \
                     {shown_expected}."
                ),
                format!(
                    "fetch_add 把读、加、写作为一个不可分割的步骤完成，所以什么都不会丢：n 最后是 {shown_expected}。"
                ),
            ),
            Variant::Bank if final_value == expected => Said::new(
                "Every deposit was undone by its withdrawal without a race between them this time: the balance is \
                 back at 0.",
                "这次每笔存款都被对应的取款抵消，中间没有发生竞态：余额回到了 0。",
            ),
            Variant::Bank => Said::new(
                format!(
                    "Deposits and withdrawals of different threads raced: an update read a balance another thread was \
                     changing and wrote over it, so the balance ended {shown_final} instead of 0."
                ),
                format!(
                    "不同线程的存款和取款发生了竞态：一次更新读到了另一个线程正在修改的余额并覆盖了它，所以余额最后是 {shown_final}，而不是 0。"
                ),
            ),
        }
    };
    Measured { answer: Answer::Value(final_value as f64), why, makespan_ms_per_unit: None }
}

/// The question in one language, for tests.
#[cfg(test)]
pub fn render(variant: Variant, threads: u32, increments: u32, lang: crate::lang::Lang) -> String {
    question(variant, threads, increments).asks.get(lang).to_string()
}

#[cfg(test)]
mod tests {
    use crate::lang::Lang;
    use expect_test::expect;

    use super::*;
    use crate::prediction::compare;

    #[test]
    fn asks_for_the_final_value_and_says_why_it_ended_there() {
        let mut lines = Vec::new();
        for (variant, threads, final_value, guess) in [
            (Variant::Unsafe, 4, 2_113_502, 4_000_000.0),
            (Variant::Unsafe, 4, 4_000_000, 4_000_000.0),
            (Variant::Unsafe, 1, 1_000_000, 1_000_000.0),
            (Variant::Lock, 4, 4_000_000, 4_000_000.0),
            (Variant::Atomic, 4, 4_000_000, 3_900_000.0),
            (Variant::Bank, 4, -1_304, 0.0),
            (Variant::Bank, 4, 0, 0.0),
        ] {
            let facts = Facts { variant, threads, increments: 1_000_000, final_value };
            let comparison =
                compare(&question(variant, threads, 1_000_000), Answer::Value(guess), &measured(&facts));
            for lang in [Lang::En, Lang::ZhCn] {
                lines.push(render(variant, threads, 1_000_000, lang));
                lines.push(format!("  {}", comparison.said.get(lang)));
                lines.push(format!("  {}", comparison.why.get(lang)));
            }
        }
        expect![[r#"
            “Unprotected n += 1”: 4 threads each add 1 to n, 1,000,000 times, starting from n = 0. What will n be at the end?
              Predicted: 4,000,000. Measured: 2,113,502. Off: the measured value is 47% lower than your prediction.
              1,886,498 of the 4,000,000 updates were lost (47%): two threads read the same n, each added 1, and the second write wiped out the first.
            “不加保护的 n += 1”：4 个线程各把 n 加 1，各加 1,000,000 次，n 从 0 开始。最后 n 是多少？
              你的预测：4,000,000；实测：2,113,502。偏差较大：实测值比你的预测低 47%。
              4,000,000 次更新中丢失了 1,886,498 次（47%）：两个线程读到同一个 n，各加 1，后一次写入覆盖了前一次。
            “Unprotected n += 1”: 4 threads each add 1 to n, 1,000,000 times, starting from n = 0. What will n be at the end?
              Predicted: 4,000,000. Measured: 4,000,000. Right.
              No update was lost this time: the threads barely overlapped. Nothing stops it: with more threads or increments, reads and writes interleave and n ends below 4,000,000.
            “不加保护的 n += 1”：4 个线程各把 n 加 1，各加 1,000,000 次，n 从 0 开始。最后 n 是多少？
              你的预测：4,000,000；实测：4,000,000。预测正确。
              这次没有丢失更新：线程几乎没有重叠。但没有任何东西能阻止它：线程或次数多一些，读写就会交错，n 会小于 4,000,000。
            “Unprotected n += 1”: 1 thread adds 1 to n, 1,000,000 times, starting from n = 0. What will n be at the end?
              Predicted: 1,000,000. Measured: 1,000,000. Right.
              With one thread nothing can overlap: every update counted, and the value is 1,000,000.
            “不加保护的 n += 1”：1 个线程各把 n 加 1，各加 1,000,000 次，n 从 0 开始。最后 n 是多少？
              你的预测：1,000,000；实测：1,000,000。预测正确。
              只有一个线程，什么都不会重叠：每次更新都算数，结果是 1,000,000。
            “Under a lock”: 4 threads each add 1 to n, 1,000,000 times, starting from n = 0. What will n be at the end?
              Predicted: 4,000,000. Measured: 4,000,000. Right.
              The lock lets one thread at a time read, add and write, so no update can be lost: n ends at 4,000,000.
            “加锁”：4 个线程各把 n 加 1，各加 1,000,000 次，n 从 0 开始。最后 n 是多少？
              你的预测：4,000,000；实测：4,000,000。预测正确。
              锁让同一时刻只有一个线程读、加、写，所以不会丢失更新：n 最后是 4,000,000。
            “Atomic fetch_add”: 4 threads each add 1 to n, 1,000,000 times, starting from n = 0. What will n be at the end?
              Predicted: 3,900,000. Measured: 4,000,000. Close: within 10% of the measured value.
              fetch_add reads, adds and writes as one indivisible step, so nothing is lost: n ends at 4,000,000.
            “原子操作 fetch_add”：4 个线程各把 n 加 1，各加 1,000,000 次，n 从 0 开始。最后 n 是多少？
              你的预测：3,900,000；实测：4,000,000。接近：与实测值相差不到 10%。
              fetch_add 把读、加、写作为一个不可分割的步骤完成，所以什么都不会丢：n 最后是 4,000,000。
            “Bank balance”: 4 threads each deposit an amount and withdraw it again, 1,000,000 times, from a balance of 0. What will the balance be at the end?
              Predicted: 0. Measured: -1,304. Off: the measured value is lower than your prediction.
              Deposits and withdrawals of different threads raced: an update read a balance another thread was changing and wrote over it, so the balance ended -1,304 instead of 0.
            “银行余额”：4 个线程各自存入自己的金额再取出，各做 1,000,000 次，余额从 0 开始。最后余额是多少？
              你的预测：0；实测：-1,304。偏差较大：实测值比你的预测低。
              不同线程的存款和取款发生了竞态：一次更新读到了另一个线程正在修改的余额并覆盖了它，所以余额最后是 -1,304，而不是 0。
            “Bank balance”: 4 threads each deposit an amount and withdraw it again, 1,000,000 times, from a balance of 0. What will the balance be at the end?
              Predicted: 0. Measured: 0. Right.
              Every deposit was undone by its withdrawal without a race between them this time: the balance is back at 0.
            “银行余额”：4 个线程各自存入自己的金额再取出，各做 1,000,000 次，余额从 0 开始。最后余额是多少？
              你的预测：0；实测：0。预测正确。
              这次每笔存款都被对应的取款抵消，中间没有发生竞态：余额回到了 0。"#]].assert_eq(&lines.join("\n"));
    }
}
