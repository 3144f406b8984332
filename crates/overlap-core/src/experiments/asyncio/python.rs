//! The notes' asyncio programs, runnable as shown: `UNIT` is one of the
//! notes' seconds at the run's scale.

use crate::experiments::asyncio::params::Scenario;
use crate::experiments::asyncio::script::{
    CANCEL_AT_UNITS, COMPUTE_FROM_UNITS, COMPUTE_UNITS, SLICE_UNITS, TICKS, TIMEOUT_UNITS,
};
use crate::lang::{Lang, Words};

/// `url_<n>` waits n units; the try only where a crawl can be cancelled.
fn crawl_page(cancellable: bool, lang: Lang) -> String {
    let say = |en, zh| Words::new(en, zh).get(lang);
    let wait = if cancellable {
        format!(
            "    try:\n        await asyncio.sleep(sleep_time * UNIT)  # {}\n    except asyncio.CancelledError:\n        \
             print(f'cancelled {{url}}')  # {}\n        raise\n",
            say("suspended: the loop runs others", "挂起：事件循环去运行别的协程"),
            say("wait_for cancels it at the timeout", "wait_for 在超时时取消它"),
        )
    } else {
        format!(
            "    await asyncio.sleep(sleep_time * UNIT)  # {}\n",
            say("suspended: the loop runs others", "挂起：事件循环去运行别的协程")
        )
    };
    format!(
        "async def crawl_page(url):\n    print(f'crawling {{url}}')\n    sleep_time = int(url.split('_')[-1])\n{wait}    \
         print(f'OK {{url}}')\n"
    )
}

fn ticker_and_compute(cooperative: bool, lang: Lang) -> String {
    let say = |en, zh| Words::new(en, zh).get(lang);
    let busy = if cooperative {
        format!(
            "    while time.perf_counter() < end:\n        slice_end = min(end, time.perf_counter() + {SLICE_UNITS} * UNIT)\n        \
             while time.perf_counter() < slice_end:\n            pass\n        await asyncio.sleep(0)  # {}\n",
            say("a turn for the loop: due ticks run now", "把事件循环让出一轮：到期的滴答现在运行"),
        )
    } else {
        format!(
            "    while time.perf_counter() < end:  # {}\n        pass\n",
            say("never awaits: the loop waits for it", "从不 await：事件循环只能等它"),
        )
    };
    format!(
        "async def ticker(ticks):\n    loop = asyncio.get_running_loop()\n    start = loop.time()\n    \
         for i in range(1, ticks + 1):\n        due = start + i * UNIT\n        await asyncio.sleep(due - loop.time())\n        \
         print(f'tick {{i}}: {{(loop.time() - due) * 1000:.0f}} ms late')  # {}\n\n\
         async def compute(units):\n    await asyncio.sleep({COMPUTE_FROM_UNITS} * UNIT)\n    \
         end = time.perf_counter() + units * UNIT\n{busy}    print('computed')\n\n\
         async def main():\n    await asyncio.gather(ticker({TICKS}), compute({COMPUTE_UNITS}))\n",
        say("how long it was ready before the loop ran it", "它就绪后等了多久事件循环才运行它"),
    )
}

pub fn python_program(scenario: Scenario, unit_ms: u32, lang: Lang) -> String {
    let say = |en, zh| Words::new(en, zh).get(lang);
    let unit = format!(
        "UNIT = {}  # {}\n\n",
        f64::from(unit_ms) / 1000.0,
        say("one of the notes' seconds, at this run's scale", "笔记中的一秒，按本次运行的比例缩放")
    );
    let imports = match scenario {
        Scenario::Blocking | Scenario::Cooperative => "import asyncio\nimport time\n\n",
        _ => "import asyncio\n\n",
    };
    let body = match scenario {
        Scenario::Sequential => format!(
            "{}\nasync def main(urls):\n    for url in urls:\n        await crawl_page(url)  # {}\n\n\
             asyncio.run(main(['url_1', 'url_2', 'url_3', 'url_4']))\n",
            crawl_page(false, lang),
            say("to its end before the next: total = the sum", "执行到结束才开始下一个：总耗时 = 总和"),
        ),
        Scenario::Tasks => format!(
            "{}\nasync def main(urls):\n    tasks = [asyncio.create_task(crawl_page(url)) for url in urls]  # {}\n    \
             await asyncio.gather(*tasks)  # {}\n\nasyncio.run(main(['url_1', 'url_2', 'url_3', 'url_4']))\n",
            crawl_page(false, lang),
            say("all on the loop at once", "全部立刻交给事件循环"),
            say("total = the longest", "总耗时 = 最长的那个"),
        ),
        Scenario::Gather => format!(
            "async def worker_1():\n    await asyncio.sleep(1 * UNIT)\n    return 1\n\n\
             async def worker_2():\n    await asyncio.sleep(2 * UNIT)\n    return 2 / 0  # {}\n\n\
             async def worker_3():\n    await asyncio.sleep(3 * UNIT)\n    return 3\n\n\
             async def main():\n    task_1 = asyncio.create_task(worker_1())\n    task_2 = asyncio.create_task(worker_2())\n    \
             task_3 = asyncio.create_task(worker_3())\n\n    await asyncio.sleep({CANCEL_AT_UNITS} * UNIT)\n    \
             task_3.cancel()  # {}\n\n    res = await asyncio.gather(task_1, task_2, task_3, return_exceptions=True)  # {}\n    \
             print(res)\n\nasyncio.run(main())\n",
            say("raises ZeroDivisionError", "抛出 ZeroDivisionError"),
            say("still awaiting: CancelledError inside it", "仍在等待：它内部收到 CancelledError"),
            say("exceptions come back as values", "异常作为值返回"),
        ),
        Scenario::WaitFor => format!(
            "{}\nasync def main(urls):\n    for url in urls:\n        try:\n            \
             await asyncio.wait_for(crawl_page(url), timeout={TIMEOUT_UNITS} * UNIT)\n        \
             except TimeoutError:  # {}\n            print(f'timeout {{url}}')\n\n\
             asyncio.run(main(['url_1', 'url_4']))\n",
            crawl_page(true, lang),
            say(
                "asyncio.TimeoutError is TimeoutError since 3.11",
                "从 3.11 起 asyncio.TimeoutError 就是 TimeoutError"
            ),
        ),
        Scenario::Blocking | Scenario::Cooperative => {
            format!("{}\nasyncio.run(main())\n", ticker_and_compute(scenario == Scenario::Cooperative, lang))
        }
    };
    format!("{imports}{unit}{body}")
}

#[cfg(test)]
mod tests {
    use strum::VariantArray;

    use super::*;
    use crate::experiments::asyncio::script::{Line, expected_lines};
    use crate::python_check::python_output;

    /// CPython prints every program's lines in the order the page checks a
    /// run against (ticks compared without their lateness), in both
    /// languages' comments; skipped only where `OVERLAP_NO_PYTHON` asks.
    /// A unit of 100 ms keeps 50 ms between `computed` and the next tick,
    /// so a loaded machine does not reorder them.
    #[test]
    fn every_program_prints_on_cpython_what_a_run_is_checked_against() {
        for scenario in Scenario::VARIANTS {
            for lang in [Lang::En, Lang::ZhCn] {
                let Some(printed) = python_output(&python_program(*scenario, 100, lang)) else { return };
                let printed: Vec<&str> = printed.lines().map(Line::shape_of_text).collect();
                let expected: Vec<String> = expected_lines(*scenario).iter().map(Line::text).collect();
                let expected: Vec<&str> = expected.iter().map(|text| Line::shape_of_text(text)).collect();
                assert_eq!(printed, expected, "{scenario:?}");
            }
        }
    }

    #[test]
    fn the_unit_is_the_runs_scale() {
        assert!(python_program(Scenario::Tasks, 250, Lang::En).contains("UNIT = 0.25"));
        assert!(python_program(Scenario::Blocking, 1000, Lang::ZhCn).contains("UNIT = 1  #"));
    }
}
