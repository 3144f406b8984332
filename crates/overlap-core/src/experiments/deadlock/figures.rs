//! A deadlock run's numbers, as "Download results" writes them.

use crate::records::results::Figure;

#[derive(Clone, Debug, PartialEq)]
pub struct DeadlockFigures {
    /// A cycle of waits stood at some reading.
    pub deadlocked: bool,
    /// Its nodes in order, the first repeated at the end, as named on the page.
    pub cycle: Vec<String>,
    /// From the wait that closed the cycle to the reading that found it.
    pub detected_after_ms: Option<f64>,
    /// "Break the deadlock" made a wait time out.
    pub broken: bool,
    /// Every thread ran to its end.
    pub completed: bool,
    /// Waits that ended by their timeout (TimeoutError).
    pub timed_out_waits: u32,
    pub fixed: bool,
    pub time_ms: f64,
}

impl DeadlockFigures {
    pub fn results(&self) -> Vec<(&'static str, Figure)> {
        vec![
            ("deadlocked", Figure::Bool(self.deadlocked)),
            ("cycle", Figure::List(self.cycle.iter().cloned().map(Figure::Text).collect())),
            ("detected_after_ms", self.detected_after_ms.into()),
            ("broken", Figure::Bool(self.broken)),
            ("completed", Figure::Bool(self.completed)),
            // Only a fixed run can complete "after the fix".
            ("completed_after_fix", if self.fixed { Figure::Bool(self.completed) } else { Figure::Missing }),
            ("timed_out_waits", (self.timed_out_waits as usize).into()),
            ("time_ms", self.time_ms.into()),
        ]
    }
}
