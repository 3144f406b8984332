//! The Python the experiment mirrors: the notes' student example, and a
//! counter of its own in every thread beside one shared under a lock.

use crate::lang::{Lang, Words};

pub fn python_program(lang: Lang) -> String {
    let say = |en, zh| Words::new(en, zh).get(lang);
    format!(
        "import threading\nfrom concurrent.futures import ThreadPoolExecutor\n\n\
         local = threading.local()  # {}\nshared = 0\nlock = threading.Lock()\n\n\
         def task(amount):\n    global shared\n    if not hasattr(local, 'student'):\n        \
         local.student = NAMES[threading.get_ident() % len(NAMES)]  # {}\n        local.total = 0\n    \
         local.total += amount  # {}\n    with lock:\n        shared += amount\n    return local.student\n\n\
         NAMES = ['Alice', 'Bob']\nwith ThreadPoolExecutor(max_workers=k) as pool:\n    \
         seen = list(pool.map(task, range(1, tasks + 1)))\nprint(shared)  # {}\n",
        say("one slot per thread", "每个线程一份"),
        say(
            "bound once per thread, as local_school.student = name",
            "每个线程绑定一次，就像 local_school.student = name"
        ),
        say("no lock: no other thread sees this total", "不需要锁：别的线程看不到这个 total"),
        say(
            "1 + 2 + … + tasks, the sum of every thread's local.total",
            "1 + 2 + … + tasks，等于每个线程 local.total 之和"
        ),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::python_check::python_output;

    /// CPython runs it and prints 1 + 2 + … + tasks (skipped only where
    /// `OVERLAP_NO_PYTHON` asks for it).
    #[test]
    fn the_program_runs_on_cpython() {
        for lang in [Lang::En, Lang::ZhCn] {
            let program = format!("k = 2\ntasks = 48\n{}", python_program(lang));
            let Some(printed) = python_output(&program) else { return };
            assert_eq!(printed, "1176");
        }
    }
}
