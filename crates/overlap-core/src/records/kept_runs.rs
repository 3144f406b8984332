//! The runs a page keeps. A page that kept every run would rebuild a longer
//! table and draw more timeline lanes after each one: over a long session
//! its DOM, its memory and the time each run takes would grow without
//! bound (`cargo xtask soak` measured this). So a page keeps the latest
//! `KEPT_RUNS`, and says so once it has let older ones go; "Download
//! results" exports the runs it keeps.

/// How many runs a page keeps: the largest group of runs one button makes
/// (a load sweep's six steps) and the runs before it, side by side.
pub const KEPT_RUNS: usize = 12;

/// A run a page lists, found by its number rather than by its place in the
/// list, since places shift as older runs are let go.
pub trait NumberedRun {
    fn run_id(&self) -> u32;
}

/// Implements `NumberedRun` for records whose number is their `id: u32`.
#[macro_export]
macro_rules! numbered_by_id {
    ($($record:ty),+ $(,)?) => {
        $(impl $crate::records::kept_runs::NumberedRun for $record {
            fn run_id(&self) -> u32 {
                self.id
            }
        })+
    };
}

/// Appends `record`, letting the oldest runs go so that at most
/// `KEPT_RUNS` stay. The run in flight is the newest, so never let go.
pub fn keep_run<R>(runs: &mut Vec<R>, record: R) {
    runs.push(record);
    let excess = runs.len().saturating_sub(KEPT_RUNS);
    runs.drain(..excess);
}

/// The run numbered `id`, if it is still kept.
pub fn kept_run_mut<R: NumberedRun>(runs: &mut [R], id: u32) -> Option<&mut R> {
    runs.iter_mut().find(|run| run.run_id() == id)
}

/// The number of the oldest kept run once the page has had to let older
/// runs go (the list is full and its first run is not run 1), for the note
/// that says so.
pub fn oldest_kept_after_letting_go<R: NumberedRun>(runs: &[R]) -> Option<u32> {
    let first = runs.first()?.run_id();
    (runs.len() >= KEPT_RUNS && first > 1).then_some(first)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[derive(Debug, PartialEq)]
    struct Run(u32);

    impl NumberedRun for Run {
        fn run_id(&self) -> u32 {
            self.0
        }
    }

    fn kept_after(count: u32) -> Vec<Run> {
        let mut runs = Vec::new();
        for id in 1..=count {
            keep_run(&mut runs, Run(id));
        }
        runs
    }

    #[test]
    fn a_full_list_lets_the_oldest_go_and_says_from_where() {
        assert_eq!(oldest_kept_after_letting_go(&kept_after(3)), None);
        assert_eq!(oldest_kept_after_letting_go(&kept_after(KEPT_RUNS as u32)), None);
        let runs = kept_after(KEPT_RUNS as u32 + 5);
        assert_eq!(runs.first(), Some(&Run(6)));
        assert_eq!(oldest_kept_after_letting_go(&runs), Some(6));
        assert_eq!(oldest_kept_after_letting_go::<Run>(&[]), None);
    }

    proptest! {
        /// Whatever the number of runs: at most KEPT_RUNS stay, they are the
        /// newest in order, and the newest (the run in flight) is found.
        #[test]
        fn the_newest_runs_stay_in_order(count in 1u32..60) {
            let mut runs = kept_after(count);
            let kept = count.min(KEPT_RUNS as u32);
            prop_assert_eq!(runs.len(), kept as usize);
            let ids: Vec<u32> = runs.iter().map(NumberedRun::run_id).collect();
            prop_assert_eq!(ids, ((count - kept + 1)..=count).collect::<Vec<_>>());
            prop_assert!(kept_run_mut(&mut runs, count).is_some());
            prop_assert_eq!(kept_run_mut(&mut runs, count - kept).is_some(), false);
        }
    }
}
