//! A count over time drawn under the lanes on the same time axis (a queue's
//! depth): the step outline of its samples, in pixels, for the view to draw
//! as it is.

use crate::timeline::scale::TimeScale;

/// Steps closer than this are drawn as one.
const MERGE_PX: f64 = 0.25;

/// A count that holds from `at_ms` until the next sample.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct CountAt {
    pub at_ms: f64,
    pub count: u32,
}

/// The highest count the chart's scale must show: the samples' highest, or
/// the limit drawn with them, and never below 1.
pub fn chart_top(samples: &[CountAt], limit: Option<u32>) -> u32 {
    samples.iter().map(|sample| sample.count).chain(limit).max().unwrap_or(0).max(1)
}

/// The y of `count` in a chart `height_px` tall whose top is `top`.
pub fn y_from_count(count: u32, top: u32, height_px: f64) -> f64 {
    height_px - f64::from(count) / f64::from(top.max(1)) * height_px
}

/// The outline of the count as steps, from 0 at the first sample's time to
/// `end_ms`, in plot pixels (x from the plot's left edge); what lies outside
/// the scale's range is cut at its edges, so any zoom draws a short list.
pub fn step_outline(
    samples: &[CountAt],
    end_ms: f64,
    scale: &TimeScale,
    top: u32,
    height_px: f64,
) -> Vec<(f64, f64)> {
    let mut sorted = samples.to_vec();
    sorted.sort_by(|a, b| a.at_ms.total_cmp(&b.at_ms));
    let Some(first) = sorted.first() else { return Vec::new() };
    let (from_ms, to_ms) = (first.at_ms.max(scale.start_ms), end_ms.min(scale.end_ms));
    if to_ms <= from_ms {
        return Vec::new();
    }
    let x = |ms: f64| scale.x_from_ms(ms.clamp(from_ms, to_ms));
    let y = |count: u32| y_from_count(count, top, height_px);
    let mut points = vec![(x(from_ms), y(0))];
    let mut count = 0;
    for sample in &sorted {
        if sample.at_ms > to_ms {
            break;
        }
        if sample.count != count {
            let at = x(sample.at_ms);
            let steps_drawn = points.len() > 1;
            match points.last_mut() {
                // Within a quarter pixel of the last step: that step goes
                // to the new count instead (a screen cannot show both).
                Some(last) if steps_drawn && at - last.0 < MERGE_PX => last.1 = y(sample.count),
                _ => {
                    points.push((at, y(count)));
                    points.push((at, y(sample.count)));
                }
            }
            count = sample.count;
        }
    }
    points.push((x(to_ms), y(count)));
    points.push((x(to_ms), y(0)));
    points.dedup();
    points
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(at_ms: f64, count: u32) -> CountAt {
        CountAt { at_ms, count }
    }

    #[test]
    fn steps_hold_each_count_until_the_next_and_close_at_zero() {
        let scale = TimeScale::new(0.0, 10.0, 100.0);
        let samples = [at(2.0, 1), at(4.0, 3), at(4.0, 3), at(6.0, 0)];
        let top = chart_top(&samples, Some(5));
        assert_eq!(top, 5);
        let outline = step_outline(&samples, 8.0, &scale, top, 50.0);
        assert_eq!(
            outline,
            [
                (20.0, 50.0),
                (20.0, 40.0),
                (40.0, 40.0),
                (40.0, 20.0),
                (60.0, 20.0),
                (60.0, 50.0),
                (80.0, 50.0)
            ]
        );
    }

    #[test]
    fn a_zoomed_scale_cuts_the_outline_at_its_edges() {
        let scale = TimeScale::new(3.0, 5.0, 100.0);
        let samples = [at(2.0, 2), at(4.0, 4), at(9.0, 0)];
        let outline = step_outline(&samples, 10.0, &scale, 4, 40.0);
        assert!(outline.iter().all(|(x, _)| (0.0..=100.0).contains(x)), "{outline:?}");
        assert_eq!(outline.first(), Some(&(0.0, 40.0)));
        assert_eq!(outline.last(), Some(&(100.0, 40.0)));
        assert!(outline.contains(&(50.0, 0.0)), "4 of 4 at 4 ms reaches the top: {outline:?}");
        assert!(step_outline(&[], 10.0, &scale, 4, 40.0).is_empty());
        assert_eq!(chart_top(&[], None), 1);
    }

    #[test]
    fn thousands_of_steps_in_a_few_pixels_draw_a_short_outline() {
        let scale = TimeScale::new(0.0, 10.0, 10.0);
        let samples: Vec<CountAt> =
            (0..10_000).map(|index| at(f64::from(index) / 1000.0, index % 7)).collect();
        let outline = step_outline(&samples, 10.0, &scale, 6, 60.0);
        // At most one step (two points) a quarter pixel, against 20,000 points unmerged.
        assert!(outline.len() <= 2 * 4 * 10 + 4, "{} points", outline.len());
        assert!(outline.iter().all(|(x, y)| (0.0..=10.0).contains(x) && (0.0..=60.0).contains(y)));
    }
}
