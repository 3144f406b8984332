//! A lock-step run's numbers: the sequence printed, whether it is the
//! strict turn it should be, and the hand-off latency between one thread's
//! print and the next thread's.

use crate::experiments::lockstep::params::Coordination;
use crate::records::percentile::percentile;
use crate::records::results::Figure;
use crate::timeline::links::HandOff;

/// Thread `thread`'s letter (from 0): A, B, C, …
pub fn letter(thread: u32) -> char {
    char::from(b'A' + (thread % 26) as u8)
}

/// A B C A B C …, `rounds` times, without spaces.
pub fn expected_sequence(threads: u32, rounds: u32) -> String {
    (0..rounds).flat_map(|_| (0..threads).map(letter)).collect()
}

/// One print, on the run's clock.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Print {
    pub thread: u32,
    /// When the thread had its turn (the lock, the signal, the word).
    pub acquired_ms: f64,
    /// When it had printed and passed the turn on.
    pub released_ms: f64,
}

/// The letters in the order they were printed.
pub fn printed_sequence(prints: &[Print]) -> String {
    prints.iter().map(|print| letter(print.thread)).collect()
}

#[derive(Clone, Debug, PartialEq)]
pub struct LockstepFigures {
    pub sequence_ok: bool,
    pub prints: usize,
    /// From one thread passing the turn to the next thread having it, over
    /// every pair of prints by different threads.
    pub handoff_p50_us: Option<f64>,
    pub handoff_p99_us: Option<f64>,
    pub handoffs: usize,
    /// From the first print's turn to the last print's end.
    pub time_ms: f64,
}

impl LockstepFigures {
    pub fn results(&self) -> Vec<(&'static str, Figure)> {
        vec![
            ("sequence_ok", Figure::Bool(self.sequence_ok)),
            ("prints", self.prints.into()),
            ("handoffs", self.handoffs.into()),
            ("handoff_p50_us", self.handoff_p50_us.into()),
            ("handoff_p99_us", self.handoff_p99_us.into()),
            ("time_ms", self.time_ms.into()),
        ]
    }
}

/// Every hand-off: a print's thread letting go, the next print's thread
/// going on, for each pair of prints by different threads. Without
/// coordination nothing is handed off: none.
pub fn hand_offs(coordination: Coordination, prints: &[Print]) -> Vec<HandOff> {
    if coordination == Coordination::None {
        return Vec::new();
    }
    prints
        .windows(2)
        .filter(|pair| pair[0].thread != pair[1].thread)
        .map(|pair| HandOff {
            from_lane: pair[0].thread,
            from_ms: pair[0].released_ms,
            to_lane: pair[1].thread,
            to_ms: pair[1].acquired_ms,
        })
        .collect()
}

pub fn lockstep_figures(
    coordination: Coordination,
    threads: u32,
    rounds: u32,
    prints: &[Print],
) -> LockstepFigures {
    // The next thread has its turn only after the last one passed it on;
    // two workers' clocks can disagree by a clock step, read as 0.
    let handoffs_us: Vec<f64> = hand_offs(coordination, prints)
        .iter()
        .map(|hand_off| (hand_off.to_ms - hand_off.from_ms).max(0.0) * 1000.0)
        .collect();
    let first_ms = prints.iter().map(|print| print.acquired_ms).reduce(f64::min).unwrap_or(0.0);
    let last_ms = prints.iter().map(|print| print.released_ms).reduce(f64::max).unwrap_or(0.0);
    LockstepFigures {
        sequence_ok: printed_sequence(prints) == expected_sequence(threads, rounds),
        prints: prints.len(),
        handoff_p50_us: percentile(&handoffs_us, 50.0),
        handoff_p99_us: percentile(&handoffs_us, 99.0),
        handoffs: handoffs_us.len(),
        time_ms: (last_ms - first_ms).max(0.0),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn print(thread: u32, acquired_ms: f64, released_ms: f64) -> Print {
        Print { thread, acquired_ms, released_ms }
    }

    #[test]
    fn strict_turns_and_their_handoffs() {
        assert_eq!(expected_sequence(3, 2), "ABCABC");
        let prints =
            [print(0, 0.0, 0.010), print(1, 0.030, 0.040), print(2, 0.050, 0.060), print(0, 0.100, 0.110)];
        let figures = lockstep_figures(Coordination::Locks, 3, 1, &prints);
        // Three letters were expected; four were printed.
        assert!(!figures.sequence_ok);
        assert_eq!(figures.handoffs, 3);
        assert_eq!(figures.handoff_p50_us.map(f64::round), Some(20.0));
        assert_eq!(figures.handoff_p99_us.map(f64::round), Some(40.0));
        let figures = lockstep_figures(Coordination::Locks, 3, 1, &prints[..3]);
        assert!(figures.sequence_ok);
        // One thread printing twice in a row is no hand-off.
        let figures = lockstep_figures(
            Coordination::Condvar,
            2,
            1,
            &[print(0, 0.0, 0.1), print(0, 0.2, 0.3), print(1, 0.5, 0.6)],
        );
        assert_eq!((figures.sequence_ok, figures.handoffs), (false, 1));
        assert_eq!(
            hand_offs(Coordination::Atomics, &prints[..2]),
            vec![HandOff { from_lane: 0, from_ms: 0.010, to_lane: 1, to_ms: 0.030 }]
        );
        // No coordination hands nothing off: no latency is made up for it.
        let figures = lockstep_figures(Coordination::None, 3, 1, &prints[..3]);
        assert_eq!((figures.handoffs, figures.handoff_p50_us), (0, None));
        assert!(hand_offs(Coordination::None, &prints).is_empty());
    }
}
