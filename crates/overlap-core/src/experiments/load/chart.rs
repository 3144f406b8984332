//! The load test's charts as geometry: the page writes SVG from it and
//! computes nothing. Requests per second and in flight share one time
//! axis; the latency histogram has a log axis; a load sweep draws latency
//! against throughput.

use crate::charts::{Frame, PlotBox, Tick, nice_step};
use crate::experiments::load::recorder::{BIN_MS, Bin};
use crate::experiments::load::report::Bucket;
use crate::records::units::format_ms;

/// Room for the axes' labels inside the drawing.
pub const MARGIN_LEFT_PX: f64 = 56.0;
pub const MARGIN_RIGHT_PX: f64 = 12.0;
pub const MARGIN_TOP_PX: f64 = 10.0;
pub const MARGIN_BOTTOM_PX: f64 = 28.0;

#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Bar {
    pub x_px: f64,
    pub y_px: f64,
    pub width_px: f64,
    pub height_px: f64,
    pub count: u64,
    pub from_ms: f64,
    pub to_ms: f64,
}

/// A chart: its plot area, ticks on both axes, lines (each a polyline of
/// points) and bars.
#[derive(Clone, Debug, PartialEq)]
pub struct Chart {
    pub frame: Frame,
    pub lines: Vec<Vec<(f64, f64)>>,
    /// Points drawn as dots, with a label each (a sweep's steps).
    pub dots: Vec<(f64, f64, String)>,
    pub bars: Vec<Bar>,
}

impl Chart {
    fn empty(width_px: f64, height_px: f64) -> Chart {
        Chart {
            frame: Frame {
                width_px,
                height_px,
                plot: PlotBox {
                    left_px: MARGIN_LEFT_PX,
                    top_px: MARGIN_TOP_PX,
                    right_px: width_px - MARGIN_RIGHT_PX,
                    bottom_px: height_px - MARGIN_BOTTOM_PX,
                },
                x_ticks: Vec::new(),
                y_ticks: Vec::new(),
            },
            lines: Vec::new(),
            dots: Vec::new(),
            bars: Vec::new(),
        }
    }

    fn x_px(&self, fraction: f64) -> f64 {
        self.frame.plot.left_px
            + fraction.clamp(0.0, 1.0) * (self.frame.plot.right_px - self.frame.plot.left_px)
    }

    fn y_px(&self, fraction: f64) -> f64 {
        self.frame.plot.bottom_px
            - fraction.clamp(0.0, 1.0) * (self.frame.plot.bottom_px - self.frame.plot.top_px)
    }
}

/// The top of a linear axis that holds `max`, and its ticks' values.
fn linear_axis(max: f64, count: usize) -> (f64, Vec<f64>) {
    let step = nice_step(max / count.max(1) as f64);
    let top = ((max / step).ceil() * step).max(step);
    let ticks =
        (0..).map(|index| index as f64 * step).take_while(|value| *value <= top + step * 1e-9).collect();
    (top, ticks)
}

fn count_label(value: f64) -> String {
    if value >= 10_000.0 {
        format!("{:.0}k", value / 1_000.0)
    } else if value.fract() == 0.0 {
        format!("{value:.0}")
    } else {
        format!("{value:.1}")
    }
}

/// One series over the run's time, binned: requests answered per second,
/// or the mean number in flight.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Series {
    RequestsPerSecond,
    InFlight,
}

/// A series against time in seconds, over `window_ms` (the two time charts
/// are given the same window, so their times line up).
pub fn time_chart(bins: &[Bin], series: Series, window_ms: f64, width_px: f64, height_px: f64) -> Chart {
    let mut chart = Chart::empty(width_px, height_px);
    let values: Vec<f64> = bins
        .iter()
        .map(|bin| match series {
            Series::RequestsPerSecond => f64::from(bin.answered) * 1_000.0 / BIN_MS,
            Series::InFlight => bin.in_flight_area / BIN_MS,
        })
        .collect();
    let window_ms = window_ms.max(BIN_MS);
    let max = values.iter().copied().fold(0.0, f64::max);
    let (top, y_values) = linear_axis(max, 4);
    chart.frame.y_ticks = y_values
        .into_iter()
        .map(|value| Tick { at_px: chart.y_px(value / top), label: count_label(value) })
        .collect();
    let window_s = window_ms / 1_000.0;
    let step_s = nice_step(window_s / 6.0);
    chart.frame.x_ticks = (0..)
        .map(|index| index as f64 * step_s)
        .take_while(|second| *second <= window_s + 1e-9)
        .map(|second| {
            // A step below a second is a tenth or more: one decimal says it.
            let label = if step_s >= 1.0 { format!("{second:.0} s") } else { format!("{second:.1} s") };
            Tick { at_px: chart.x_px(second / window_s), label }
        })
        .collect();
    // A step outline: each bin's value held across the bin.
    let mut line = Vec::with_capacity(values.len() * 2);
    for (index, value) in values.iter().enumerate() {
        let from_ms = index as f64 * BIN_MS;
        let to_ms = (from_ms + BIN_MS).min(window_ms);
        if from_ms > window_ms {
            break;
        }
        let y = chart.y_px(value / top);
        line.push((chart.x_px(from_ms / window_ms), y));
        line.push((chart.x_px(to_ms / window_ms), y));
    }
    chart.lines.push(line);
    chart
}

/// The latency histogram: one bar a bucket, on a log time axis.
pub fn histogram_chart(buckets: &[Bucket], width_px: f64, height_px: f64) -> Chart {
    let mut chart = Chart::empty(width_px, height_px);
    let (Some(first), Some(last)) = (buckets.first(), buckets.last()) else { return chart };
    let (low_ms, high_ms) = (first.from_ms, last.to_ms.max(first.from_ms * 1.001));
    let span = (high_ms / low_ms).ln();
    let fraction = |ms: f64| (ms / low_ms).ln() / span;
    let max = buckets.iter().map(|bucket| bucket.count).max().unwrap_or(0) as f64;
    let (top, y_values) = linear_axis(max, 4);
    chart.frame.y_ticks = y_values
        .into_iter()
        .map(|value| Tick { at_px: chart.y_px(value / top), label: count_label(value) })
        .collect();
    chart.bars = buckets
        .iter()
        .map(|bucket| {
            let (left, right) = (chart.x_px(fraction(bucket.from_ms)), chart.x_px(fraction(bucket.to_ms)));
            let y = chart.y_px(bucket.count as f64 / top);
            Bar {
                x_px: left,
                y_px: y,
                width_px: (right - left - 1.0).max(1.0),
                height_px: chart.frame.plot.bottom_px - y,
                count: bucket.count,
                from_ms: bucket.from_ms,
                to_ms: bucket.to_ms,
            }
        })
        .collect();
    // Ticks at 1, 2, 5 × powers of ten inside the range, and both ends.
    let mut marks = vec![low_ms];
    let mut decade = 10f64.powf(low_ms.log10().floor());
    while decade < high_ms {
        for factor in [1.0, 2.0, 5.0] {
            let value = decade * factor;
            if value > low_ms * 1.15 && value < high_ms / 1.15 {
                marks.push(value);
            }
        }
        decade *= 10.0;
    }
    marks.push(high_ms);
    chart.frame.x_ticks =
        marks.into_iter().map(|ms| Tick { at_px: chart.x_px(fraction(ms)), label: format_ms(ms) }).collect();
    chart
}

/// One step of a load sweep as the chart draws it.
#[derive(Clone, Debug, PartialEq)]
pub struct SweepPoint {
    pub load: String,
    pub requests_per_s: f64,
    pub p50_ms: f64,
    pub p99_ms: f64,
}

/// Latency (p50 and p99) against throughput, one point a step in the order
/// of the load offered: the knee is where the line turns upward.
pub fn sweep_chart(points: &[SweepPoint], width_px: f64, height_px: f64) -> Chart {
    let mut chart = Chart::empty(width_px, height_px);
    if points.is_empty() {
        return chart;
    }
    let max_x = points.iter().map(|point| point.requests_per_s).fold(0.0, f64::max);
    let max_y = points.iter().map(|point| point.p99_ms).fold(0.0, f64::max);
    let (right, x_values) = linear_axis(max_x, 6);
    let (top, y_values) = linear_axis(max_y, 4);
    chart.frame.x_ticks = x_values
        .into_iter()
        .map(|value| Tick { at_px: chart.x_px(value / right), label: format!("{}/s", count_label(value)) })
        .collect();
    chart.frame.y_ticks = y_values
        .into_iter()
        .map(|value| Tick { at_px: chart.y_px(value / top), label: format_ms(value) })
        .collect();
    let frame = chart.clone();
    let at = |x: f64, y: f64| (frame.x_px(x / right), frame.y_px(y / top));
    chart.lines.push(points.iter().map(|point| at(point.requests_per_s, point.p50_ms)).collect());
    chart.lines.push(points.iter().map(|point| at(point.requests_per_s, point.p99_ms)).collect());
    chart.dots = points
        .iter()
        .map(|point| {
            let (x, y) = at(point.requests_per_s, point.p50_ms);
            (x, y, point.load.clone())
        })
        .collect();
    chart
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn time_ticks_are_read_as_written() {
        let bins = vec![Bin { sent: 1, answered: 1, ok: 1, in_flight_area: 50.0 }; 12];
        let chart = time_chart(&bins, Series::InFlight, 1_200.0, 400.0, 100.0);
        let labels: Vec<&str> = chart.frame.x_ticks.iter().map(|tick| tick.label.as_str()).collect();
        assert_eq!(labels, ["0.0 s", "0.2 s", "0.4 s", "0.6 s", "0.8 s", "1.0 s", "1.2 s"]);
        let values: Vec<&str> = chart.frame.y_ticks.iter().map(|tick| tick.label.as_str()).collect();
        assert_eq!(values, ["0", "0.2", "0.4", "0.6"]);
    }

    #[test]
    fn bars_and_lines_stay_inside_the_plot() {
        let buckets = [
            Bucket { from_ms: 1.0, to_ms: 2.0, count: 3 },
            Bucket { from_ms: 2.0, to_ms: 4.0, count: 10 },
            Bucket { from_ms: 4.0, to_ms: 8.0, count: 0 },
        ];
        let chart = histogram_chart(&buckets, 400.0, 200.0);
        assert_eq!(chart.bars.len(), 3);
        for bar in &chart.bars {
            assert!(chart.frame.plot.holds((bar.x_px, bar.y_px)));
            assert!(chart.frame.plot.holds((bar.x_px + bar.width_px, bar.y_px + bar.height_px)));
        }
        assert_eq!(chart.bars[2].height_px, 0.0);
        assert!(
            (chart.bars[1].height_px - (chart.frame.plot.bottom_px - chart.frame.plot.top_px)).abs() < 1e-9
        );
        let points = [
            SweepPoint { load: "1".into(), requests_per_s: 100.0, p50_ms: 5.0, p99_ms: 9.0 },
            SweepPoint { load: "2".into(), requests_per_s: 180.0, p50_ms: 50.0, p99_ms: 400.0 },
        ];
        let chart = sweep_chart(&points, 400.0, 200.0);
        assert!(chart.lines.iter().flatten().all(|point| chart.frame.plot.holds(*point)));
    }
}
