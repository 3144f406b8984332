//! The Python the sweep mirrors: the notes' timing of one job with 1, 4, 8,
//! 20 and 40 workers, made a scaling study (each k several times,
//! interleaved, after a warm-up; the median speedup; the pool-sizing rule).

use crate::experiments::sweep::params::{SweepOf, SweepParams, ks_text};
use crate::lang::{Lang, Words};
use crate::workloads::cpu::Workload;

/// The program for `params`, with the list of k the page would measure.
pub fn python_program(params: &SweepParams, ks: &[u32], lang: Lang) -> String {
    let say = |en, zh| Words::new(en, zh).get(lang);
    // The page runs the chosen workload; a prime check of one large prime
    // stands in for any of them here (the timing, not the work, is the lesson).
    let stand_in = match params.workload {
        Workload::Primes => say("as the page's prime check", "与页面上的素数判断相同"),
        _ => say("a prime check stands in for the page's workload", "用素数判断代替页面上的工作负载"),
    };
    let (imports, work, pool) = match params.of {
        SweepOf::Cpu => (
            "from concurrent.futures import ProcessPoolExecutor",
            format!(
                "def is_prime(n):\n    if n < 2:\n        return False\n    d = 2\n    while d * d <= n:\n        \
                 if n % d == 0:\n            return False\n        d += 1\n    return True\n\n\
                 TASKS = [112272535095293] * {tasks}  # {}\n\n\
                 def job(pool):\n    return list(pool.map(is_prime, TASKS))\n",
                stand_in,
                tasks = params.tasks_or_default(),
            ),
            format!(
                "ProcessPoolExecutor(max_workers=k) as pool:  # {}",
                say(
                    "processes: the GIL would keep threads to one core",
                    "用进程：GIL 会让线程只用到一个核心"
                )
            ),
        ),
        SweepOf::Fetch => (
            "from concurrent.futures import ThreadPoolExecutor\nimport urllib.request",
            format!(
                "URL = 'http://127.0.0.1:8000/api/delay?ms={latency}'\n\n\
                 def fetch(i):\n    with urllib.request.urlopen(f'{{URL}}&tag={{i}}') as response:\n        \
                 return response.read()\n\n\
                 def job(pool):\n    return list(pool.map(fetch, range({n})))  # {}\n",
                say("each request waits latency_ms on the server", "每个请求在服务器上等待 latency_ms"),
                latency = params.latency_ms,
                n = params.n,
            ),
            format!(
                "ThreadPoolExecutor(max_workers=k) as pool:  # {}",
                say("threads: waiting releases the GIL", "用线程：等待时会释放 GIL")
            ),
        ),
    };
    format!(
        "import os\nimport statistics\nimport time\n{imports}\n\n{work}\n\
         def timed(k):\n    with {pool}\n        job(pool)  # {warm}\n        start = time.perf_counter()\n        \
         job(pool)\n        return time.perf_counter() - start\n\n\
         if __name__ == '__main__':\n    KS = [{ks}]\n    times = {{k: [] for k in KS}}\n    \
         for _ in range({repeat}):  # {interleave}\n        for k in KS:\n            times[k].append(timed(k))\n    \
         base = statistics.median(times[1])\n    for k in KS:\n        speedups = [base / t for t in times[k]]\n        \
         print(k, round(statistics.median(speedups), 2), round(min(speedups), 2), round(max(speedups), 2))\n    \
         # {rule}\n    print('cores:', os.cpu_count())\n",
        warm = say(
            "warm-up, not timed: workers started, connections open",
            "预热，不计时：启动工作线程、建立连接"
        ),
        ks = ks_text(ks).replace(',', ", "),
        repeat = params.repeat,
        interleave = say(
            "every k once per round, so drift on a shared machine biases no k",
            "每一轮每个 k 测一次，机器上的波动不会只影响某个 k"
        ),
        rule = say(
            "pool size for I/O: threads = cores / (1 - blocking fraction)",
            "I/O 任务的线程池大小：线程数 = 核心数 / (1 - 阻塞比例)"
        ),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::python_check::python_output;

    /// CPython runs the CPU program and prints a line per k with its median,
    /// min and max speedup. Run with `-c`, processes would need the fork
    /// start method (not the default on macOS, nor from Python 3.14 on
    /// Linux), so threads stand in for them here, and a small prime for the
    /// large one; the program as shown is compiled as it is.
    #[test]
    fn the_cpu_program_runs_on_cpython() {
        let params = SweepParams { tasks: Some(4), repeat: 2, ..SweepParams::default() };
        for lang in [Lang::En, Lang::ZhCn] {
            let shown = python_program(&params, &[1, 2], lang);
            let check = format!("compile({shown:?}, 'sweep.py', 'exec')\nprint('ok')");
            assert_eq!(python_output(&check).as_deref().unwrap_or("ok"), "ok");
            let program = shown
                .replace("112272535095293", "1000003")
                .replace("ProcessPoolExecutor", "ThreadPoolExecutor");
            let Some(printed) = python_output(&program) else { return };
            let lines: Vec<&str> = printed.lines().collect();
            assert_eq!(lines.len(), 3, "{printed}");
            assert!(lines[0].starts_with("1 "), "{printed}");
            assert!(lines[1].starts_with("2 "), "{printed}");
            assert!(lines[2].starts_with("cores: "), "{printed}");
        }
    }

    /// The request program is valid Python (compiled, not run: it needs the dev server).
    #[test]
    fn the_request_program_compiles_on_cpython() {
        let params = SweepParams { of: SweepOf::Fetch, ..SweepParams::default() };
        for lang in [Lang::En, Lang::ZhCn] {
            let program = python_program(&params, &[1, 2, 6, 12], lang);
            let check = format!("compile({program:?}, 'sweep.py', 'exec')\nprint('ok')");
            let Some(printed) = python_output(&check) else { return };
            assert_eq!(printed, "ok");
        }
    }
}
