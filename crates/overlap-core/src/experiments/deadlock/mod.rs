//! The deadlock experiment (`?exp=deadlock`): threads that really block on
//! locks and futures until a cycle of waits stands, the wait-for graph read
//! from their shared state while it stands, the cycle found and named, a
//! wait made to time out to break it, and each scenario's fix.

mod figures;
mod graph;
mod model;
mod params;
mod picture;
pub mod prediction;
mod python;

pub use figures::DeadlockFigures;
pub use graph::{Node, cycle_text, node_name, wait_cycle, wait_edges};
pub use model::{FREE, HELD_BY_FIRST, Lab, PENDING, Step, WAITS_FOR_NOTHING};
pub use params::{DeadlockParams, FIXED_KEY, PHILOSOPHERS_KEY, SCENARIO_KEY, Scenario};
pub use picture::{GraphPicture, NODE_RADIUS_PX, graph_picture};
pub use python::python_program;
