//! The Python each coordination mirrors, runnable with `k` and `rounds` set.

use crate::experiments::lockstep::params::Coordination;
use crate::lang::{Lang, Words};

const RUN: &str = "threads = [threading.Thread(target=show, args=(i,)) for i in range(k)]\n\
for t in threads:\n    t.start()\nfor t in threads:\n    t.join()\nprint()\n";

pub fn python_program(coordination: Coordination, lang: Lang) -> String {
    let say = |en, zh| Words::new(en, zh).get(lang);
    let body = match coordination {
        Coordination::None => format!(
            "def show(i):\n    for _ in range(rounds):\n        print('ABCDEFGHIJKLMNOP'[i], end='')  # {}\n",
            say("whenever this thread runs", "这个线程什么时候运行就什么时候打印"),
        ),
        Coordination::Locks => format!(
            "locks = [threading.Lock() for _ in range(k)]\nfor lock in locks[1:]:\n    lock.acquire()  # {}\n\n\
             def show(i):\n    for _ in range(rounds):\n        locks[i].acquire()  # {}\n        \
             print('ABCDEFGHIJKLMNOP'[i], end='')\n        locks[(i + 1) % k].release()  # {}\n",
            say("only A may start", "只有 A 可以先开始"),
            say("wait for my turn", "等待轮到自己"),
            say("pass the turn on", "把轮次交给下一个"),
        ),
        Coordination::Condvar => format!(
            "turn = 0\ncondition = threading.Condition()\n\ndef show(i):\n    global turn\n    for _ in range(rounds):\n        \
             with condition:\n            condition.wait_for(lambda: turn % k == i)  # {}\n            \
             print('ABCDEFGHIJKLMNOP'[i], end='')\n            turn += 1\n            condition.notify_all()  # {}\n",
            say("sleep until the counter names me", "睡眠，直到计数器轮到自己"),
            say("wake the others to look again", "唤醒其他线程再看一次"),
        ),
        Coordination::Atomics => format!(
            "# {}\n# {}\nturn = 0\ncondition = threading.Condition()\n\ndef show(i):\n    global turn\n    \
             for _ in range(rounds):\n        with condition:\n            condition.wait_for(lambda: turn % k == i)\n            \
             print('ABCDEFGHIJKLMNOP'[i], end='')\n            turn += 1\n            condition.notify_all()\n",
            say(
                "Python has no wait/notify on a bare word in memory;",
                "Python 没有直接在内存中的一个字上等待/通知的方法；"
            ),
            say(
                "a Condition is its nearest: Rust waits on the word itself.",
                "最接近的是 Condition：Rust 直接在这个字上等待。"
            ),
        ),
    };
    format!("import threading\n\n{body}\n{RUN}")
}

#[cfg(test)]
mod tests {
    use strum::VariantArray;

    use super::*;
    use crate::experiments::lockstep::figures::expected_sequence;
    use crate::python_check::python_output;

    /// CPython runs each program; those that coordinate print the exact
    /// turns (skipped only where `OVERLAP_NO_PYTHON` asks for it).
    #[test]
    fn every_program_runs_on_cpython() {
        for coordination in Coordination::VARIANTS {
            for lang in [Lang::En, Lang::ZhCn] {
                let program = format!("k = 3\nrounds = 20\n{}", python_program(*coordination, lang));
                let Some(printed) = python_output(&program) else { return };
                assert_eq!(printed.len(), 60, "{coordination:?}");
                if *coordination != Coordination::None {
                    assert_eq!(printed, expected_sequence(3, 20), "{coordination:?}");
                }
            }
        }
    }
}
