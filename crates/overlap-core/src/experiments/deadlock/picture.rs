//! The wait-for graph as a picture: nodes around a circle (the cycle's
//! first, in its order, so it reads round the circle), straight arrows
//! between them, stopping short of the nodes they join.

use crate::experiments::deadlock::graph::Node;

/// The smallest picture: a square this wide.
pub const MIN_SIZE_PX: f64 = 320.0;
pub const NODE_RADIUS_PX: f64 = 22.0;
/// Room between two neighbours on the circle, beyond their radii.
const GAP_PX: f64 = 14.0;
/// Room outside the circle for the nodes and the labels under them.
const MARGIN_PX: f64 = NODE_RADIUS_PX + 24.0;

#[derive(Clone, Debug, PartialEq)]
pub struct NodeMark {
    pub node: Node,
    pub x_px: f64,
    pub y_px: f64,
    pub in_cycle: bool,
}

#[derive(Clone, Debug, PartialEq)]
pub struct EdgeMark {
    pub from: Node,
    pub to: Node,
    pub x1_px: f64,
    pub y1_px: f64,
    pub x2_px: f64,
    pub y2_px: f64,
    pub in_cycle: bool,
}

#[derive(Clone, Debug, Default, PartialEq)]
pub struct GraphPicture {
    /// Its width and height: it grows with the nodes, so none touch.
    pub size_px: f64,
    pub nodes: Vec<NodeMark>,
    pub edges: Vec<EdgeMark>,
}

/// Places `threads` threads and `resources` resources, and the edges
/// between them; `cycle`'s nodes and edges are marked.
pub fn graph_picture(
    threads: usize,
    resources: usize,
    edges: &[(Node, Node)],
    cycle: &[Node],
) -> GraphPicture {
    let mut order: Vec<Node> = cycle.to_vec();
    // The rest alternate thread, resource, as a held-and-waited chain does.
    for index in 0..threads.max(resources) {
        for node in [Node::Thread(index), Node::Resource(index)] {
            let exists = match node {
                Node::Thread(thread) => thread < threads,
                Node::Resource(resource) => resource < resources,
            };
            if exists && !order.contains(&node) {
                order.push(node);
            }
        }
    }
    let count = order.len().max(1) as f64;
    // Neighbours a chord apart: 2 R sin(π / count) ≥ two radii and a gap.
    let spread_px = (2.0 * NODE_RADIUS_PX + GAP_PX) / (2.0 * (std::f64::consts::PI / count.max(2.0)).sin());
    let radius = spread_px.max(MIN_SIZE_PX / 2.0 - MARGIN_PX);
    let size_px = 2.0 * (radius + MARGIN_PX);
    let centre = size_px / 2.0;
    let nodes: Vec<NodeMark> = order
        .iter()
        .enumerate()
        .map(|(index, node)| {
            // From the top, clockwise.
            let angle = std::f64::consts::TAU * index as f64 / count - std::f64::consts::FRAC_PI_2;
            NodeMark {
                node: *node,
                x_px: centre + radius * angle.cos(),
                y_px: centre + radius * angle.sin(),
                in_cycle: cycle.contains(node),
            }
        })
        .collect();
    let at = |node: Node| nodes.iter().find(|mark| mark.node == node).map(|mark| (mark.x_px, mark.y_px));
    let in_cycle = |from: Node, to: Node| {
        (0..cycle.len()).any(|index| cycle[index] == from && cycle[(index + 1) % cycle.len()] == to)
    };
    let edges = edges
        .iter()
        .filter_map(|(from, to)| {
            let ((x1, y1), (x2, y2)) = (at(*from)?, at(*to)?);
            let length = ((x2 - x1).powi(2) + (y2 - y1).powi(2)).sqrt();
            if length <= 2.0 * NODE_RADIUS_PX {
                return None;
            }
            let (unit_x, unit_y) = ((x2 - x1) / length, (y2 - y1) / length);
            Some(EdgeMark {
                from: *from,
                to: *to,
                x1_px: x1 + unit_x * NODE_RADIUS_PX,
                y1_px: y1 + unit_y * NODE_RADIUS_PX,
                x2_px: x2 - unit_x * (NODE_RADIUS_PX + 4.0),
                y2_px: y2 - unit_y * (NODE_RADIUS_PX + 4.0),
                in_cycle: in_cycle(*from, *to),
            })
        })
        .collect();
    GraphPicture { size_px, nodes, edges }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_cycle_reads_round_the_circle_and_every_edge_stops_short() {
        let cycle = [Node::Thread(0), Node::Resource(1), Node::Thread(1), Node::Resource(0)];
        let edges: Vec<(Node, Node)> = (0..4).map(|index| (cycle[index], cycle[(index + 1) % 4])).collect();
        let picture = graph_picture(2, 2, &edges, &cycle);
        assert_eq!(picture.nodes.iter().map(|mark| mark.node).collect::<Vec<_>>(), cycle);
        // The first node at the top.
        assert_eq!(picture.size_px, MIN_SIZE_PX);
        assert!((picture.nodes[0].x_px - MIN_SIZE_PX / 2.0).abs() < 1e-9);
        assert!(picture.edges.iter().all(|edge| edge.in_cycle));
        for edge in &picture.edges {
            for (x, y) in [(edge.x1_px, edge.y1_px), (edge.x2_px, edge.y2_px)] {
                assert!((0.0..=MIN_SIZE_PX).contains(&x) && (0.0..=MIN_SIZE_PX).contains(&y));
            }
        }
        // Sixteen philosophers: the circle grows, every edge is drawn.
        let table: Vec<Node> =
            (0..16).flat_map(|index| [Node::Thread(index), Node::Resource((index + 1) % 16)]).collect();
        let around: Vec<(Node, Node)> =
            (0..32).map(|index| (table[index], table[(index + 1) % 32])).collect();
        let big = graph_picture(16, 16, &around, &table);
        assert_eq!(big.edges.len(), 32);
        assert!(big.size_px > MIN_SIZE_PX);
        for pair in big.nodes.windows(2) {
            let apart =
                ((pair[0].x_px - pair[1].x_px).powi(2) + (pair[0].y_px - pair[1].y_px).powi(2)).sqrt();
            assert!(apart >= 2.0 * NODE_RADIUS_PX, "{apart}");
        }
        let open = graph_picture(2, 2, &edges[..1], &[]);
        assert_eq!(open.nodes.len(), 4);
        assert!(!open.edges[0].in_cycle);
    }
}
