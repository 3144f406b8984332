//! Step mode: two threads, each a short program of steps (read, add,
//! write; take and release a lock), and a schedule that says whose step
//! comes next. The page runs the steps on real pool threads; this model
//! says what each step will do, which thread can move, and whether the
//! learner reached the lost update.

use crate::experiments::race::variant::{Variant, bank_amount};
use crate::lang::{Lang, Words};

/// Step mode always has two threads: enough for a lost update, few enough
/// to follow by hand.
pub const STEP_THREADS: usize = 2;

/// One step of a thread's program.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum StepOp {
    /// Take the lock (a thread whose next step this is waits while the
    /// other holds it).
    Lock,
    /// Copy the shared value into the thread's own `local`.
    Read,
    /// Add to `local` (nobody else sees it).
    Add(i64),
    /// Store `local` into the shared value.
    Write,
    /// Release the lock.
    Unlock,
    /// Add to the shared value in one indivisible step.
    FetchAdd(i64),
}

impl StepOp {
    /// "read n into local", as the step lists say it.
    pub fn text(self, lang: Lang) -> String {
        match (self, lang) {
            (StepOp::Lock, Lang::En) => "take the lock".to_string(),
            (StepOp::Lock, Lang::ZhCn) => "获取锁".to_string(),
            (StepOp::Read, Lang::En) => "read n into local".to_string(),
            (StepOp::Read, Lang::ZhCn) => "读取 n 到 local".to_string(),
            (StepOp::Add(amount), Lang::En) if amount < 0 => format!("subtract {} from local", -amount),
            (StepOp::Add(amount), Lang::ZhCn) if amount < 0 => format!("local 减 {}", -amount),
            (StepOp::Add(amount), Lang::En) => format!("add {amount} to local"),
            (StepOp::Add(amount), Lang::ZhCn) => format!("local 加 {amount}"),
            (StepOp::Write, Lang::En) => "write local to n".to_string(),
            (StepOp::Write, Lang::ZhCn) => "把 local 写回 n".to_string(),
            (StepOp::Unlock, Lang::En) => "release the lock".to_string(),
            (StepOp::Unlock, Lang::ZhCn) => "释放锁".to_string(),
            (StepOp::FetchAdd(amount), _) => format!("n.fetch_add({amount})"),
        }
    }
}

/// Thread `thread`'s program (from 0) for `variant`.
pub fn program(variant: Variant, thread: usize) -> Vec<StepOp> {
    match variant {
        Variant::Unsafe => vec![StepOp::Read, StepOp::Add(1), StepOp::Write],
        Variant::Lock => vec![StepOp::Lock, StepOp::Read, StepOp::Add(1), StepOp::Write, StepOp::Unlock],
        Variant::Atomic => vec![StepOp::FetchAdd(1)],
        Variant::Bank => {
            let amount = bank_amount(thread as u32);
            vec![
                StepOp::Read,
                StepOp::Add(amount),
                StepOp::Write,
                StepOp::Read,
                StepOp::Add(-amount),
                StepOp::Write,
            ]
        }
    }
}

/// The order in which threads took their steps: `112221` is thread 1,
/// thread 1, thread 2, … (threads count from 1 in the address, from 0 here).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Schedule {
    threads: Vec<usize>,
}

impl Schedule {
    pub fn threads(&self) -> &[usize] {
        &self.threads
    }

    pub fn len(&self) -> usize {
        self.threads.len()
    }

    pub fn is_empty(&self) -> bool {
        self.threads.is_empty()
    }

    /// The same schedule without its last step: what Undo replays.
    pub fn without_last(&self) -> Schedule {
        let mut threads = self.threads.clone();
        threads.pop();
        Schedule { threads }
    }

    pub fn then(&self, thread: usize) -> Schedule {
        let mut threads = self.threads.clone();
        threads.push(thread);
        Schedule { threads }
    }

    /// As the address writes it: `112221`.
    pub fn text(&self) -> String {
        self.threads.iter().map(|thread| char::from(b'1' + *thread as u8)).collect()
    }
}

/// Why a thread cannot take its next step now.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Blocked {
    /// It has taken every step of its program.
    Finished,
    /// Its next step is taking the lock, which `holder` holds.
    WaitsForLock { holder: usize },
}

impl Blocked {
    pub fn text(self, lang: Lang) -> String {
        match (self, lang) {
            (Blocked::Finished, Lang::En) => "finished".to_string(),
            (Blocked::Finished, Lang::ZhCn) => "已完成".to_string(),
            (Blocked::WaitsForLock { holder }, Lang::En) => {
                format!("blocked: thread {} holds the lock", holder + 1)
            }
            (Blocked::WaitsForLock { holder }, Lang::ZhCn) => format!("阻塞：线程 {} 持有锁", holder + 1),
        }
    }
}

/// Why a schedule cannot be played.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ScheduleProblem {
    /// A character other than `1` or `2`, at `index` (from 0).
    NotAThread { index: usize },
    /// Step `index` (from 0) names a thread that cannot move.
    CannotMove { index: usize, thread: usize, blocked: Blocked },
}

impl ScheduleProblem {
    /// The rule the schedule broke, as a clause after "schedule".
    pub fn text(&self, lang: Lang) -> String {
        match (self, lang) {
            (ScheduleProblem::NotAThread { index }, Lang::En) => {
                format!("schedule must be digits 1 and 2, one per step; character {} is neither", index + 1)
            }
            (ScheduleProblem::NotAThread { index }, Lang::ZhCn) => {
                format!("`schedule` 应由数字 1 和 2 组成，每步一个；第 {} 个字符两者都不是", index + 1)
            }
            (ScheduleProblem::CannotMove { index, thread, blocked }, Lang::En) => format!(
                "each step of schedule must name a thread that can move; step {} names thread {}, which is {}",
                index + 1,
                thread + 1,
                blocked.text(lang)
            ),
            (ScheduleProblem::CannotMove { index, thread, blocked }, Lang::ZhCn) => format!(
                "`schedule` 的每一步都应指向一个能前进的线程；第 {} 步指向线程 {}，它{}",
                index + 1,
                thread + 1,
                blocked.text(lang)
            ),
        }
    }
}

/// One thread as the model sees it.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct StepThread {
    /// The index of its next step in its program.
    pub next: usize,
    /// Its own copy of the value, once it has read one.
    pub local: Option<i64>,
    pub holds_lock: bool,
}

/// Both threads, the shared value, and the schedule so far.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StepModel {
    variant: Variant,
    programs: [Vec<StepOp>; STEP_THREADS],
    threads: [StepThread; STEP_THREADS],
    shared: i64,
    schedule: Schedule,
}

impl StepModel {
    pub fn new(variant: Variant) -> Self {
        StepModel {
            variant,
            programs: [program(variant, 0), program(variant, 1)],
            threads: [StepThread::default(); STEP_THREADS],
            shared: 0,
            schedule: Schedule::default(),
        }
    }

    /// The model after playing `schedule` from the start.
    pub fn replay(variant: Variant, schedule: &Schedule) -> Result<StepModel, ScheduleProblem> {
        let mut model = StepModel::new(variant);
        for (index, thread) in schedule.threads.iter().enumerate() {
            model.take(*thread).map_err(|blocked| ScheduleProblem::CannotMove {
                index,
                thread: *thread,
                blocked,
            })?;
        }
        Ok(model)
    }

    /// Reads `text` (`112221`) as a schedule `variant` can play: the
    /// longest playable start of it, and the problem with the rest if any.
    pub fn parse(variant: Variant, text: &str) -> (StepModel, Option<ScheduleProblem>) {
        let mut model = StepModel::new(variant);
        for (index, character) in text.chars().enumerate() {
            let thread = match character {
                '1' => 0,
                '2' => 1,
                _ => return (model, Some(ScheduleProblem::NotAThread { index })),
            };
            if let Err(blocked) = model.take(thread) {
                return (model, Some(ScheduleProblem::CannotMove { index, thread, blocked }));
            }
        }
        (model, None)
    }

    pub fn variant(&self) -> Variant {
        self.variant
    }

    pub fn program(&self, thread: usize) -> &[StepOp] {
        &self.programs[thread]
    }

    pub fn thread(&self, thread: usize) -> StepThread {
        self.threads[thread]
    }

    pub fn shared(&self) -> i64 {
        self.shared
    }

    pub fn schedule(&self) -> &Schedule {
        &self.schedule
    }

    pub fn next_op(&self, thread: usize) -> Option<StepOp> {
        self.programs[thread].get(self.threads[thread].next).copied()
    }

    /// Why `thread` cannot take its next step now, if it cannot.
    pub fn blocked(&self, thread: usize) -> Option<Blocked> {
        match self.next_op(thread) {
            None => Some(Blocked::Finished),
            Some(StepOp::Lock) => (0..STEP_THREADS)
                .find(|other| *other != thread && self.threads[*other].holds_lock)
                .map(|holder| Blocked::WaitsForLock { holder }),
            Some(_) => None,
        }
    }

    /// Takes `thread`'s next step; the step taken, or why it cannot move.
    pub fn take(&mut self, thread: usize) -> Result<StepOp, Blocked> {
        if let Some(blocked) = self.blocked(thread) {
            return Err(blocked);
        }
        let op = self.programs[thread][self.threads[thread].next];
        let state = &mut self.threads[thread];
        match op {
            StepOp::Lock => state.holds_lock = true,
            StepOp::Unlock => state.holds_lock = false,
            StepOp::Read => state.local = Some(self.shared),
            StepOp::Add(amount) => state.local = Some(state.local.unwrap_or(0) + amount),
            StepOp::Write => self.shared = state.local.unwrap_or(0),
            StepOp::FetchAdd(amount) => self.shared += amount,
        }
        state.next += 1;
        self.schedule = self.schedule.then(thread);
        Ok(op)
    }

    pub fn finished(&self) -> bool {
        (0..STEP_THREADS).all(|thread| self.next_op(thread).is_none())
    }

    /// What the shared value should end at if no update were lost.
    pub fn expected_final(&self) -> i64 {
        self.variant.expected_final(STEP_THREADS as u32, 1)
    }

    /// Both threads finished and the value is not what it should be: the
    /// learner made an update get lost.
    pub fn solved(&self) -> bool {
        self.finished() && self.shared != self.expected_final()
    }

    /// The goal, stated before the run.
    pub fn goal(&self, lang: Lang) -> String {
        let expected = self.expected_final();
        match (self.variant, lang) {
            (Variant::Bank, Lang::En) => format!(
                "Both threads deposit and take out their amount ({} and {}), so the balance should end at \
                 {expected}. Schedule their steps so that it does not.",
                bank_amount(0),
                bank_amount(1)
            ),
            (Variant::Bank, Lang::ZhCn) => format!(
                "两个线程各自存入再取出自己的金额（{} 和 {}），余额应回到 {expected}。安排它们的步骤，让余额不是 {expected}。",
                bank_amount(0),
                bank_amount(1)
            ),
            (_, Lang::En) => format!(
                "Both threads add 1 to n, so n should end at {expected}. Make n end at {} after both threads \
                 added 1.",
                expected - 1
            ),
            (_, Lang::ZhCn) => {
                format!(
                    "两个线程都给 n 加 1，n 应为 {expected}。让两个线程都加过 1 之后 n 最终为 {}。",
                    expected - 1
                )
            }
        }
    }

    /// Where the learner stands, in a sentence, once both threads finished.
    pub fn verdict(&self, lang: Lang) -> Option<String> {
        if !self.finished() {
            return None;
        }
        let (shared, expected) = (self.shared, self.expected_final());
        let text = match (self.solved(), self.variant.is_racy(), lang) {
            (true, _, Lang::En) => format!(
                "Solved: n ended at {shared} instead of {expected}. One thread wrote over the other's \
                 update: it was lost."
            ),
            (true, _, Lang::ZhCn) => {
                format!(
                    "成功：n 最终为 {shared}，而不是 {expected}。一个线程的写入覆盖了另一个线程的更新：这次更新丢失了。"
                )
            }
            (false, true, Lang::En) => format!(
                "n ended at {expected}, as it should: this schedule lost nothing. Let one thread read before \
                 the other writes."
            ),
            (false, true, Lang::ZhCn) => {
                format!(
                    "n 最终为 {expected}，结果正确：这个调度没有丢失更新。试试让一个线程在另一个写回之前读取。"
                )
            }
            (false, false, Lang::En) => {
                format!("n ended at {expected}, as it must: no schedule can lose an update here.")
            }
            (false, false, Lang::ZhCn) => {
                format!("n 最终为 {expected}，必然如此：这里没有任何调度会丢失更新。")
            }
        };
        Some(text)
    }

    /// Why this variant cannot lose an update, for the page to say.
    pub fn why_safe(&self, lang: Lang) -> Option<&'static str> {
        let words = match self.variant {
            Variant::Lock => Words::new(
                "Try it: while one thread holds the lock, the other cannot even read n, so nobody comes \
                 between a read and its write.",
                "试试看：一个线程持有锁时，另一个线程连读取 n 都不能，所以没有人能插在读取和写回之间。",
            ),
            Variant::Atomic => Words::new(
                "fetch_add reads, adds and writes in one step: there is no between for the other thread.",
                "fetch_add 在一步之内完成读取、加一和写回：另一个线程没有可以插入的空隙。",
            ),
            Variant::Unsafe | Variant::Bank => return None,
        };
        Some(words.get(lang))
    }
}

#[cfg(test)]
mod tests {
    use expect_test::expect;

    use super::*;

    fn play(variant: Variant, text: &str) -> StepModel {
        let (model, problem) = StepModel::parse(variant, text);
        assert_eq!(problem, None, "{text}");
        model
    }

    #[test]
    fn the_issue_s_schedule_loses_an_update() {
        // Thread 1 reads and adds, thread 2 reads, adds and writes, thread 1 writes.
        let model = play(Variant::Unsafe, "112221");
        assert_eq!(model.shared(), 1);
        assert!(model.solved());
        assert_eq!(model.schedule().text(), "112221");
    }

    #[test]
    fn one_thread_after_the_other_loses_nothing() {
        for text in ["111222", "222111"] {
            let model = play(Variant::Unsafe, text);
            assert_eq!(model.shared(), 2);
            assert!(model.finished() && !model.solved());
        }
    }

    #[test]
    fn no_schedule_of_the_lock_or_the_atomic_loses_an_update() {
        // Every schedule the model lets through, by brute force.
        fn walk(model: StepModel, finals: &mut Vec<i64>) {
            if model.finished() {
                finals.push(model.shared());
                return;
            }
            for thread in 0..STEP_THREADS {
                let mut next = model.clone();
                if next.take(thread).is_ok() {
                    walk(next, finals);
                }
            }
        }
        for (variant, schedules) in [(Variant::Lock, 2), (Variant::Atomic, 2), (Variant::Unsafe, 20)] {
            let mut finals = Vec::new();
            walk(StepModel::new(variant), &mut finals);
            assert_eq!(finals.len(), schedules, "{variant:?}");
            let lost = finals.iter().filter(|value| **value != 2).count();
            assert_eq!(lost > 0, variant == Variant::Unsafe, "{variant:?}: {finals:?}");
        }
    }

    #[test]
    fn a_thread_waiting_for_the_lock_cannot_move() {
        let mut model = play(Variant::Lock, "1");
        assert_eq!(model.blocked(1), Some(Blocked::WaitsForLock { holder: 0 }));
        assert_eq!(model.take(1), Err(Blocked::WaitsForLock { holder: 0 }));
        let model = play(Variant::Lock, "111112");
        assert!(model.thread(1).holds_lock);
        assert_eq!(model.blocked(0), Some(Blocked::Finished));
    }

    #[test]
    fn the_bank_drifts_when_the_changes_overlap() {
        // Thread 1 reads 0 and adds 5; thread 2 deposits 8 in full; thread 1 writes 5 over it.
        let model = play(Variant::Bank, "112221");
        assert_eq!(model.shared(), 5);
        // Thread 2 deposits and reads 8; thread 1 deposits on top (13); thread 2
        // writes its 0 over that; thread 1 takes its 5 out of 0.
        let model = play(Variant::Bank, "222221112111");
        assert!(model.finished());
        assert_eq!(model.shared(), -5);
        assert!(model.solved());
    }

    #[test]
    fn schedules_that_cannot_be_played_keep_their_playable_start() {
        let cases = [
            (Variant::Unsafe, "1x2"),
            (Variant::Unsafe, "11112"),
            (Variant::Lock, "12"),
            (Variant::Atomic, "121"),
        ];
        let said: Vec<String> = cases
            .iter()
            .flat_map(|(variant, text)| {
                let (model, problem) = StepModel::parse(*variant, text);
                let problem = problem.expect("a problem");
                [Lang::En, Lang::ZhCn].map(|lang| {
                    format!(
                        "{variant:?} {text} -> kept {:?}: {}",
                        model.schedule().text(),
                        problem.text(lang)
                    )
                })
            })
            .collect();
        expect![[r#"
            Unsafe 1x2 -> kept "1": schedule must be digits 1 and 2, one per step; character 2 is neither
            Unsafe 1x2 -> kept "1": `schedule` 应由数字 1 和 2 组成，每步一个；第 2 个字符两者都不是
            Unsafe 11112 -> kept "111": each step of schedule must name a thread that can move; step 4 names thread 1, which is finished
            Unsafe 11112 -> kept "111": `schedule` 的每一步都应指向一个能前进的线程；第 4 步指向线程 1，它已完成
            Lock 12 -> kept "1": each step of schedule must name a thread that can move; step 2 names thread 2, which is blocked: thread 1 holds the lock
            Lock 12 -> kept "1": `schedule` 的每一步都应指向一个能前进的线程；第 2 步指向线程 2，它阻塞：线程 1 持有锁
            Atomic 121 -> kept "12": each step of schedule must name a thread that can move; step 3 names thread 1, which is finished
            Atomic 121 -> kept "12": `schedule` 的每一步都应指向一个能前进的线程；第 3 步指向线程 1，它已完成"#]]
        .assert_eq(&said.join("\n"));
    }

    #[test]
    fn undo_replays_to_the_state_before_the_last_step() {
        let model = play(Variant::Unsafe, "11222");
        let before = StepModel::replay(Variant::Unsafe, &model.schedule().without_last()).expect("playable");
        assert_eq!(before, play(Variant::Unsafe, "1122"));
    }
}
