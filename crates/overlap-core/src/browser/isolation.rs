//! Why threads are on or off in this page, decided from facts the browser
//! reports. Threads need memory shared between workers, and browsers share
//! memory only with a cross-origin isolated page. Not being isolated is a
//! normal case (a plain static host, an iframe in a tutorial): the page says
//! why, and every mode that does not need shared memory keeps working.

use crate::lang::{Lang, Words};

/// What the browser says about this page, read once at start.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct IsolationFacts {
    /// `self.crossOriginIsolated`.
    pub cross_origin_isolated: bool,
    /// `self.isSecureContext`: service workers and shared memory need it.
    pub secure_context: bool,
    /// `window.top !== window`: the page is inside an iframe.
    pub embedded_in_frame: bool,
    /// `'serviceWorker' in navigator`.
    pub service_worker_supported: bool,
    /// `navigator.serviceWorker.controller !== null`: our service worker
    /// served this page, so it had its chance to add the isolation headers.
    pub service_worker_controlling: bool,
}

/// Why the thread pool is off.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum ThreadsOff {
    #[error("{}", self.message(Lang::En))]
    Embedded,
    #[error("{}", self.message(Lang::En))]
    InsecureContext,
    #[error("{}", self.message(Lang::En))]
    NoServiceWorker,
    #[error("{}", self.message(Lang::En))]
    ServiceWorkerDidNotIsolate,
    #[error("{}", self.message(Lang::En))]
    NotIsolated,
    #[error("{}", self.message(Lang::En))]
    StartFailed { message: String },
    /// A pool thread died mid-run (`message`: its panic). A page cannot
    /// rebuild the global pool, so it stays off until the page reloads.
    #[error("{}", self.message(Lang::En))]
    Broken { message: String },
}

impl ThreadsOff {
    /// Why, and that the other modes still work.
    pub fn message(&self, lang: Lang) -> String {
        let why = match self {
            ThreadsOff::Embedded => Words::new(
                "this page is embedded in a page that is not cross-origin isolated, and this frame was not isolated \
                 on its own (that takes Chromium 137 or later and a server that sends Document-Isolation-Policy; \
                 on a host that sends no headers, a visit after the first), so threads cannot share memory",
                "本页嵌入在一个没有跨源隔离的页面中，而这个框架也没有被单独隔离（这需要 Chromium 137 或更高版本，并且服务器发送 \
                 Document-Isolation-Policy；在不发送响应头的主机上，要到第一次访问之后），线程无法共享内存",
            ),
            ThreadsOff::InsecureContext => Words::new(
                "this page is served over plain HTTP from a host other than localhost, so the browser allows neither \
                 shared memory nor the service worker that could enable it",
                "本页通过普通 HTTP 从 localhost 以外的主机提供，浏览器既不允许共享内存，也不允许能开启它的 Service Worker",
            ),
            ThreadsOff::NoServiceWorker => Words::new(
                "this page is not cross-origin isolated and this browser offers no service worker to isolate it, \
                 so threads cannot share memory",
                "本页没有跨源隔离，而这个浏览器不提供能隔离它的 Service Worker，线程无法共享内存",
            ),
            ThreadsOff::ServiceWorkerDidNotIsolate => Words::new(
                "this page is not cross-origin isolated: its service worker serves it but the browser still does not \
                 isolate it, so threads cannot share memory",
                "本页没有跨源隔离：虽然由它的 Service Worker 提供，浏览器仍不隔离它，线程无法共享内存",
            ),
            ThreadsOff::NotIsolated => Words::new(
                "this page is not cross-origin isolated (its host sends no COOP/COEP headers and the service worker \
                 has not taken over), so threads cannot share memory",
                "本页没有跨源隔离（主机没有发送 COOP/COEP 响应头，Service Worker 也尚未接管），线程无法共享内存",
            ),
            ThreadsOff::StartFailed { message } => {
                return match lang {
                    Lang::En => {
                        format!("the thread pool failed to start: {message}; the other modes still work")
                    }
                    Lang::ZhCn => format!("线程池启动失败：{message}；其他模式仍然可用"),
                };
            }
            ThreadsOff::Broken { message } => {
                return match lang {
                    Lang::En => format!(
                        "a thread of the pool stopped mid-run ({message}), and a page cannot rebuild its thread \
                         pool: reload the page to start a new one; the other modes still work"
                    ),
                    Lang::ZhCn => format!(
                        "线程池中的一个线程在运行中途停止了（{message}），而页面无法重建线程池：重新加载页面即可启动新的线程池；其他模式仍然可用"
                    ),
                };
            }
        };
        match (self, lang) {
            (ThreadsOff::Embedded, Lang::En) => {
                format!("{}; the other modes still work (open the page on its own to use threads)", why.en)
            }
            (ThreadsOff::Embedded, Lang::ZhCn) => {
                format!("{}；其他模式仍然可用（单独打开本页即可使用线程）", why.zh)
            }
            (_, Lang::En) => format!("{}; the other modes still work", why.en),
            (_, Lang::ZhCn) => format!("{}；其他模式仍然可用", why.zh),
        }
    }
}

/// `None` when the page may start its thread pool, otherwise why not.
pub fn threads_off_reason(facts: &IsolationFacts) -> Option<ThreadsOff> {
    if facts.cross_origin_isolated {
        None
    } else if facts.embedded_in_frame {
        Some(ThreadsOff::Embedded)
    } else if !facts.secure_context {
        Some(ThreadsOff::InsecureContext)
    } else if !facts.service_worker_supported {
        Some(ThreadsOff::NoServiceWorker)
    } else if facts.service_worker_controlling {
        Some(ThreadsOff::ServiceWorkerDidNotIsolate)
    } else {
        Some(ThreadsOff::NotIsolated)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use expect_test::expect;

    #[test]
    fn every_combination_of_facts_has_one_answer() {
        let mut lines = Vec::new();
        for bits in 0u8..32 {
            let facts = IsolationFacts {
                cross_origin_isolated: bits & 1 != 0,
                secure_context: bits & 2 != 0,
                embedded_in_frame: bits & 4 != 0,
                service_worker_supported: bits & 8 != 0,
                service_worker_controlling: bits & 16 != 0,
            };
            let answer = threads_off_reason(&facts);
            assert_eq!(answer.is_none(), facts.cross_origin_isolated, "{facts:?}");
            lines.push(format!("{bits:05b} {answer:?}"));
        }
        // Bits, right to left: isolated, secure, embedded, sw supported, sw controlling.
        expect![[r#"
            00000 Some(InsecureContext)
            00001 None
            00010 Some(NoServiceWorker)
            00011 None
            00100 Some(Embedded)
            00101 None
            00110 Some(Embedded)
            00111 None
            01000 Some(InsecureContext)
            01001 None
            01010 Some(NotIsolated)
            01011 None
            01100 Some(Embedded)
            01101 None
            01110 Some(Embedded)
            01111 None
            10000 Some(InsecureContext)
            10001 None
            10010 Some(NoServiceWorker)
            10011 None
            10100 Some(Embedded)
            10101 None
            10110 Some(Embedded)
            10111 None
            11000 Some(InsecureContext)
            11001 None
            11010 Some(ServiceWorkerDidNotIsolate)
            11011 None
            11100 Some(Embedded)
            11101 None
            11110 Some(Embedded)
            11111 None"#]]
        .assert_eq(&lines.join("\n"));
    }

    #[test]
    fn messages_say_the_other_modes_still_work() {
        let reasons = [
            ThreadsOff::Embedded,
            ThreadsOff::InsecureContext,
            ThreadsOff::NoServiceWorker,
            ThreadsOff::ServiceWorkerDidNotIsolate,
            ThreadsOff::NotIsolated,
            ThreadsOff::StartFailed { message: "DataCloneError".into() },
            ThreadsOff::Broken { message: "panicked at src/pool/task_lanes.rs:1:1: task 4".into() },
        ];
        for reason in reasons {
            assert!(reason.to_string().contains("the other modes still work"), "{reason}");
            assert!(reason.message(Lang::ZhCn).contains("其他模式仍然可用"), "{reason}");
        }
    }
}
