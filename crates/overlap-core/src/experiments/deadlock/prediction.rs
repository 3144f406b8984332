//! The deadlock lab's question: will this run deadlock? Measured from the
//! wait-for graph: a cycle found while it stood, or every thread finished.

use crate::experiments::deadlock::Scenario;
use crate::lang::{Said, Words};
use crate::prediction::{Answer, Measured, Question, yes_no};

const DEADLOCKS: usize = 0;
const FINISHES: usize = 1;

pub fn question(scenario: Scenario, fixed: bool) -> Question {
    let title = scenario.title();
    let variant =
        if fixed { Words::new("fixed", "修正后") } else { Words::new("as written", "原来的写法") };
    Question::choice(
        Said::new(
            format!("“{}”, {}: will this run deadlock?", title.en, variant.en),
            format!("“{}”，{}：这次运行会死锁吗？", title.zh, variant.zh),
        ),
        yes_no(
            Words::new("yes, it deadlocks", "会，它会死锁"),
            Words::new("no, every thread finishes", "不会，每个线程都会完成"),
        ),
        Said::new(
            "Run answers it: a deadlock shows as soon as its cycle stands (Compare runs the written variant, then \
             the fix).",
            "按“运行”即可得到答案：环一出现就能看到死锁（“先死锁，再修正”会先运行原来的写法，再运行修正后的）。",
        ),
    )
}

/// What a run showed, once it showed it.
#[derive(Clone, Debug, PartialEq)]
pub struct Facts {
    pub scenario: Scenario,
    pub fixed: bool,
    /// The cycle of waits found, as the page names it; `None` if none stood.
    pub cycle: Option<Said>,
}

pub fn measured(facts: &Facts) -> Measured {
    let (answer, why) = match &facts.cycle {
        Some(cycle) => (
            DEADLOCKS,
            Said::new(
                format!(
                    "The waits closed a cycle ({}): each thread in it waits for what the next one holds, and none \
                     lets go.",
                    cycle.en
                ),
                format!("等待形成了环（{}）：环中每个线程都在等下一个线程拿着的东西，谁也不放手。", cycle.zh),
            ),
        ),
        None if facts.fixed => {
            let fix = facts.scenario.fix();
            (
                FINISHES,
                Said::new(
                    format!("The fix leaves no cycle of waits. {}", fix.en),
                    format!("修正后不会形成等待环。{}", fix.zh),
                ),
            )
        }
        None => (
            FINISHES,
            Said::new(
                "No cycle closed this time: one thread had everything it needed before another began to wait for it.",
                "这次没有形成环：在另一个线程开始等待之前，一个线程已经拿到了它需要的一切。",
            ),
        ),
    };
    Measured { answer: Answer::Option(answer), why, makespan_ms_per_unit: None }
}

/// The question in one language, for tests.
#[cfg(test)]
pub fn render(scenario: Scenario, fixed: bool, lang: crate::lang::Lang) -> String {
    question(scenario, fixed).asks.get(lang).to_string()
}

#[cfg(test)]
mod tests {
    use crate::lang::Lang;
    use expect_test::expect;

    use super::*;
    use crate::prediction::compare;

    #[test]
    fn asks_whether_it_deadlocks_and_names_the_cycle() {
        let cycle = Said::new(
            "cycle: thread 1 → lock B → thread 2 → lock A → thread 1",
            "环：线程 1 → 锁 B → 线程 2 → 锁 A → 线程 1",
        );
        let mut lines = Vec::new();
        for (scenario, fixed, cycle) in [
            (Scenario::Locks, false, Some(cycle)),
            (Scenario::Locks, true, None),
            (Scenario::Philosophers, false, None),
        ] {
            let facts = Facts { scenario, fixed, cycle };
            let comparison = compare(&question(scenario, fixed), Answer::Option(FINISHES), &measured(&facts));
            for lang in [Lang::En, Lang::ZhCn] {
                lines.push(render(scenario, fixed, lang));
                lines.push(format!("  {}", comparison.said.get(lang)));
                lines.push(format!("  {}", comparison.why.get(lang)));
            }
        }
        expect![[r#"
            “Two locks, opposite orders”, as written: will this run deadlock?
              Predicted: no, every thread finishes. Measured: yes, it deadlocks. Not this time.
              The waits closed a cycle (cycle: thread 1 → lock B → thread 2 → lock A → thread 1): each thread in it waits for what the next one holds, and none lets go.
            “两把锁，相反的顺序”，原来的写法：这次运行会死锁吗？
              你的预测：不会，每个线程都会完成；实测：会，它会死锁。这次没猜中。
              等待形成了环（环：线程 1 → 锁 B → 线程 2 → 锁 A → 线程 1）：环中每个线程都在等下一个线程拿着的东西，谁也不放手。
            “Two locks, opposite orders”, fixed: will this run deadlock?
              Predicted: no, every thread finishes. Measured: no, every thread finishes. Right.
              The fix leaves no cycle of waits. One lock order: both threads take A before B, so whoever has A will get B.
            “两把锁，相反的顺序”，修正后：这次运行会死锁吗？
              你的预测：不会，每个线程都会完成；实测：不会，每个线程都会完成。预测正确。
              修正后不会形成等待环。统一加锁顺序：两个线程都先拿 A 再拿 B，拿到 A 的一方一定能拿到 B。
            “Dining philosophers”, as written: will this run deadlock?
              Predicted: no, every thread finishes. Measured: no, every thread finishes. Right.
              No cycle closed this time: one thread had everything it needed before another began to wait for it.
            “哲学家就餐”，原来的写法：这次运行会死锁吗？
              你的预测：不会，每个线程都会完成；实测：不会，每个线程都会完成。预测正确。
              这次没有形成环：在另一个线程开始等待之前，一个线程已经拿到了它需要的一切。"#]].assert_eq(&lines.join("\n"));
    }
}
