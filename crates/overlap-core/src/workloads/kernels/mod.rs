//! The CPU kernels: pure functions the experiments run as tasks. The parts
//! between `region: shown` markers are what the page shows as "the Rust that
//! runs".

pub mod blur;
pub mod mandelbrot;
pub mod primes;
pub mod sum_of_squares;
