//! Hand-offs drawn between lanes: one lane passing something (a turn, a
//! lock) to another. Given a frame's scale, where each visible link starts
//! and ends on the canvas; none of a run's links when they are too dense to
//! tell apart (zooming in brings them back).

use crate::timeline::layout::{LANE_HEIGHT_PX, TimelineLayout};
use crate::timeline::scale::TimeScale;

/// `from_lane` let go at `from_ms`; `to_lane` went on at `to_ms`.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct HandOff {
    pub from_lane: u32,
    pub from_ms: f64,
    pub to_lane: u32,
    pub to_ms: f64,
}

/// A link on the plot (x from the plot's left edge, y from the canvas top).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct LinkSegment {
    pub from_x_px: f64,
    pub from_y_px: f64,
    pub to_x_px: f64,
    pub to_y_px: f64,
}

/// The least room a drawn link has on average: denser links would be a
/// smear, not arrows.
pub const MIN_PX_PER_LINK: f64 = 6.0;

/// The visible links of every run (`links[run]`), on `scale`.
pub fn link_segments(layout: &TimelineLayout, links: &[Vec<HandOff>], scale: &TimeScale) -> Vec<LinkSegment> {
    let mut segments = Vec::new();
    for (run, block) in layout.runs.iter().enumerate() {
        let Some(run_links) = links.get(run) else { continue };
        let rows = &layout.rows[block.rows.clone()];
        let middle_of =
            |lane: u32| rows.iter().find(|row| row.lane == lane).map(|row| row.top_px + LANE_HEIGHT_PX / 2.0);
        let visible: Vec<&HandOff> = run_links
            .iter()
            .filter(|link| {
                link.from_ms.max(link.to_ms) >= scale.start_ms && link.from_ms.min(link.to_ms) <= scale.end_ms
            })
            .collect();
        if visible.len() as f64 * MIN_PX_PER_LINK > scale.width_px {
            continue;
        }
        let x = |ms: f64| scale.x_from_ms(ms).clamp(0.0, scale.width_px);
        segments.extend(visible.into_iter().filter_map(|link| {
            Some(LinkSegment {
                from_x_px: x(link.from_ms),
                from_y_px: middle_of(link.from_lane)?,
                to_x_px: x(link.to_ms),
                to_y_px: middle_of(link.to_lane)?,
            })
        }));
    }
    segments
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::records::span::{Span, SpanState};
    use crate::timeline::layout::{AXIS_HEIGHT_PX, HEADER_HEIGHT_PX, LANE_GAP_PX};

    fn span(lane: u32, start_ms: f64, end_ms: f64) -> Span {
        Span { task: None, lane: Some(lane), state: SpanState::Running, start_ms, end_ms }
    }

    #[test]
    fn links_join_the_middles_of_their_lanes_and_thin_out_when_dense() {
        let spans = [span(0, 0.0, 1.0), span(1, 2.0, 3.0)];
        let layout = TimelineLayout::new([&spans[..]]);
        let link = HandOff { from_lane: 0, from_ms: 1.0, to_lane: 1, to_ms: 2.0 };
        let scale = TimeScale::new(0.0, 4.0, 400.0);
        let first_middle = AXIS_HEIGHT_PX + HEADER_HEIGHT_PX + LANE_HEIGHT_PX / 2.0;
        assert_eq!(
            link_segments(&layout, &[vec![link]], &scale),
            vec![LinkSegment {
                from_x_px: 100.0,
                from_y_px: first_middle,
                to_x_px: 200.0,
                to_y_px: first_middle + LANE_HEIGHT_PX + LANE_GAP_PX,
            }]
        );
        // Out of view: nothing; a lane the run does not have: nothing.
        assert!(link_segments(&layout, &[vec![link]], &TimeScale::new(2.5, 4.0, 400.0)).is_empty());
        let stray = HandOff { to_lane: 7, ..link };
        assert!(link_segments(&layout, &[vec![stray]], &scale).is_empty());
        // 100 links in 400 px are a smear: none are drawn until zoomed in.
        let dense: Vec<HandOff> = (0..100).map(|_| link).collect();
        assert!(link_segments(&layout, std::slice::from_ref(&dense), &scale).is_empty());
        assert_eq!(link_segments(&layout, &[dense], &TimeScale::new(0.0, 4.0, 1000.0)).len(), 100);
    }
}
