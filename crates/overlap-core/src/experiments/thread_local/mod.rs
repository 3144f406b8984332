//! The thread-local experiment (`?exp=thread-local`): tasks on the pool each
//! add to their own thread's counter (`thread_local!`, like
//! `threading.local()`) and to one shared atomic counter; each thread keeps
//! its own student, as in the notes, and no task ever sees another's.

mod figures;
mod params;
pub mod prediction;
mod python;

pub use figures::{
    TaskRecord, ThreadFigures, ThreadLocalFigures, ThreadTotal, expected_total, saw_own_student, task_amount,
    thread_local_figures,
};
pub use params::{TASKS_KEY, TASKS_RANGE, THREADS_KEY, THREADS_RANGE, ThreadLocalParams, student_of};
pub use python::python_program;
