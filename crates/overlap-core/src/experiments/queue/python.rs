//! The Python each set-up mirrors: the notes' producer and consumer on
//! `queue.Queue` between threads, `asyncio.Queue` between coroutines and
//! `multiprocessing.Queue` between processes, each stopped by sentinels or
//! by `task_done()` and `join()`. A reader can run them as they are, after
//! the parameters (`p`, `c`, `capacity`, `items`, `produce_s`, `consume_s`).

use crate::experiments::queue::params::{QueueOn, QueueParams, StopMode};
use crate::lang::{Lang, Words};

/// The parameters as Python assignments, in front of the program.
pub fn python_parameters(params: &QueueParams) -> String {
    format!(
        "p, c = {}, {}\ncapacity = {}\nitems = {}\nproduce_s, consume_s = {}, {}\n\n",
        params.producers,
        params.consumers,
        params.capacity,
        params.items,
        f64::from(params.produce_ms) / 1000.0,
        f64::from(params.consume_ms) / 1000.0,
    )
}

pub fn python_program(params: &QueueParams, lang: Lang) -> String {
    let say = |en, zh| Words::new(en, zh).get(lang);
    let body = match (params.on, params.stop) {
        (QueueOn::Threads, stop) => {
            let (consumer, finish) = match stop {
                StopMode::Sentinel => (
                    format!(
                        "def consumer():\n    while True:\n        item = q.get()  # {}\n        \
                         if item is None:  # {}\n            break\n        time.sleep(consume_s)\n        \
                         with lock:\n            consumed.append(item)\n\n",
                        say("waits while the queue is empty", "队列为空时等待"),
                        say("its own sentinel: stop", "自己的哨兵：停止"),
                    ),
                    format!(
                        "for t in producers:\n    t.join()\nfor _ in consumers:\n    q.put(None)  # {}\n\
                         for t in consumers:\n    t.join()\n",
                        say("one sentinel per consumer", "每个消费者一个哨兵"),
                    ),
                ),
                StopMode::Join => (
                    format!(
                        "def consumer():\n    while True:\n        item = q.get()  # {}\n        \
                         time.sleep(consume_s)\n        with lock:\n            consumed.append(item)\n        \
                         q.task_done()\n\n",
                        say("waits while the queue is empty", "队列为空时等待"),
                    ),
                    format!(
                        "for t in producers:\n    t.join()\nq.join()  # {}\n",
                        say(
                            "until task_done() was called for every item; the daemon consumers stay blocked",
                            "直到每个条目都调用过 task_done()；守护线程形式的消费者仍阻塞着"
                        ),
                    ),
                ),
            };
            let daemon = if stop == StopMode::Join { ", daemon=True" } else { "" };
            format!(
                "import queue\nimport threading\nimport time\n\nq = queue.Queue(maxsize=capacity)  # {}\n\
                 consumed, lock = [], threading.Lock()\n\ndef producer(i):\n    for seq in range(items):\n        \
                 time.sleep(produce_s)  # {}\n        q.put((i, seq))  # {}\n\n{consumer}\
                 producers = [threading.Thread(target=producer, args=(i,)) for i in range(p)]\n\
                 consumers = [threading.Thread(target=consumer{daemon}) for _ in range(c)]\n\
                 for t in producers + consumers:\n    t.start()\n{finish}",
                say("0: unbounded", "0：无界"),
                say("making an item", "制造一个条目"),
                say("waits while the queue is full", "队列满时等待"),
            )
        }
        (QueueOn::Coroutines, stop) => {
            let (consumer, finish) = match stop {
                StopMode::Sentinel => (
                    format!(
                        "async def consumer(q, consumed):\n    while True:\n        item = await q.get()  # {}\n        \
                         if item is None:\n            break\n        await asyncio.sleep(consume_s)\n        \
                         consumed.append(item)\n\n",
                        say("other coroutines run while it waits", "等待时别的协程在运行"),
                    ),
                    format!(
                        "    for _ in consumers:\n        await q.put(None)  # {}\n    \
                         await asyncio.gather(*consumers)\n",
                        say("one sentinel per consumer", "每个消费者一个哨兵"),
                    ),
                ),
                StopMode::Join => (
                    format!(
                        "async def consumer(q, consumed):\n    while True:\n        item = await q.get()  # {}\n        \
                         await asyncio.sleep(consume_s)\n        consumed.append(item)\n        q.task_done()\n\n",
                        say("other coroutines run while it waits", "等待时别的协程在运行"),
                    ),
                    format!(
                        "    await q.join()  # {}\n    for task in consumers:\n        task.cancel()\n    \
                         await asyncio.gather(*consumers, return_exceptions=True)\n",
                        say("until every item is done", "直到每个条目都处理完"),
                    ),
                ),
            };
            format!(
                "import asyncio\n\nasync def producer(q, i):\n    for seq in range(items):\n        \
                 await asyncio.sleep(produce_s)  # {}\n        await q.put((i, seq))  # {}\n\n{consumer}\
                 async def main():\n    q = asyncio.Queue(maxsize=capacity)\n    consumed = []\n    \
                 consumers = [asyncio.create_task(consumer(q, consumed)) for _ in range(c)]\n    \
                 await asyncio.gather(*(producer(q, i) for i in range(p)))\n{finish}    return consumed\n\n\
                 consumed = asyncio.run(main())\n",
                say("making an item", "制造一个条目"),
                say("waits while the queue is full", "队列满时等待"),
            )
        }
        (QueueOn::Workers, stop) => {
            let (queue, consumer, finish) = match stop {
                StopMode::Sentinel => (
                    "mp.Queue",
                    "def consumer(q, done):\n    while True:\n        item = q.get()\n        if item is None:\n            \
                     break\n        time.sleep(consume_s)\n        done.put(item)\n\n"
                        .to_string(),
                    format!(
                        "    for w in producers:\n        w.join()\n    for _ in consumers:\n        \
                         q.put(None)  # {}\n    consumed = [done.get() for _ in range(p * items)]\n    \
                         for w in consumers:\n        w.join()\n",
                        say("one sentinel per consumer", "每个消费者一个哨兵"),
                    ),
                ),
                StopMode::Join => (
                    "mp.JoinableQueue",
                    "def consumer(q, done):\n    while True:\n        item = q.get()\n        \
                     time.sleep(consume_s)\n        done.put(item)\n        q.task_done()\n\n"
                        .to_string(),
                    format!(
                        "    for w in producers:\n        w.join()\n    q.join()  # {}\n    \
                         consumed = [done.get() for _ in range(p * items)]\n",
                        say("until every item is done", "直到每个条目都处理完"),
                    ),
                ),
            };
            let daemon = if stop == StopMode::Join { ", daemon=True" } else { "" };
            format!(
                "import multiprocessing as mp\nimport time\n\ndef producer(q, i):\n    for seq in range(items):\n        \
                 time.sleep(produce_s)\n        q.put((i, seq))  # {}\n\n{consumer}\
                 if __name__ == '__main__':\n    q, done = {queue}(maxsize=capacity), mp.Queue()\n    \
                 producers = [mp.Process(target=producer, args=(q, i)) for i in range(p)]\n    \
                 consumers = [mp.Process(target=consumer, args=(q, done){daemon}) for _ in range(c)]\n    \
                 for w in producers + consumers:\n        w.start()\n{finish}",
                say("pickled and copied into the other process", "被 pickle 并复制到另一个进程"),
            )
        }
    };
    let report = match params.on {
        QueueOn::Workers => "    print(f'consumed {len(consumed)} items, {len(set(consumed))} distinct')\n",
        _ => "print(f'consumed {len(consumed)} items, {len(set(consumed))} distinct')\n",
    };
    format!("{}{body}{report}", python_parameters(params))
}

#[cfg(test)]
mod tests {
    use strum::VariantArray;

    use super::*;
    use crate::python_check::python_output;

    /// CPython runs every program and every item is consumed once (skipped
    /// only where `OVERLAP_NO_PYTHON` asks for it).
    #[test]
    fn every_program_runs_on_cpython() {
        for on in QueueOn::VARIANTS {
            for stop in StopMode::VARIANTS {
                for lang in [Lang::En, Lang::ZhCn] {
                    let params = QueueParams {
                        on: *on,
                        producers: 2,
                        consumers: 3,
                        capacity: 2,
                        items: 4,
                        produce_ms: 1,
                        consume_ms: 2,
                        stop: *stop,
                    };
                    let Some(printed) = python_output(&python_program(&params, lang)) else { return };
                    assert_eq!(printed, "consumed 8 items, 8 distinct", "{on:?} {stop:?}");
                }
            }
        }
    }
}
