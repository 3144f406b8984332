//! Evidence of a lost update: for a bounded window of an unprotected run,
//! each increment's thread, the value it read, the value it wrote and when;
//! and the search for two increments that read the same value while both
//! were in flight, so that the second write overwrote the first.

use std::collections::BTreeMap;

use crate::lang::Lang;
use crate::records::units::format_count;

/// How many increments each thread records once every thread runs: enough
/// for their batches to meet many times, few enough to cost milliseconds.
pub const EVIDENCE_WINDOW: usize = 16_384;

/// One increment as a thread recorded it, on the run's clock.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct IncrementRecord {
    /// The thread, from 0.
    pub thread: u32,
    /// Its place among the thread's increments, from 0.
    pub index: u32,
    pub read: i64,
    pub wrote: i64,
    /// The clock before the read (read once for a batch of increments).
    pub read_ms: f64,
    /// The clock after the write (likewise).
    pub wrote_ms: f64,
}

impl IncrementRecord {
    fn overlaps(&self, other: &IncrementRecord) -> bool {
        self.read_ms <= other.wrote_ms && other.read_ms <= self.wrote_ms
    }
}

/// Two increments of different threads that read the same value while both
/// were between their read and their write: both wrote the same value, so
/// one of the two updates is lost. `first` read first.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct LostUpdate {
    pub first: IncrementRecord,
    pub second: IncrementRecord,
}

/// The lost update with the smallest value read in `records`, if any.
pub fn find_lost_update(records: &[IncrementRecord]) -> Option<LostUpdate> {
    let mut by_value: BTreeMap<i64, Vec<&IncrementRecord>> = BTreeMap::new();
    for record in records {
        by_value.entry(record.read).or_default().push(record);
    }
    by_value.values().find_map(|same_read| {
        same_read.iter().enumerate().find_map(|(position, a)| {
            same_read[position + 1..]
                .iter()
                .find(|b| b.thread != a.thread && a.wrote == b.wrote && a.overlaps(b))
                .map(|b| {
                    let (first, second) =
                        if (b.read_ms, b.thread) < (a.read_ms, a.thread) { (**b, **a) } else { (**a, **b) };
                    LostUpdate { first, second }
                })
        })
    })
}

impl LostUpdate {
    /// "thread 2 read 41,087 while thread 1 held 41,087 unwritten; both
    /// wrote 41,088: one update lost".
    pub fn sentence(&self, lang: Lang) -> String {
        let (first, second) = (self.first.thread + 1, self.second.thread + 1);
        let read = format_count(self.first.read.max(0) as usize);
        let wrote = format_count(self.first.wrote.max(0) as usize);
        match lang {
            Lang::En => format!(
                "thread {second} read {read} while thread {first} held {read} unwritten; both wrote {wrote}: \
                 one update lost"
            ),
            Lang::ZhCn => format!(
                "线程 {first} 读到 {read} 还没写回时，线程 {second} 也读到了 {read}；两者都写入 {wrote}：丢失了一次更新"
            ),
        }
    }

    /// The records of both threads around the two increments, in order of
    /// their reads: what the evidence table lists.
    pub fn neighbours(&self, records: &[IncrementRecord], each_side: u32) -> Vec<IncrementRecord> {
        let near = |record: &IncrementRecord| {
            [self.first, self.second]
                .iter()
                .any(|lost| lost.thread == record.thread && record.index.abs_diff(lost.index) <= each_side)
        };
        let mut shown: Vec<IncrementRecord> = records.iter().filter(|record| near(record)).copied().collect();
        shown.sort_by(|a, b| {
            a.read_ms.total_cmp(&b.read_ms).then(a.thread.cmp(&b.thread)).then(a.index.cmp(&b.index))
        });
        shown
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn record(thread: u32, index: u32, read: i64, read_ms: f64, wrote_ms: f64) -> IncrementRecord {
        IncrementRecord { thread, index, read, wrote: read + 1, read_ms, wrote_ms }
    }

    #[test]
    fn finds_two_threads_that_read_the_same_value_in_flight() {
        let records = [
            record(0, 0, 0, 0.0, 0.1),
            record(0, 1, 1, 0.2, 0.3),
            record(1, 0, 2, 0.35, 0.5),
            record(0, 2, 2, 0.4, 0.6),
            record(1, 1, 3, 0.7, 0.8),
        ];
        let lost = find_lost_update(&records).expect("a lost update");
        assert_eq!((lost.first.thread, lost.second.thread, lost.first.read), (1, 0, 2));
        assert_eq!(
            lost.sentence(Lang::En),
            "thread 1 read 2 while thread 2 held 2 unwritten; both wrote 3: one update lost"
        );
        assert_eq!(
            lost.sentence(Lang::ZhCn),
            "线程 2 读到 2 还没写回时，线程 1 也读到了 2；两者都写入 3：丢失了一次更新"
        );
        let around: Vec<(u32, u32)> =
            lost.neighbours(&records, 1).iter().map(|record| (record.thread, record.index)).collect();
        assert_eq!(around, vec![(0, 1), (1, 0), (0, 2), (1, 1)]);
    }

    #[test]
    fn the_same_value_read_at_different_times_is_no_evidence() {
        // A stale write put 2 back: both read 2, but one after the other wrote.
        let records = [record(0, 0, 2, 0.0, 0.1), record(1, 0, 2, 0.5, 0.6)];
        assert_eq!(find_lost_update(&records), None);
        // One thread alone never loses its own update.
        let records = [record(0, 0, 2, 0.0, 0.1), record(0, 1, 2, 0.05, 0.2)];
        assert_eq!(find_lost_update(&records), None);
    }
}
