//! The deadlock experiment (`?exp=deadlock`): threads that really block on
//! locks and futures until a cycle of waits stands, the wait-for graph read
//! from their shared state while it stands, the cycle found and named, a
//! wait made to time out to break it, and each scenario's fix.

mod figures;
mod graph;
mod model;
mod params;
mod picture;
mod python;

pub use figures::DeadlockFigures;
pub use graph::{Node, cycle_text, find_cycle, node_name, wait_cycle, wait_edges};
pub use model::{
    FIXED_TIMEOUT_MS, FREE, HELD_BY_FIRST, HOLD_MS, Lab, PENDING, ResourceKind, Step, Task, ThreadScript,
    UNSUBMITTED, WAITS_FOR_NOTHING, WORK_MS,
};
pub use params::{DeadlockParams, FIXED_KEY, PHILOSOPHERS_KEY, PHILOSOPHERS_RANGE, SCENARIO_KEY, Scenario};
pub use picture::{EdgeMark, GraphPicture, MIN_SIZE_PX, NODE_RADIUS_PX, NodeMark, graph_picture};
pub use python::python_program;
