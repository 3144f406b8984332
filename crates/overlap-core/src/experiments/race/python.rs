//! The Python each variant mirrors, as a reader could run it (with `k`
//! and `m` set), with its comments in the page's language; and the
//! bytecode of `n += 1`, which is why it is not one step.

use crate::experiments::race::variant::Variant;
use crate::lang::{Lang, Words};

const START_AND_JOIN: &str = "threads = [threading.Thread(target=add, args=(m,)) for _ in range(k)]\n\
for t in threads:\n    t.start()\nfor t in threads:\n    t.join()\n";

/// The variant's program.
pub fn python_program(variant: Variant, lang: Lang) -> String {
    let say = |en, zh| Words::new(en, zh).get(lang);
    match variant {
        Variant::Unsafe => format!(
            "import threading\n\nn = 0\n\ndef add(m):\n    global n\n    for _ in range(m):\n        n += 1  # {}\n\n\
             {START_AND_JOIN}print(n)  # {}\n# {}\n",
            say("read, add, write: three steps", "读取、加一、写回：三步"),
            say("k * m, or less when updates were lost", "k * m；丢失更新时会更少"),
            say(
                "CPython 3.10+ seldom switches threads inside n += 1 under the GIL; free-threaded builds, and the threads here, do.",
                "在 GIL 下，CPython 3.10 及以后很少在 n += 1 中间切换线程；自由线程版本和这里的线程则会。",
            ),
        ),
        Variant::Lock => format!(
            "import threading\n\nn = 0\nlock = threading.Lock()\n\ndef add(m):\n    global n\n    for _ in range(m):\n        \
             with lock:  # {}\n            n += 1\n\n{START_AND_JOIN}print(n)  # {}\n",
            say("one thread at a time between read and write", "读取与写回之间只有一个线程"),
            say("always k * m", "总是 k * m"),
        ),
        Variant::Atomic => format!(
            "# {}\n# {}\nimport threading\n\nn = 0\nlock = threading.Lock()\n\ndef add(m):\n    global n\n    \
             for _ in range(m):\n        with lock:\n            n += 1\n\n{START_AND_JOIN}print(n)  # {}\n",
            say("Python has no atomic integer for threads to share:", "Python 没有供线程共享的原子整数："),
            say(
                "a lock is how Python makes n += 1 indivisible; Rust's fetch_add does it in one instruction.",
                "Python 用锁让 n += 1 不可分割；Rust 的 fetch_add 用一条指令做到。",
            ),
            say("always k * m", "总是 k * m"),
        ),
        Variant::Bank => format!(
            "import threading\n\nbalance = 0\n\ndef change_it(n):\n    # {}\n    global balance\n    \
             balance = balance + n\n    balance = balance - n\n\ndef run_thread(n):\n    for _ in range(m):\n        \
             change_it(n)\n\nt1 = threading.Thread(target=run_thread, args=(5,))\n\
             t2 = threading.Thread(target=run_thread, args=(8,))\nt1.start()\nt2.start()\nt1.join()\nt2.join()\n\
             print(balance)  # {}\n",
            say("deposit, then withdraw: the balance should end at 0", "先存后取，结果应该为 0"),
            say("0, unless the two threads' changes overlapped", "应为 0，除非两个线程的修改交错了"),
        ),
    }
}

/// `dis.dis(add)` on CPython 3.11+, the lines of `n += 1`, with the step of
/// this page each one belongs to.
pub fn dis_listing(lang: Lang) -> String {
    let say = |en, zh| Words::new(en, zh).get(lang);
    format!(
        "LOAD_GLOBAL   0 (n)    # {}\nLOAD_CONST    1 (1)    # {}\nBINARY_OP    13 (+=)   # {}\nSTORE_GLOBAL  0 (n)    # {}\n",
        say("read n", "读取 n"),
        say("add one…", "加一……"),
        say("…in the thread's own copy", "……在线程自己的副本上"),
        say(
            "write n: another thread may have written since the read",
            "写回 n：读取之后，别的线程可能已经写过"
        ),
    )
}

#[cfg(test)]
mod tests {
    use strum::VariantArray;

    use super::*;
    use crate::python_check::python_output;

    /// The programs are real Python: CPython runs each with `k` and `m` set,
    /// and the lock's prints exactly k·m. Skipped only where
    /// `OVERLAP_NO_PYTHON` asks for it.
    #[test]
    fn every_program_runs_on_cpython() {
        for variant in Variant::VARIANTS {
            for lang in [Lang::En, Lang::ZhCn] {
                let program = format!("k = 2\nm = 1000\n{}", python_program(*variant, lang));
                let Some(printed) = python_output(&program) else { return };
                let printed: i64 = printed.parse().expect("a number");
                match variant {
                    Variant::Lock | Variant::Atomic => assert_eq!(printed, 2000),
                    Variant::Unsafe => assert!((1..=2000).contains(&printed)),
                    Variant::Bank => {}
                }
            }
        }
        assert_eq!(dis_listing(Lang::En).lines().count(), 4);
    }
}
