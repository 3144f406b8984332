//! The work experiments run, shared by any of them: CPU tasks (`cpu`: task
//! lists, exact results, warm-up) and the kernels that compute them.

pub mod cpu;
pub mod kernels;
