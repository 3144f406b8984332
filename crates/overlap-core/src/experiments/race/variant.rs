//! What the threads do to the shared value, and what each way teaches.

use strum::{IntoStaticStr, VariantArray};

use crate::lang::{Lang, Words};

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, VariantArray, IntoStaticStr)]
#[strum(serialize_all = "lowercase")]
pub enum Variant {
    /// `n += 1` as a load, then a store: updates are lost.
    #[default]
    Unsafe,
    /// The same under one mutex.
    Lock,
    /// One indivisible `fetch_add`.
    Atomic,
    /// The notes' deposit: `balance = balance + n; balance = balance - n`.
    Bank,
}

/// What thread `thread` (from 0) deposits and takes out in the bank
/// variant: 5 and 8 for the first two, as in the notes, then on by 3.
pub fn bank_amount(thread: u32) -> i64 {
    5 + 3 * i64::from(thread)
}

impl Variant {
    pub fn title(self) -> Words {
        match self {
            Variant::Unsafe => Words::new("Unprotected n += 1", "不加保护的 n += 1"),
            Variant::Lock => Words::new("Under a lock", "加锁"),
            Variant::Atomic => Words::new("Atomic fetch_add", "原子操作 fetch_add"),
            Variant::Bank => Words::new("Bank balance", "银行余额"),
        }
    }

    /// A run's title: "Under a lock, 2 threads × 1,000,000".
    pub fn run_title(self, threads: u32, increments: u32, lang: Lang) -> String {
        let title = self.title().get(lang);
        let count = crate::records::units::format_count(increments as usize);
        match lang {
            Lang::En => {
                let unit = if threads == 1 { "thread" } else { "threads" };
                format!("{title}, {threads} {unit} × {count}")
            }
            Lang::ZhCn => format!("{title}，{threads} 个线程 × {count}"),
        }
    }

    /// Whether the shared value is a counter that should end at k·m (the
    /// bank's balance should end where it began, at 0).
    pub fn counts(self) -> bool {
        !matches!(self, Variant::Bank)
    }

    /// The value the shared variable should end at.
    pub fn expected_final(self, threads: u32, increments: u32) -> i64 {
        if self.counts() { i64::from(threads) * i64::from(increments) } else { 0 }
    }

    /// Whether the variant may lose updates: the lesson is that only these do.
    pub fn is_racy(self) -> bool {
        matches!(self, Variant::Unsafe | Variant::Bank)
    }

    pub fn teaches(self) -> Words {
        match self {
            Variant::Unsafe => Words::new(
                "Each thread reads n, adds one and writes it back: three steps, not one. When another thread \
                 writes between one thread's read and its write, that write is overwritten and an update is \
                 lost. The loads and stores are real (relaxed atomics on the page's shared memory), so the \
                 loss is the hardware's, not a simulation's.",
                "每个线程读取 n、加一、再写回：这是三步，而不是一步。如果另一个线程在某个线程读取之后、写回之前写入，\
                 这次写入就会被覆盖，造成一次丢失更新。这里的读取和写入都是真实的（页面共享内存上的原子读写，内存顺序为 `Relaxed`），\
                 所以丢失是硬件上真实发生的，而不是模拟出来的。",
            ),
            Variant::Lock => Words::new(
                "Every read-add-write happens while holding one mutex, as `with lock: n += 1` does: no update \
                 is lost, and taking the lock for every increment is what correctness costs.",
                "每次“读取—加一—写回”都在持有同一把互斥锁时进行，就像 `with lock: n += 1`：不会丢失更新，\
                 而每次加一都要获取锁，就是正确性的代价。",
            ),
            Variant::Atomic => Words::new(
                "The processor adds one in a single indivisible step (`fetch_add`): no other thread can come \
                 between the read and the write, and no lock is taken.",
                "处理器用一个不可分割的步骤完成加一（`fetch_add`）：没有别的线程能插在读取和写回之间，也不需要锁。",
            ),
            Variant::Bank => Words::new(
                "The notes' bank: each thread deposits its amount and takes it out again, over and over. Each \
                 change is a read, then a write, so the balance, which should end at 0, drifts when the \
                 threads' changes overlap.",
                "笔记中的银行例子：每个线程反复存入自己的金额再取出。每次修改都是先读取、再写回，\
                 所以本应回到 0 的余额，会在两个线程的修改交错时偏离。",
            ),
        }
    }
}
