//! The Python the load test mirrors: the notes' 100 concurrent POSTs with
//! their average and maximum-minus-average, made a load test (a closed
//! model of c users, or an open one at a rate), with status counts and
//! percentiles. Standard library only, so a reader can run it as it is.

use crate::address::query_value::QueryValue;
use crate::experiments::load::params::{LoadMethod, LoadModel, LoadParams, LoadTarget, fail_text};
use crate::lang::{Lang, Words};

/// The dev server's address in the program; the page's own origin differs
/// per machine.
pub const PYTHON_BASE: &str = "http://127.0.0.1:8080";

pub fn python_program(params: &LoadParams, lang: Lang) -> String {
    let say = |en, zh| Words::new(en, zh).get(lang);
    let (url, numbered) = match params.target {
        LoadTarget::Work | LoadTarget::Sw => (
            format!(
                "{PYTHON_BASE}/api/work?cpu_ms={}&bytes={}&fail={}&seed={}",
                params.cpu_ms,
                params.bytes,
                fail_text(params.fail_thousandths),
                params.seed
            ),
            "f'{URL}&i={i}'",
        ),
        LoadTarget::Delay => {
            (format!("{PYTHON_BASE}/api/delay?ms={}", params.latency_ms), "f'{URL}&tag={i}'")
        }
        LoadTarget::Urls => (params.url.trim().replace('\'', "%27"), "URL"),
    };
    let url_note = match params.target {
        LoadTarget::Sw => say(
            "  # the simulated server lives in the browser's service worker; here, the dev server",
            "  # 模拟服务器在浏览器的 Service Worker 里；这里改用开发服务器",
        ),
        _ => "",
    };
    let (body, data) = match params.method {
        LoadMethod::Get => (String::new(), "None"),
        LoadMethod::Post => (format!("BODY = b'.' * {}\n", params.body_bytes), "BODY"),
    };
    let timeout_s = f64::from(params.timeout_ms) / 1_000.0;
    let load = match params.model {
        LoadModel::Closed => format!(
            "USERS = {users}\n\n\
             def user(deadline):\n    \
             # {each_user}\n    \
             while time.perf_counter() < deadline:\n        \
             i = next(numbers)  # {count_note}\n        \
             if i >= REQUESTS:\n            return\n        \
             start = time.perf_counter()\n        \
             status = send(i)\n        \
             record(status, time.perf_counter() - start)\n\n\
             start = time.perf_counter()\n\
             with ThreadPoolExecutor(max_workers=USERS) as pool:\n    \
             for _ in range(USERS):\n        \
             pool.submit(user, start + DURATION_S)\n",
            users = params.users,
            each_user = say(
                "each user sends its next request when its last one returns",
                "每个用户在上一个请求返回后才发送下一个"
            ),
            count_note = say(
                "one number per request; itertools.count is safe across threads",
                "每个请求一个编号；itertools.count 可以在线程间安全使用"
            ),
        ),
        LoadModel::Open => format!(
            "RATE = {rate}  # {per_second}\n\n\
             def timed(i, due):\n    \
             status = send(i)\n    \
             # {from_due}\n    \
             record(status, time.perf_counter() - due)\n\n\
             start = time.perf_counter()\n\
             with ThreadPoolExecutor(max_workers=1000) as pool:  # {threads_note}\n    \
             for i in range(REQUESTS):\n        \
             due = start + i / RATE\n        \
             if due > start + DURATION_S:\n            break\n        \
             time.sleep(max(0.0, due - time.perf_counter()))\n        \
             pool.submit(timed, i, due)  # {schedule_note}\n",
            rate = params.rate,
            per_second = say("requests per second", "每秒请求数"),
            from_due = say(
                "latency from when it was due, not from when it was sent: no coordinated omission",
                "延迟从应当发送的时刻算起，而不是实际发送的时刻：避免协调遗漏"
            ),
            threads_note =
                say("enough threads that no request waits for one", "线程足够多，请求不必等待线程"),
            schedule_note =
                say("on schedule, whether or not answers came back", "按计划发送，不管之前的响应是否已返回"),
        ),
    };
    format!(
        "import collections\nimport itertools\nimport statistics\nimport threading\nimport time\n\
         import urllib.error\nimport urllib.request\nfrom concurrent.futures import ThreadPoolExecutor\n\n\
         URL = '{url}'{url_note}\n\
         REQUESTS, DURATION_S = {requests}, {duration}  # {stop_note}\n\
         {body}\n\
         latencies, statuses = [], collections.Counter()\n\
         lock = threading.Lock()\n\
         numbers = itertools.count()\n\n\
         def send(i):\n    \
         request = urllib.request.Request({numbered}, data={data}, method='{method}')\n    \
         try:\n        \
         with urllib.request.urlopen(request, timeout={timeout_s}) as response:\n            \
         response.read()\n            \
         return response.status\n    \
         except urllib.error.HTTPError as error:  # {http_error}\n        \
         return error.code\n    \
         except urllib.error.URLError as error:\n        \
         return 'timeout' if isinstance(error.reason, TimeoutError) else 'network'\n    \
         except TimeoutError:\n        \
         return 'timeout'\n\n\
         def record(status, latency):\n    \
         with lock:\n        \
         latencies.append(latency)\n        \
         statuses[status] += 1\n\n\
         {load}\
         elapsed = time.perf_counter() - start\n\n\
         mean = statistics.mean(latencies)\n\
         print('requests:', len(latencies), 'in', round(elapsed, 2), 's,', round(len(latencies) / elapsed, 1), 'requests/s')\n\
         print('status:', dict(statuses))\n\
         if len(latencies) > 1:\n    \
         cuts = statistics.quantiles(latencies, n=100, method='inclusive')\n    \
         print('p50, p90, p99 (ms):', [round(cuts[p - 1] * 1000, 1) for p in (50, 90, 99)])\n\
         print('**** avg time: ', mean)\n\
         print('**** max - avg :', max(latencies) - mean)\n",
        requests = params.requests,
        duration = params.duration_s,
        stop_note = say("the run stops at whichever comes first", "先达到哪个就在哪里停止"),
        method = params.method.text(),
        http_error = say("a 4xx or 5xx answer is still an answer", "4xx 或 5xx 也是一个响应"),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::python_check::python_output;

    /// A stand-in for `/api/work` in the same process: it answers every
    /// fourth request 500, so the program's status counts are checked too.
    const STAND_IN: &str = "\
import http.server, threading\n\
class Handler(http.server.BaseHTTPRequestHandler):\n    \
    def answer(self):\n        \
        length = int(self.headers.get('content-length') or 0)\n        \
        self.rfile.read(length)\n        \
        i = int(self.path.rsplit('i=', 1)[1]) if 'i=' in self.path else 0\n        \
        self.send_response(500 if i % 4 == 3 else 200)\n        \
        self.send_header('content-length', '0')\n        \
        self.end_headers()\n    \
    do_GET = do_POST = answer\n    \
    def log_message(self, *args):\n        \
        pass\n\
server = http.server.ThreadingHTTPServer(('127.0.0.1', 0), Handler)\n\
threading.Thread(target=server.serve_forever, daemon=True).start()\n";

    /// Both models' programs run on CPython against the stand-in and print
    /// the counts, the percentiles and the notes' two figures.
    #[test]
    fn both_programs_run_on_cpython() {
        for (model, lang) in [(LoadModel::Closed, Lang::En), (LoadModel::Open, Lang::ZhCn)] {
            let params = LoadParams { model, users: 4, rate: 200, requests: 20, ..LoadParams::default() };
            let shown = python_program(&params, lang);
            let program = format!(
                "{STAND_IN}{}",
                shown.replace(&format!("'{PYTHON_BASE}"), "f'http://127.0.0.1:{server.server_port}")
            );
            let Some(printed) = python_output(&program) else { return };
            let lines: Vec<&str> = printed.lines().collect();
            assert!(lines[0].starts_with("requests: 20 in "), "{printed}");
            assert_eq!(lines[1], "status: {200: 15, 500: 5}", "{printed}");
            assert!(lines[2].starts_with("p50, p90, p99 (ms): "), "{printed}");
            assert!(lines[3].starts_with("**** avg time: "), "{printed}");
            assert!(lines[4].starts_with("**** max - avg : "), "{printed}");
        }
    }

    #[test]
    fn every_target_and_method_compiles() {
        for target in [LoadTarget::Work, LoadTarget::Delay, LoadTarget::Sw, LoadTarget::Urls] {
            for method in [LoadMethod::Get, LoadMethod::Post] {
                let params = LoadParams {
                    target,
                    method,
                    url: "https://example.com/a?b='c'".into(),
                    ..LoadParams::default()
                };
                let program = python_program(&params, Lang::ZhCn);
                let check = format!("compile({program:?}, 'load.py', 'exec')\nprint('ok')");
                let Some(printed) = python_output(&check) else { return };
                assert_eq!(printed, "ok");
            }
        }
    }
}
