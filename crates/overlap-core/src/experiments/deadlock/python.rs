//! The Python each scenario mirrors, runnable as shown; the broken
//! variants deadlock as the page's threads do, the fixed ones finish.

use crate::experiments::deadlock::model::{FIXED_TIMEOUT_MS, HOLD_MS, WORK_MS};
use crate::experiments::deadlock::params::Scenario;
use crate::lang::{Lang, Words};

fn seconds(ms: f64) -> f64 {
    ms / 1000.0
}

pub fn python_program(scenario: Scenario, fixed: bool, philosophers: u32, lang: Lang) -> String {
    let say = |en, zh| Words::new(en, zh).get(lang);
    let (hold, work) = (seconds(HOLD_MS), seconds(WORK_MS));
    match scenario {
        Scenario::Locks => {
            let (first, second, comment) = if fixed {
                ("a", "b", say("the same order as thread 1: A, then B", "与线程 1 相同的顺序：先 A 后 B"))
            } else {
                ("b", "a", say("the opposite order: B, then A", "相反的顺序：先 B 后 A"))
            };
            format!(
                "import threading\nimport time\n\na, b = threading.Lock(), threading.Lock()\n\n\
                 def one():\n    with a:\n        time.sleep({hold})\n        with b:  # {}\n            \
                 time.sleep({work})\n    print('thread 1 done')\n\n\
                 def two():\n    with {first}:  # {comment}\n        time.sleep({hold})\n        with {second}:\n            \
                 time.sleep({work})\n    print('thread 2 done')\n\n\
                 threads = [threading.Thread(target=one), threading.Thread(target=two)]\n\
                 for t in threads:\n    t.start()\nfor t in threads:\n    t.join()\n",
                say("waits while thread 2 holds B", "线程 2 拿着 B 时在这里等待"),
            )
        }
        Scenario::Philosophers => {
            let order = if fixed {
                format!(
                    "    first, second = sorted((left, right))  # {}\n",
                    say("the lower-numbered fork first", "先拿编号小的叉子")
                )
            } else {
                format!(
                    "    first, second = left, right  # {}\n",
                    say("left, then right: the last one closes the circle", "先左后右：最后一位让圆圈闭合")
                )
            };
            format!(
                "import threading\nimport time\n\nn = {philosophers}\nforks = [threading.Lock() for _ in range(n)]\n\n\
                 def philosopher(i):\n    left, right = i, (i + 1) % n\n{order}    with forks[first]:\n        \
                 time.sleep({hold})\n        with forks[second]:\n            time.sleep({work})  # {}\n    \
                 print(f'philosopher {{i + 1}} ate')\n\n\
                 threads = [threading.Thread(target=philosopher, args=(i,)) for i in range(n)]\n\
                 for t in threads:\n    t.start()\nfor t in threads:\n    t.join()\n",
                say("eats", "吃饭"),
            )
        }
        Scenario::Mutual => {
            let wait_on_b = if fixed {
                format!(
                    "    try:\n        print(b.result(timeout={}))  # {}\n    except TimeoutError:\n        \
                     print('a gave up waiting for b')\n",
                    seconds(FIXED_TIMEOUT_MS),
                    say("gives up after the timeout", "超时后放弃"),
                )
            } else {
                format!(
                    "    print(b.result())  # {}\n",
                    say("b never finishes: it waits for a", "b 永远不会完成：它在等 a")
                )
            };
            format!(
                "import time\nfrom concurrent.futures import ThreadPoolExecutor\n\n\
                 def wait_on_b():\n    time.sleep({hold})\n{wait_on_b}    return 5\n\n\
                 def wait_on_a():\n    time.sleep({hold})\n    print(a.result())  # {}\n    return 6\n\n\
                 executor = ThreadPoolExecutor(max_workers=2)\na = executor.submit(wait_on_b)\n\
                 b = executor.submit(wait_on_a)\n",
                say("a never finishes: it waits for b", "a 永远不会完成：它在等 b"),
            )
        }
        Scenario::SelfWait => {
            let (workers, comment) = if fixed {
                (2, say("a second worker runs pow", "由第二个工作线程运行 pow"))
            } else {
                (1, say("the only worker is busy waiting for it", "唯一的工作线程正忙着等它"))
            };
            format!(
                "import time\nfrom concurrent.futures import ThreadPoolExecutor\n\n\
                 def wait_on_future():\n    time.sleep({work})\n    f = executor.submit(pow, 5, 2)\n    \
                 print(f.result())  # {comment}\n\n\
                 executor = ThreadPoolExecutor(max_workers={workers})\n\
                 executor.submit(wait_on_future).result()  # {}\n",
                say(
                    "main waits too (at exit, a pool takes no new task)",
                    "main 也等待（解释器退出时，池不再接受新任务）"
                ),
            )
        }
    }
}

#[cfg(test)]
mod tests {
    use strum::VariantArray;

    use super::*;
    use crate::python_check::python_output;

    /// Every fixed program finishes on CPython and prints what it should
    /// (the broken ones deadlock, as they say; they are not run).
    #[test]
    fn every_fixed_program_finishes_on_cpython() {
        for scenario in Scenario::VARIANTS {
            for lang in [Lang::En, Lang::ZhCn] {
                let Some(printed) = python_output(&python_program(*scenario, true, 5, lang)) else { return };
                let mut lines: Vec<&str> = printed.lines().collect();
                lines.sort();
                let expected: Vec<String> = match scenario {
                    Scenario::Locks => vec!["thread 1 done".into(), "thread 2 done".into()],
                    Scenario::Philosophers => {
                        (1..=5).map(|index| format!("philosopher {index} ate")).collect()
                    }
                    Scenario::Mutual => vec!["5".into(), "a gave up waiting for b".into()],
                    Scenario::SelfWait => vec!["25".into()],
                };
                assert_eq!(lines, expected, "{scenario:?}");
            }
        }
    }
}
