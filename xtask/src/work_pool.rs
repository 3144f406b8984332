//! The load endpoint's capacity: `workers` OS threads doing real CPU work,
//! behind a queue of at most `queue` waiting requests. A request that finds
//! every worker busy and every place in the queue taken is refused at once:
//! a server is a bounded resource, and a load test must be able to see it.

use std::ops::RangeInclusive;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use crossbeam_channel::{Receiver, Sender, TrySendError};
use tokio::sync::oneshot;

pub const WORKERS_RANGE: RangeInclusive<usize> = 1..=64;
pub const QUEUE_RANGE: RangeInclusive<usize> = 0..=10_000;

/// How many requests the load endpoint works on at once, and how many more
/// may wait for a worker.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Capacity {
    pub workers: usize,
    pub queue: usize,
}

impl Default for Capacity {
    fn default() -> Self {
        Capacity { workers: 2, queue: 16 }
    }
}

/// What a worker did for one request.
#[derive(Clone, Copy, Debug)]
pub struct Worked {
    /// From the request's arrival in the queue to a worker taking it.
    pub queued: Duration,
    /// The work itself, as measured.
    pub cpu: Duration,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
pub enum Refused {
    #[error("queue full: all {workers} workers are busy and all {queue} places in the queue are taken")]
    Full { workers: usize, queue: usize },
    #[error("the server's workers have stopped")]
    Stopped,
}

pub struct WorkPool {
    capacity: Capacity,
    jobs: Sender<Job>,
    /// Requests taken in, working or waiting: never more than workers + queue.
    taken_in: Arc<AtomicUsize>,
}

struct Job {
    cpu: Duration,
    arrived: Instant,
    answer: oneshot::Sender<Worked>,
    place: Place,
}

/// A request's place in the server; given back when dropped.
struct Place(Arc<AtomicUsize>);

impl Drop for Place {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::SeqCst);
    }
}

impl WorkPool {
    /// Starts the workers. They end when the pool is dropped (the channel
    /// disconnects), after the job in hand.
    pub fn start(capacity: Capacity) -> Self {
        Self::start_threads(capacity).0
    }

    fn start_threads(capacity: Capacity) -> (Self, Vec<JoinHandle<()>>) {
        let capacity = Capacity { workers: capacity.workers.max(1), queue: capacity.queue };
        // Admission is counted in `taken_in`, so the channel never holds
        // more than this; bounded all the same.
        let (jobs, receiver) = crossbeam_channel::bounded(capacity.workers + capacity.queue);
        let threads = (0..capacity.workers)
            .filter_map(|number| {
                let receiver = receiver.clone();
                std::thread::Builder::new()
                    .name(format!("overlap-work-{number}"))
                    .spawn(move || work_until_disconnected(&receiver))
                    .map_err(|error| eprintln!("xtask: cannot start load worker {number}: {error}"))
                    .ok()
            })
            .collect();
        (WorkPool { capacity, jobs, taken_in: Arc::new(AtomicUsize::new(0)) }, threads)
    }

    /// Queues `cpu` of work, or refuses at once when the server is full. The
    /// answer comes once a worker has done it.
    pub fn submit(&self, cpu: Duration) -> Result<oneshot::Receiver<Worked>, Refused> {
        let limit = self.capacity.workers + self.capacity.queue;
        let admitted = self
            .taken_in
            .fetch_update(Ordering::SeqCst, Ordering::SeqCst, |taken| (taken < limit).then_some(taken + 1));
        if admitted.is_err() {
            return Err(Refused::Full { workers: self.capacity.workers, queue: self.capacity.queue });
        }
        let place = Place(Arc::clone(&self.taken_in));
        let (answer, answered) = oneshot::channel();
        let job = Job { cpu, arrived: Instant::now(), answer, place };
        match self.jobs.try_send(job) {
            Ok(()) => Ok(answered),
            // Full cannot happen (see `start_threads`); the place is given
            // back as the job is dropped.
            Err(TrySendError::Full(_)) => {
                Err(Refused::Full { workers: self.capacity.workers, queue: self.capacity.queue })
            }
            Err(TrySendError::Disconnected(_)) => Err(Refused::Stopped),
        }
    }
}

fn work_until_disconnected(jobs: &Receiver<Job>) {
    while let Ok(Job { cpu, arrived, answer, place }) = jobs.recv() {
        let queued = arrived.elapsed();
        // The work is done even when the requester has gone: a server does
        // not learn that until it answers.
        let cpu = compute_for(cpu);
        // The place is given back before answering, so whoever sends the
        // next request on receiving this answer finds it free.
        drop(place);
        let _ = answer.send(Worked { queued, cpu });
    }
}

/// Real CPU work for `duration`, on this thread: a busy loop, never a sleep.
fn compute_for(duration: Duration) -> Duration {
    let started = Instant::now();
    let mut state = 0u64;
    while started.elapsed() < duration {
        for _ in 0..256 {
            state = std::hint::black_box(state.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1));
        }
        std::hint::spin_loop();
    }
    std::hint::black_box(state);
    started.elapsed()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn takes_in_workers_plus_queue_and_refuses_the_rest() {
        let (pool, _) = WorkPool::start_threads(Capacity { workers: 1, queue: 2 });
        let taken: Vec<_> = (0..3).map(|_| pool.submit(Duration::from_millis(30))).collect();
        assert!(taken.iter().all(Result::is_ok));
        assert_eq!(pool.submit(Duration::ZERO).err(), Some(Refused::Full { workers: 1, queue: 2 }));
        let answers: Vec<Worked> = taken
            .into_iter()
            .map(|receiver| receiver.expect("taken in").blocking_recv().expect("answered"))
            .collect();
        for worked in &answers {
            assert!(worked.cpu >= Duration::from_millis(30), "{worked:?}");
        }
        // One worker: the third waited for the two before it.
        assert!(answers[2].queued >= Duration::from_millis(60), "{answers:?}");
        // Every place is given back before its answer arrives.
        assert!(pool.submit(Duration::ZERO).is_ok());
    }

    #[test]
    fn workers_end_when_the_pool_is_dropped() {
        let (pool, threads) = WorkPool::start_threads(Capacity { workers: 3, queue: 0 });
        assert_eq!(threads.len(), 3);
        let answered = pool.submit(Duration::from_millis(5)).expect("taken in");
        drop(pool);
        // The job in hand is finished, then the workers see the disconnect.
        assert!(answered.blocking_recv().is_ok());
        for thread in threads {
            thread.join().expect("a worker that ended cleanly");
        }
    }
}
