//! The Python a run mirrors, written from its calls, runnable as shown: a
//! scenario's program, or the sandbox's calls as the learner made them.
//! It prints the lines the page prints.

use crate::experiments::futures::executor::TaskSpec;
use crate::experiments::futures::program::{Op, python_seconds};
use crate::lang::{Lang, Words};

/// Units as a reader writes them: `6`, `2.5`.
fn units_text(units: f64) -> String {
    if units.fract() == 0.0 { format!("{units:.0}") } else { format!("{units}") }
}

fn task_args(number: usize, task: TaskSpec) -> String {
    let fails = if task.fails { ", fails=True" } else { "" };
    format!("do_something, {number}, {}{fails}", units_text(task.units))
}

fn list(numbers: impl Iterator<Item = String>) -> String {
    format!("[{}]", numbers.collect::<Vec<_>>().join(", "))
}

pub fn python_program(ops: &[Op], max_workers: u32, unit_ms: u32, lang: Lang) -> String {
    let say = |en, zh| Words::new(en, zh).get(lang);
    let uses = |wanted: fn(&Op) -> bool| ops.iter().any(wanted);
    let mut names = vec!["ThreadPoolExecutor"];
    if uses(|op| matches!(op, Op::AsCompleted)) {
        names.push("as_completed");
    }
    let waits: Vec<&'static str> = ops
        .iter()
        .filter_map(|op| match op {
            Op::Wait(when) => Some(when.name()),
            _ => None,
        })
        .collect();
    if !waits.is_empty() {
        names.push("wait");
        names.extend(&waits);
    }
    let mut out = String::from("import time\n");
    out += &format!("from concurrent.futures import {}\n", names.join(", "));
    if uses(|op| matches!(op, Op::AddDoneCallback(_))) {
        out += "from functools import partial\n";
    }
    out += &format!(
        "\nUNIT = {}  # {}\n\n\n",
        python_seconds(1.0, unit_ms),
        say("one of the notes' seconds, at this run's scale", "笔记中的一秒，按本次运行的比例缩放")
    );
    out += "def do_something(n, seconds, fails=False):\n    time.sleep(seconds * UNIT)\n    if fails:\n        \
            raise ValueError(f'task {n} failed')\n    return n * 10\n\n\n";
    out += "def state(f):\n    if f.cancelled():\n        return 'cancelled'\n    if f.done():\n        \
            return 'finished'\n    return 'running' if f.running() else 'pending'\n\n\n";
    out += &format!(
        "def outcome(f, timeout=None):\n    try:\n        return f.result(timeout)\n    except Exception as e:  # {}\n        \
         return repr(e)\n\n\n",
        say("result() raises what the task raised", "result() 会再次抛出任务抛出的异常")
    );
    if uses(|op| matches!(op, Op::Exception(_))) {
        out += &format!(
            "def exception_of(f):\n    try:\n        return repr(f.exception())\n    except Exception as e:  # {}\n        \
             return repr(e)\n\n\n",
            say("a cancelled future raises CancelledError", "已取消的 Future 会抛出 CancelledError")
        );
    }
    if uses(|op| matches!(op, Op::AddDoneCallback(_))) {
        out += "def report(n, f):\n    if f.cancelled():\n        print(f'callback: future {n} cancelled')\n    else:\n        \
                print(f'callback: future {n} -> {outcome(f)}')\n\n\n";
    }
    out += &format!("with ThreadPoolExecutor(max_workers={max_workers}) as executor:\n");
    // Futures so far, named f1, f2, … (a map's are not named).
    let mut futures = 0usize;
    let mut named: Vec<usize> = Vec::new();
    let mut shut_down = false;
    let all = |named: &[usize]| list(named.iter().map(|number| format!("f{number}")));
    for op in ops {
        match op {
            Op::Submit(task) if shut_down => {
                out += &format!(
                    "    try:\n        f{n} = executor.submit({})\n    except RuntimeError as e:  # {}\n        \
                     print(f'submit() -> {{e!r}}')\n",
                    task_args(futures + 1, *task),
                    say("no new task after shutdown", "关闭之后不再接受新任务"),
                    n = futures + 1,
                );
            }
            Op::Submit(task) => {
                futures += 1;
                named.push(futures);
                out += &format!("    f{futures} = executor.submit({})\n", task_args(futures, *task));
            }
            Op::Sleep(units) | Op::Idle(units) => {
                out += &format!("    time.sleep({} * UNIT)\n", units_text(*units))
            }
            Op::Cancel(future) => {
                out += &format!(
                    "    print(f'future {n}: cancel() -> {{f{n}.cancel()}} ({{state(f{n})}})')  # {}\n",
                    say("only a pending future can be cancelled", "只有等待中的 Future 才能取消"),
                    n = future + 1
                );
            }
            Op::Done(future) => {
                out += &format!(
                    "    print(f'future {n}: done() -> {{f{n}.done()}} ({{state(f{n})}})')  # {}\n",
                    say("never waits", "从不等待"),
                    n = future + 1
                );
            }
            Op::Result { future, timeout_units: Some(units) } => {
                let seconds = python_seconds(*units, unit_ms);
                out += &format!(
                    "    print(f'future {n}: result(timeout={seconds}) -> {{outcome(f{n}, {seconds})}}')  # {}\n",
                    say("the wait ends at the timeout, the task does not", "超时结束的是等待，不是任务"),
                    n = future + 1
                );
            }
            Op::Result { future, timeout_units: None } => {
                out += &format!(
                    "    print(f'future {n}: result() -> {{outcome(f{n})}}')  # {}\n",
                    say("blocks until the future is done", "阻塞，直到 Future 完成"),
                    n = future + 1
                );
            }
            Op::Exception(future) => {
                out += &format!(
                    "    print(f'future {n}: exception() -> {{exception_of(f{n})}}')\n",
                    n = future + 1
                );
            }
            Op::AddDoneCallback(future) => {
                out += &format!(
                    "    print(f'future {n}: add_done_callback() ({{state(f{n})}})')\n    \
                     f{n}.add_done_callback(partial(report, {n}))  # {}\n",
                    say(
                        "runs when the future is done; at once if it is",
                        "在 Future 完成时执行；已完成则立即执行"
                    ),
                    n = future + 1
                );
            }
            Op::Map(tasks) => {
                let numbers: Vec<usize> = (futures + 1..=futures + tasks.len()).collect();
                futures += tasks.len();
                let any_fails = tasks.iter().any(|task| task.fails);
                let fails = if any_fails {
                    format!(
                        ", {}",
                        list(tasks.iter().map(|task| if task.fails { "True" } else { "False" }.into()))
                    )
                } else {
                    String::new()
                };
                let call = format!(
                    "for result in executor.map(do_something, {}, {}{fails}):  # {}",
                    list(numbers.iter().map(ToString::to_string)),
                    list(tasks.iter().map(|task| units_text(task.units))),
                    say("in the order submitted", "按提交的顺序"),
                );
                if any_fails {
                    out += &format!(
                        "    try:\n        {call}\n            print(f'map -> {{result}}')\n    except Exception as e:  # {}\n        \
                         print(f'map raised {{e!r}}')\n",
                        say(
                            "the first exception leaves the loop; what was not yielded is cancelled",
                            "第一个异常就离开循环；尚未交出的被取消"
                        ),
                    );
                } else {
                    out += &format!("    {call}\n        print(f'map -> {{result}}')\n");
                }
            }
            Op::AsCompleted => {
                out += &format!(
                    "    fs = {}\n    for f in as_completed(fs):  # {}\n        \
                     print(f'as_completed -> future {{fs.index(f) + 1}}: {{outcome(f)}}')\n",
                    all(&named),
                    say("in the order they finish", "按完成的顺序"),
                );
            }
            Op::Wait(when) => {
                let when = when.name();
                out += &format!(
                    "    fs = {}\n    done, not_done = wait(fs, return_when={when})\n    \
                     print(f'wait({when}) -> done {{sorted(fs.index(f) + 1 for f in done)}}, \
                     not done {{sorted(fs.index(f) + 1 for f in not_done)}}')\n",
                    all(&named),
                );
            }
            Op::Shutdown { cancel_futures } => {
                shut_down = true;
                let (call, comment) = if *cancel_futures {
                    (
                        "shutdown(cancel_futures=True)",
                        say(
                            "pending futures cancelled, running ones finish",
                            "等待中的被取消，运行中的继续完成",
                        ),
                    )
                } else {
                    ("shutdown()", say("waits for every future", "等待所有 Future"))
                };
                let args = if *cancel_futures { "wait=True, cancel_futures=True" } else { "wait=True" };
                out += &format!("    executor.shutdown({args})  # {comment}\n    print('{call} returned')\n");
            }
            Op::States => {
                out += &format!(
                    "    for n, f in enumerate({}, 1):\n        print(f'future {{n}}: {{state(f)}}')\n",
                    all(&named)
                );
            }
        }
    }
    if ops.is_empty() {
        out += &format!("    pass  # {}\n", say("your calls come here", "你的调用写在这里"));
    }
    out
}

#[cfg(test)]
mod tests {
    use strum::VariantArray;

    use super::*;
    use crate::experiments::futures::params::Scenario;
    use crate::experiments::futures::scenario::{script, simulate};
    use crate::python_check::python_output;

    /// Every scenario's program, with one to four workers (the page's
    /// range), prints on CPython exactly the lines the simulation prints,
    /// in the same order (the page's runs are held to these).
    #[test]
    fn every_scenario_prints_on_cpython_what_the_page_prints() {
        for scenario in Scenario::VARIANTS.iter().filter(|scenario| **scenario != Scenario::Sandbox) {
            for workers in 1..=4 {
                // The comments' language changes no line printed: Chinese once.
                let langs: &[Lang] = if workers == 2 { &[Lang::En, Lang::ZhCn] } else { &[Lang::En] };
                for lang in langs.iter().copied() {
                    let program = python_program(&script(*scenario), workers, 100, lang);
                    let Some(printed) = python_output(&program) else { return };
                    let expected = simulate(script(*scenario), workers as usize, 100).lines();
                    assert_eq!(
                        printed.lines().collect::<Vec<_>>(),
                        expected,
                        "{scenario:?}, {workers}:\n{program}"
                    );
                }
            }
        }
    }

    /// Paths no scenario takes but the model must keep as Python does: a
    /// cancelled future's callback runs inside `cancel()`, `wait` counts it
    /// done only once a worker has taken it off the queue, `map` stops at
    /// the first exception and cancels the rest, `exception()` of a
    /// cancelled future raises.
    #[test]
    fn edge_paths_print_on_cpython_what_the_model_prints() {
        use crate::experiments::futures::executor::TaskSpec;
        use crate::experiments::futures::program::ReturnWhen;
        let programs: Vec<(Vec<Op>, u32)> = vec![
            (
                vec![
                    Op::Submit(TaskSpec::returning(3.0)),
                    Op::Submit(TaskSpec::returning(4.0)),
                    Op::Submit(TaskSpec::returning(2.0)),
                    Op::Sleep(0.5),
                    Op::AddDoneCallback(2),
                    Op::Cancel(2),
                    Op::Sleep(3.0),
                    Op::Wait(ReturnWhen::FirstCompleted),
                    Op::Wait(ReturnWhen::AllCompleted),
                ],
                2,
            ),
            (
                vec![Op::Map(vec![
                    TaskSpec::returning(1.0),
                    TaskSpec::failing(2.0),
                    TaskSpec::returning(3.0),
                    TaskSpec::returning(1.0),
                ])],
                1,
            ),
            (
                vec![
                    Op::Submit(TaskSpec::returning(2.0)),
                    Op::Submit(TaskSpec::returning(2.0)),
                    Op::Sleep(0.5),
                    Op::Cancel(1),
                    Op::Exception(1),
                    Op::Exception(0),
                ],
                1,
            ),
        ];
        for (ops, workers) in programs {
            let simulated = simulate(ops.clone(), workers as usize, 100);
            assert!(simulated.races_at_ms.is_empty(), "{:?}", simulated.races_at_ms);
            let Some(printed) = python_output(&python_program(&ops, workers, 100, Lang::En)) else { return };
            assert_eq!(printed.lines().collect::<Vec<_>>(), simulated.lines(), "{ops:?}");
        }
    }

    #[test]
    fn a_sandbox_with_no_calls_is_still_a_program() {
        let program = python_program(&[], 2, 100, Lang::En);
        assert!(program.ends_with("    pass  # your calls come here\n"));
    }
}
