//! The wait-for graph read from the resources' words and the threads'
//! waits, and the cycle in it, if one stands.
//!
//! A thread points at what it waits for; a resource points at the thread
//! holding it; a pending future points at the pool's worker places, but
//! only while every place is held (it waits for any one of them, so a
//! free place means it is not stuck).

use crate::experiments::deadlock::model::{HELD_BY_FIRST, Lab, PENDING, WAITS_FOR_NOTHING};
use crate::experiments::deadlock::params::Scenario;
use crate::lang::Lang;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Node {
    Thread(usize),
    Resource(usize),
}

/// The graph's edges for one reading of the lab's shared state.
pub fn wait_edges(lab: &Lab, words: &[u32], waits_for: &[u32]) -> Vec<(Node, Node)> {
    let held_by = |word: u32| (word >= HELD_BY_FIRST).then(|| (word - HELD_BY_FIRST) as usize);
    let mut edges = Vec::new();
    for (thread, waited) in waits_for.iter().enumerate() {
        if *waited != WAITS_FOR_NOTHING && (*waited as usize) < words.len() {
            edges.push((Node::Thread(thread), Node::Resource(*waited as usize)));
        }
    }
    for (resource, word) in words.iter().enumerate() {
        if let Some(thread) = held_by(*word).filter(|thread| *thread < waits_for.len()) {
            edges.push((Node::Resource(resource), Node::Thread(thread)));
        }
    }
    let places = lab.worker_places();
    let all_places_held = !places.is_empty()
        && places.iter().all(|place| words.get(*place).is_some_and(|word| held_by(*word).is_some()));
    if all_places_held {
        for (resource, word) in words.iter().enumerate() {
            if *word == PENDING {
                edges.extend(places.iter().map(|place| (Node::Resource(resource), Node::Resource(*place))));
            }
        }
    }
    edges
}

/// One cycle of a directed graph on `0..node_count`, as its nodes in
/// order (the edge from the last leads back to the first), starting at
/// its lowest node; `None` where the graph has none.
pub fn find_cycle(node_count: usize, edges: &[(usize, usize)]) -> Option<Vec<usize>> {
    let mut next: Vec<Vec<usize>> = vec![Vec::new(); node_count];
    for (from, to) in edges {
        if *from < node_count && *to < node_count {
            next[*from].push(*to);
        }
    }
    #[derive(Clone, Copy, PartialEq)]
    enum Seen {
        Not,
        OnPath,
        Done,
    }
    let mut seen = vec![Seen::Not; node_count];
    for root in 0..node_count {
        if seen[root] != Seen::Not {
            continue;
        }
        // Depth first without recursion: the path, and each node's next edge.
        let mut path: Vec<(usize, usize)> = vec![(root, 0)];
        seen[root] = Seen::OnPath;
        while let Some((node, edge)) = path.last_mut() {
            let node = *node;
            if let Some(&to) = next[node].get(*edge) {
                *edge += 1;
                match seen[to] {
                    Seen::OnPath => {
                        let start = path.iter().position(|(on_path, _)| *on_path == to).unwrap_or(0);
                        let mut cycle: Vec<usize> =
                            path[start..].iter().map(|(on_path, _)| *on_path).collect();
                        let lowest = (0..cycle.len()).min_by_key(|index| cycle[*index]).unwrap_or(0);
                        cycle.rotate_left(lowest);
                        return Some(cycle);
                    }
                    Seen::Not => {
                        seen[to] = Seen::OnPath;
                        path.push((to, 0));
                    }
                    Seen::Done => {}
                }
            } else {
                seen[node] = Seen::Done;
                path.pop();
            }
        }
    }
    None
}

/// The deadlock standing in the wait-for graph: a cycle none of whose waits
/// can end by itself (`timed[t]`: thread t's wait has a timeout, so a
/// cycle through it will open). Threads first: threads are numbered
/// before resources, so it starts at its lowest thread.
pub fn wait_cycle(lab: &Lab, words: &[u32], waits_for: &[u32], timed: &[bool]) -> Option<Vec<Node>> {
    let threads = waits_for.len();
    let index = |node: Node| match node {
        Node::Thread(thread) => thread,
        Node::Resource(resource) => threads + resource,
    };
    let edges: Vec<(usize, usize)> = wait_edges(lab, words, waits_for)
        .into_iter()
        .filter(
            |(from, _)| !matches!(from, Node::Thread(thread) if timed.get(*thread).copied().unwrap_or(false)),
        )
        .map(|(from, to)| (index(from), index(to)))
        .collect();
    let cycle = find_cycle(threads + words.len(), &edges)?;
    Some(
        cycle
            .into_iter()
            .map(|node| if node < threads { Node::Thread(node) } else { Node::Resource(node - threads) })
            .collect(),
    )
}

/// A node's name in the page's language.
pub fn node_name(lab: &Lab, scenario: Scenario, node: Node, lang: Lang) -> String {
    match node {
        Node::Thread(thread) => lab.thread_name(scenario, thread, lang),
        Node::Resource(resource) => {
            lab.resources.get(resource).map_or_else(String::new, |kind| kind.name(lang))
        }
    }
}

/// The cycle as `asyncio pstree` prints one: `cycle: a → b → a`.
pub fn cycle_text(lab: &Lab, scenario: Scenario, cycle: &[Node], lang: Lang) -> String {
    let mut names: Vec<String> = cycle.iter().map(|node| node_name(lab, scenario, *node, lang)).collect();
    if let Some(first) = names.first().cloned() {
        names.push(first);
    }
    let label = match lang {
        Lang::En => "cycle: ",
        Lang::ZhCn => "环：",
    };
    format!("{label}{}", names.join(" → "))
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;
    use crate::experiments::deadlock::model::{FREE, UNSUBMITTED};

    fn held(thread: u32) -> u32 {
        HELD_BY_FIRST + thread
    }

    #[test]
    fn two_locks_in_opposite_orders_close_a_cycle() {
        let lab = Lab::of(Scenario::Locks, false, 0);
        // Thread 1 holds A and waits for B; thread 2 holds B and waits for A.
        let cycle = wait_cycle(&lab, &[held(0), held(1)], &[1, 0], &[false, false]);
        assert_eq!(cycle, Some(vec![Node::Thread(0), Node::Resource(1), Node::Thread(1), Node::Resource(0)]));
        assert_eq!(
            cycle_text(&lab, Scenario::Locks, &cycle.unwrap_or_default(), Lang::En),
            "cycle: thread 1 → lock B → thread 2 → lock A → thread 1"
        );
        // Thread 2 waiting for A while thread 1 only holds it: no cycle.
        assert_eq!(wait_cycle(&lab, &[held(0), FREE], &[WAITS_FOR_NOTHING, 0], &[false, false]), None);
        // The same cycle, where one wait has a timeout, opens by itself: no deadlock.
        assert_eq!(wait_cycle(&lab, &[held(0), held(1)], &[1, 0], &[true, false]), None);
    }

    #[test]
    fn a_pending_future_waits_on_a_busy_pool() {
        let lab = Lab::of(Scenario::SelfWait, false, 0);
        // The only worker runs the task that waits for pow, which is queued.
        let words = [held(0), PENDING, held(0)];
        let cycle = wait_cycle(&lab, &words, &[1], &[false]).unwrap_or_default();
        assert_eq!(
            cycle_text(&lab, Scenario::SelfWait, &cycle, Lang::En),
            "cycle: worker 1 → future pow(5, 2) → worker slot 1 → worker 1"
        );
        // Before it is submitted, or with a second worker free, nothing is stuck.
        assert_eq!(wait_cycle(&lab, &[held(0), UNSUBMITTED, held(0)], &[WAITS_FOR_NOTHING], &[false]), None);
        // The fixed pool: worker 2, idle until pow is submitted, holds no
        // place meanwhile (the lab frees an idle worker's place).
        let fixed = Lab::of(Scenario::SelfWait, true, 0);
        assert_eq!(
            wait_cycle(&fixed, &[held(0), PENDING, held(0), FREE], &[1, WAITS_FOR_NOTHING], &[false; 2]),
            None
        );
    }

    #[test]
    fn the_philosophers_close_the_table() {
        let lab = Lab::of(Scenario::Philosophers, false, 5);
        let words: Vec<u32> = (0..5).map(held).collect();
        let waits: Vec<u32> = (0..5).map(|thread| (thread + 1) % 5).collect();
        let cycle = wait_cycle(&lab, &words, &waits, &[false; 5]).unwrap_or_default();
        assert_eq!(cycle.len(), 10);
        assert!(
            cycle_text(&lab, Scenario::Philosophers, &cycle, Lang::ZhCn).starts_with("环：哲学家 1 → 叉子 2")
        );
    }

    proptest! {
        /// Edges only from a lower node to a higher one make no cycle.
        #[test]
        fn an_order_never_has_a_cycle(
            count in 1usize..12,
            pairs in prop::collection::vec((0usize..12, 0usize..12), 0..40),
        ) {
            let edges: Vec<(usize, usize)> =
                pairs.into_iter().filter(|(a, b)| a < b).collect();
            prop_assert_eq!(find_cycle(count, &edges), None);
        }

        /// A cycle planted among any other edges is always found, and what
        /// is found is a cycle of the graph.
        #[test]
        fn a_cycle_is_always_found(
            planted in prop::collection::vec(0usize..12, 1..6),
            pairs in prop::collection::vec((0usize..12, 0usize..12), 0..40),
        ) {
            let mut planted = planted;
            planted.dedup();
            let mut edges = pairs;
            for index in 0..planted.len() {
                edges.push((planted[index], planted[(index + 1) % planted.len()]));
            }
            let found = find_cycle(12, &edges);
            prop_assert!(found.is_some());
            let cycle = found.unwrap_or_default();
            for index in 0..cycle.len() {
                let edge = (cycle[index], cycle[(index + 1) % cycle.len()]);
                prop_assert!(edges.contains(&edge), "{:?} is not an edge", edge);
            }
        }
    }
}
