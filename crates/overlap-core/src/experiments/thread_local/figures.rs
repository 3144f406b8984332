//! A thread-local run's numbers: what each thread's own counter holds, that
//! they add up to the shared counter and to what the tasks put in, and
//! that every task saw its own thread's student.

use crate::experiments::thread_local::params::student_of;
use crate::records::results::Figure;

/// Task `task` (from 0) adds `task + 1`.
pub fn task_amount(task: u32) -> u64 {
    u64::from(task) + 1
}

/// What `tasks` tasks add up to: 1 + 2 + … + tasks.
pub fn expected_total(tasks: u32) -> u64 {
    let tasks = u64::from(tasks);
    tasks * (tasks + 1) / 2
}

/// One task as it ran, on the run's clock.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct TaskRecord {
    pub task: u32,
    /// The pool thread it ran on.
    pub thread: u32,
    /// The task that bound the student its thread's slot held when this
    /// task read it (the thread's first task of the run binds it).
    pub student_bound_by: Option<u32>,
    pub start_ms: f64,
    pub end_ms: f64,
}

/// One thread's own counter at the end of a run.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ThreadTotal {
    pub thread: u32,
    pub local_sum: u64,
    pub tasks: u32,
}

#[derive(Clone, Debug, PartialEq)]
pub struct ThreadFigures {
    pub thread: u32,
    pub student: &'static str,
    pub tasks: u32,
    pub local_sum: u64,
}

#[derive(Clone, Debug, PartialEq)]
pub struct ThreadLocalFigures {
    /// The threads that ran a task, in order.
    pub per_thread: Vec<ThreadFigures>,
    pub sum_of_locals: u64,
    pub shared_total: u64,
    pub expected: u64,
    /// Every task saw the student of the thread it ran on, and no other.
    pub students_kept_apart: bool,
}

impl ThreadLocalFigures {
    pub fn sums_agree(&self) -> bool {
        self.sum_of_locals == self.shared_total && self.shared_total == self.expected
    }

    pub fn results(&self) -> Vec<(&'static str, Figure)> {
        let per_thread = self
            .per_thread
            .iter()
            .map(|thread| {
                Figure::Object(vec![
                    ("thread".to_string(), Figure::Number(f64::from(thread.thread + 1))),
                    ("student".to_string(), Figure::Text(thread.student.to_string())),
                    ("tasks".to_string(), Figure::Number(f64::from(thread.tasks))),
                    ("local_sum".to_string(), Figure::Number(thread.local_sum as f64)),
                ])
            })
            .collect();
        vec![
            ("per_thread", Figure::List(per_thread)),
            ("sum_of_locals", Figure::Number(self.sum_of_locals as f64)),
            ("shared_total", Figure::Number(self.shared_total as f64)),
            ("expected", Figure::Number(self.expected as f64)),
            ("sums_agree", Figure::Bool(self.sums_agree())),
            ("students_kept_apart", Figure::Bool(self.students_kept_apart)),
        ]
    }
}

/// Whether the student `record`'s task read was bound by a task on its own
/// thread: what `threading.local()` promises.
pub fn saw_own_student(record: &TaskRecord, records: &[TaskRecord]) -> bool {
    record
        .student_bound_by
        .and_then(|binder| records.iter().find(|other| other.task == binder))
        .is_some_and(|binder| binder.thread == record.thread)
}

/// The figures of a run of `tasks` tasks.
pub fn thread_local_figures(
    tasks: u32,
    records: &[TaskRecord],
    totals: &[ThreadTotal],
    shared_total: u64,
) -> ThreadLocalFigures {
    let mut per_thread: Vec<ThreadFigures> = totals
        .iter()
        .filter(|total| total.tasks > 0)
        .map(|total| ThreadFigures {
            thread: total.thread,
            student: student_of(total.thread),
            tasks: total.tasks,
            local_sum: total.local_sum,
        })
        .collect();
    per_thread.sort_by_key(|thread| thread.thread);
    ThreadLocalFigures {
        sum_of_locals: per_thread.iter().map(|thread| thread.local_sum).sum(),
        shared_total,
        expected: expected_total(tasks),
        students_kept_apart: records.iter().all(|record| saw_own_student(record, records)),
        per_thread,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn record(task: u32, thread: u32, student_bound_by: Option<u32>) -> TaskRecord {
        TaskRecord { task, thread, student_bound_by, start_ms: 0.0, end_ms: 1.0 }
    }

    #[test]
    fn the_threads_own_counters_add_up_to_the_shared_one() {
        // Task 0 bound thread 0's student, task 1 thread 1's; task 2 read task 0's.
        let records = [record(0, 0, Some(0)), record(1, 1, Some(1)), record(2, 0, Some(0))];
        let totals = [
            ThreadTotal { thread: 1, local_sum: 2, tasks: 1 },
            ThreadTotal { thread: 0, local_sum: 4, tasks: 2 },
            ThreadTotal { thread: 2, local_sum: 0, tasks: 0 },
        ];
        let figures = thread_local_figures(3, &records, &totals, 6);
        assert_eq!(
            figures.per_thread.iter().map(|thread| (thread.thread, thread.student)).collect::<Vec<_>>(),
            vec![(0, "Alice"), (1, "Bob")]
        );
        assert!(figures.sums_agree() && figures.students_kept_apart);
        // A task that saw another thread's student, or a shared total that
        // lost an update, is caught.
        // Task 2 on thread 0 reading the student task 1 bound on thread 1 is caught.
        let leaked = [record(0, 0, Some(0)), record(1, 1, Some(1)), record(2, 0, Some(1))];
        assert!(!saw_own_student(&leaked[2], &leaked));
        let figures = thread_local_figures(3, &leaked, &totals, 5);
        assert!(!figures.sums_agree() && !figures.students_kept_apart);
        assert_eq!(expected_total(48), 1176);
    }
}
