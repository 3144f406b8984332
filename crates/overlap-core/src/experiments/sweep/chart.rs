//! The sweep's charts as geometry: the page draws these lines, points and
//! marks as SVG and computes nothing. One chart of speedup against k (the
//! measured median with its spread, the ideal y = k, the ceiling of the
//! work, the Amdahl fit, the logical processors and, for requests, the
//! pool-sizing rule's k), one of efficiency and a strip of Karp–Flatt.

use crate::charts::{Frame, PlotBox, Tick, nice_step};
use crate::experiments::sweep::figures::SweepFigures;
use crate::experiments::sweep::fit::amdahl_speedup;
use crate::lang::{Lang, Words};

/// Room around the plot for the axes' labels.
const LEFT_PX: f64 = 44.0;
const RIGHT_PX: f64 = 12.0;
const TOP_PX: f64 = 10.0;
const BOTTOM_PX: f64 = 26.0;
/// Samples of the fitted curve between the smallest and largest k.
const CURVE_SAMPLES: usize = 64;
/// A log axis for k once the largest is this many times the smallest.
const LOG_FROM_RATIO: f64 = 8.0;

/// What a line or mark is, so the page can style it and its legend name it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, strum::IntoStaticStr)]
#[strum(serialize_all = "kebab-case")]
pub enum Ink {
    Measured,
    Ideal,
    Ceiling,
    Amdahl,
    Processors,
    Rule,
    Best,
    /// The sweep before a Compare, drawn under it.
    Previous,
}

impl Ink {
    pub fn title(self) -> Words {
        match self {
            Ink::Measured => Words::new("measured (median, min–max)", "实测（中位数，最小–最大）"),
            Ink::Ideal => Words::new("ideal: y = k", "理想：y = k"),
            Ink::Ceiling => Words::new("ceiling of this work", "这项工作的理论上限"),
            Ink::Amdahl => Words::new("Amdahl's law, fitted", "阿姆达尔定律拟合"),
            Ink::Processors => Words::new("logical processors", "逻辑处理器数"),
            Ink::Rule => Words::new("the rule's k", "公式给出的 k"),
            Ink::Best => Words::new("best k measured", "实测最佳 k"),
            Ink::Previous => Words::new("the sweep before (median)", "上一次扫描（中位数）"),
        }
    }
}

/// A line as the pieces of it inside the plot (a curve that leaves the
/// top and comes back is two pieces).
#[derive(Clone, Debug, PartialEq)]
pub struct Line {
    pub ink: Ink,
    pub pieces_px: Vec<Vec<(f64, f64)>>,
}

impl Line {
    fn new(ink: Ink, points_px: Vec<(f64, f64)>, values: &ValueAxis) -> Self {
        Line { ink, pieces_px: clipped(&points_px, values.top_px, values.bottom_px) }
    }
}

/// The parts of a polyline between `top_px` and `bottom_px`, each cut
/// where it crosses them.
fn clipped(points_px: &[(f64, f64)], top_px: f64, bottom_px: f64) -> Vec<Vec<(f64, f64)>> {
    let inside = |y: f64| (top_px..=bottom_px).contains(&y);
    let mut pieces: Vec<Vec<(f64, f64)>> = Vec::new();
    let mut piece: Vec<(f64, f64)> = Vec::new();
    if let [(x, y)] = points_px
        && inside(*y)
    {
        return vec![vec![(*x, *y)]];
    }
    for pair in points_px.windows(2) {
        let [(x0, y0), (x1, y1)] = [pair[0], pair[1]];
        // The part of this segment within the band, by where it crosses each edge.
        let at = |y: f64| if y1 == y0 { 0.0 } else { (y - y0) / (y1 - y0) };
        let (mut enter, mut leave) = (0.0f64, 1.0f64);
        for edge in [top_px, bottom_px] {
            let t = at(edge);
            let outside_at_start = if edge == top_px { y0 < top_px } else { y0 > bottom_px };
            let outside_at_end = if edge == top_px { y1 < top_px } else { y1 > bottom_px };
            match (outside_at_start, outside_at_end) {
                (true, true) => (enter, leave) = (1.0, 0.0),
                (true, false) => enter = enter.max(t),
                (false, true) => leave = leave.min(t),
                (false, false) => {}
            }
        }
        if enter > leave {
            pieces.extend((!piece.is_empty()).then(|| std::mem::take(&mut piece)));
            continue;
        }
        let point = |t: f64| (x0 + t * (x1 - x0), y0 + t * (y1 - y0));
        if piece.is_empty() || enter > 0.0 {
            pieces.extend((!piece.is_empty()).then(|| std::mem::take(&mut piece)));
            piece.push(point(enter));
        }
        piece.push(point(leave));
        if leave < 1.0 {
            pieces.push(std::mem::take(&mut piece));
        }
    }
    pieces.extend((!piece.is_empty()).then_some(piece));
    pieces
}

/// A measured point with its spread.
#[derive(Clone, Debug, PartialEq)]
pub struct Point {
    pub k: u32,
    pub x_px: f64,
    pub y_px: f64,
    /// The spread's ends (min and max), top first.
    pub spread_px: Option<(f64, f64)>,
    /// What a pointer over it reads.
    pub title: String,
}

/// A vertical mark at one k.
#[derive(Clone, Debug, PartialEq)]
pub struct Mark {
    pub ink: Ink,
    pub x_px: f64,
    pub label: String,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Chart {
    pub frame: Frame,
    pub lines: Vec<Line>,
    pub points: Vec<Point>,
    pub marks: Vec<Mark>,
    /// The value axis' name.
    pub y_label: String,
}

/// k along the width: linear, or logarithmic for wide ranges (1 to 40).
#[derive(Clone, Copy, Debug)]
struct KAxis {
    min_k: f64,
    max_k: f64,
    log: bool,
    left_px: f64,
    right_px: f64,
}

impl KAxis {
    fn new(ks: &[u32], left_px: f64, right_px: f64) -> Self {
        let min_k = f64::from(ks.iter().copied().min().unwrap_or(1).max(1));
        let max_k = f64::from(ks.iter().copied().max().unwrap_or(1)).max(min_k + 1.0);
        KAxis { min_k, max_k, log: max_k / min_k >= LOG_FROM_RATIO, left_px, right_px }
    }

    fn x_from_k(&self, k: f64) -> f64 {
        let fraction = if self.log {
            (k.ln() - self.min_k.ln()) / (self.max_k.ln() - self.min_k.ln())
        } else {
            (k - self.min_k) / (self.max_k - self.min_k)
        };
        self.left_px + fraction * (self.right_px - self.left_px)
    }

    fn contains(&self, k: f64) -> bool {
        (self.min_k..=self.max_k).contains(&k)
    }
}

/// Values up the height, from `low` at the bottom to `high` at the top.
#[derive(Clone, Copy, Debug)]
struct ValueAxis {
    low: f64,
    high: f64,
    top_px: f64,
    bottom_px: f64,
}

impl ValueAxis {
    /// Not clamped: a line that leaves the plot is clipped (`clipped`), never squashed onto its edge.
    fn y_from_value(&self, value: f64) -> f64 {
        let fraction = (value - self.low) / (self.high - self.low);
        self.bottom_px - fraction * (self.bottom_px - self.top_px)
    }

    /// About four ticks at round values (1, 2 or 5 times a power of ten).
    fn ticks(&self) -> Vec<Tick> {
        let step = nice_step((self.high - self.low) / 4.0);
        let first = (self.low / step).ceil() as i64;
        let last = (self.high / step).floor() as i64;
        (first..=last)
            .map(|index| {
                let value = index as f64 * step;
                let label = if step >= 1.0 { format!("{value:.0}") } else { format!("{value:.2}") };
                Tick { at_px: self.y_from_value(value), label: label.replace("-0.00", "0.00") }
            })
            .collect()
    }
}

/// A round top for values up to `max` with a little room above.
fn top_for(max: f64) -> f64 {
    let step = nice_step(max / 4.0);
    ((max * 1.08) / step).ceil() * step
}

fn frame(width_px: f64, height_px: f64, ks: &[u32], low: f64, high: f64) -> (KAxis, ValueAxis) {
    let k_axis = KAxis::new(ks, LEFT_PX, (width_px - RIGHT_PX).max(LEFT_PX + 1.0));
    let values =
        ValueAxis { low, high, top_px: TOP_PX, bottom_px: (height_px - BOTTOM_PX).max(TOP_PX + 1.0) };
    (k_axis, values)
}

fn x_ticks(k_axis: &KAxis, ks: &[u32]) -> Vec<Tick> {
    ks.iter().map(|&k| Tick { at_px: k_axis.x_from_k(f64::from(k)), label: k.to_string() }).collect()
}

fn chart(
    width_px: f64,
    height_px: f64,
    k_axis: &KAxis,
    values: &ValueAxis,
    ks: &[u32],
    y_label: String,
) -> Chart {
    Chart {
        frame: Frame {
            width_px,
            height_px,
            plot: PlotBox {
                left_px: k_axis.left_px,
                top_px: values.top_px,
                right_px: k_axis.right_px,
                bottom_px: values.bottom_px,
            },
            x_ticks: x_ticks(k_axis, ks),
            y_ticks: values.ticks(),
        },
        lines: Vec::new(),
        points: Vec::new(),
        marks: Vec::new(),
        y_label,
    }
}

/// A curve sampled between the smallest and largest k, clipped to the plot.
fn sampled(k_axis: &KAxis, values: &ValueAxis, value_at: impl Fn(f64) -> f64) -> Vec<(f64, f64)> {
    (0..=CURVE_SAMPLES)
        .map(|index| {
            let fraction = index as f64 / CURVE_SAMPLES as f64;
            let k = if k_axis.log {
                (k_axis.min_k.ln() + fraction * (k_axis.max_k.ln() - k_axis.min_k.ln())).exp()
            } else {
                k_axis.min_k + fraction * (k_axis.max_k - k_axis.min_k)
            };
            (k_axis.x_from_k(k), values.y_from_value(value_at(k)))
        })
        .collect()
}

/// Speedup against k; `previous`, the sweep a Compare is set against, is
/// drawn under it where its k are on the axis.
pub fn speedup_chart(
    figures: &SweepFigures,
    previous: Option<&SweepFigures>,
    width_px: f64,
    height_px: f64,
    lang: Lang,
) -> Chart {
    let ks: Vec<u32> = figures.per_k.iter().map(|k| k.k).collect();
    let highest_measured = figures
        .per_k
        .iter()
        .map(|k| k.max_speedup)
        .chain(previous.iter().flat_map(|previous| previous.per_k.iter().map(|k| k.median_speedup)))
        .fold(1.0, f64::max);
    let highest_ceiling = figures.per_k.iter().filter_map(|k| k.ceiling).fold(0.0, f64::max);
    // The ideal y = k is clipped at the top rather than squashing what was measured.
    let high = top_for(highest_measured.max(highest_ceiling).max(2.0));
    let (k_axis, values) = frame(width_px, height_px, &ks, 0.0, high);
    let mut chart =
        chart(width_px, height_px, &k_axis, &values, &ks, Words::new("speedup", "加速比").get(lang).into());
    chart.lines.push(Line::new(Ink::Ideal, sampled(&k_axis, &values, |k| k), &values));
    let ceiling: Vec<(f64, f64)> = figures
        .per_k
        .iter()
        .filter_map(|k| {
            k.ceiling.map(|ceiling| (k_axis.x_from_k(f64::from(k.k)), values.y_from_value(ceiling)))
        })
        .collect();
    if ceiling.len() > 1 {
        chart.lines.push(Line::new(Ink::Ceiling, ceiling, &values));
    }
    if let Some(serial_fraction) = figures.amdahl_serial_fraction {
        let curve = sampled(&k_axis, &values, |k| amdahl_speedup(serial_fraction, k));
        chart.lines.push(Line::new(Ink::Amdahl, curve, &values));
    }
    if let Some(previous) = previous {
        let points_px: Vec<(f64, f64)> = previous
            .per_k
            .iter()
            .filter(|k| k_axis.contains(f64::from(k.k)))
            .map(|k| (k_axis.x_from_k(f64::from(k.k)), values.y_from_value(k.median_speedup)))
            .collect();
        chart.lines.push(Line::new(Ink::Previous, points_px, &values));
    }
    let medians = figures
        .per_k
        .iter()
        .map(|k| (k_axis.x_from_k(f64::from(k.k)), values.y_from_value(k.median_speedup)))
        .collect();
    chart.lines.push(Line::new(Ink::Measured, medians, &values));
    chart.points = figures
        .per_k
        .iter()
        .map(|k| Point {
            k: k.k,
            x_px: k_axis.x_from_k(f64::from(k.k)),
            y_px: values.y_from_value(k.median_speedup),
            spread_px: Some((values.y_from_value(k.max_speedup), values.y_from_value(k.min_speedup))),
            title: match lang {
                Lang::En => format!(
                    "k = {}: median {:.2}× (min {:.2}×, max {:.2}×; runs: {})",
                    k.k, k.median_speedup, k.min_speedup, k.max_speedup, k.runs
                ),
                Lang::ZhCn => format!(
                    "k = {}：中位数 {:.2}×（最小 {:.2}×，最大 {:.2}×；共 {} 次）",
                    k.k, k.median_speedup, k.min_speedup, k.max_speedup, k.runs
                ),
            },
        })
        .collect();
    // A k past the axis (the rule can ask for hundreds) sits at its end, said so.
    let mut mark = |ink: Ink, k: f64, label: String| {
        if k_axis.contains(k) {
            chart.marks.push(Mark { ink, x_px: k_axis.x_from_k(k), label });
        } else if k > k_axis.max_k {
            chart.marks.push(Mark { ink, x_px: k_axis.right_px, label: format!("{label} →") });
        }
    };
    if let Some(processors) = figures.logical_processors {
        let label = match lang {
            Lang::En => format!("{processors} logical processors"),
            Lang::ZhCn => format!("{processors} 个逻辑处理器"),
        };
        mark(Ink::Processors, f64::from(processors), label);
    }
    if let Some(rule_k) = figures.rule_k {
        let label = match lang {
            Lang::En => format!("rule: k = {rule_k:.0}"),
            Lang::ZhCn => format!("公式：k = {rule_k:.0}"),
        };
        mark(Ink::Rule, rule_k, label);
    }
    if figures.blocking_fraction.is_some() {
        let label = match lang {
            Lang::En => format!("best measured: k = {}", figures.best_k),
            Lang::ZhCn => format!("实测最佳：k = {}", figures.best_k),
        };
        mark(Ink::Best, f64::from(figures.best_k), label);
    }
    chart
}

/// Efficiency (speedup per worker) against k, with the ideal 1.
pub fn efficiency_chart(figures: &SweepFigures, width_px: f64, height_px: f64, lang: Lang) -> Chart {
    let measured: Vec<(u32, f64, String)> = figures
        .per_k
        .iter()
        .map(|k| (k.k, k.efficiency, format!("k = {}: {:.0}%", k.k, k.efficiency * 100.0)))
        .collect();
    let high = top_for(measured.iter().map(|(_, value, _)| *value).fold(1.0, f64::max));
    let strip = Strip {
        low: 0.0,
        high,
        level: Some((Ink::Ideal, 1.0)),
        y_label: Words::new("efficiency S/k", "并行效率 S/k"),
    };
    strip.chart(&sweep_ks(figures), &measured, width_px, height_px, lang)
}

/// The Karp–Flatt metric e(k) for every k > 1, with the fitted f as a level.
pub fn karp_flatt_chart(figures: &SweepFigures, width_px: f64, height_px: f64, lang: Lang) -> Chart {
    let measured: Vec<(u32, f64, String)> = figures
        .per_k
        .iter()
        .filter_map(|k| k.karp_flatt.map(|e| (k.k, e, format!("k = {}: e = {e:.3}", k.k))))
        .collect();
    let low = measured.iter().map(|(_, e, _)| *e).fold(0.0, f64::min);
    let high = measured.iter().map(|(_, e, _)| *e).chain(figures.amdahl_serial_fraction).fold(0.1, f64::max);
    let strip = Strip {
        low: if low < 0.0 { -top_for(-low) } else { 0.0 },
        high: top_for(high),
        level: figures.amdahl_serial_fraction.map(|serial_fraction| (Ink::Amdahl, serial_fraction)),
        y_label: Words::new("Karp–Flatt e", "Karp–Flatt 指标 e"),
    };
    strip.chart(&sweep_ks(figures), &measured, width_px, height_px, lang)
}

fn sweep_ks(figures: &SweepFigures) -> Vec<u32> {
    figures.per_k.iter().map(|k| k.k).collect()
}

/// A small chart of one value per k, with one level drawn across it.
struct Strip {
    low: f64,
    high: f64,
    level: Option<(Ink, f64)>,
    y_label: Words,
}

impl Strip {
    /// `ks`: the sweep's, so that every chart puts a k at the same place.
    fn chart(
        &self,
        ks: &[u32],
        measured: &[(u32, f64, String)],
        width_px: f64,
        height_px: f64,
        lang: Lang,
    ) -> Chart {
        let (k_axis, values) = frame(width_px, height_px, ks, self.low, self.high);
        let mut chart = chart(width_px, height_px, &k_axis, &values, ks, self.y_label.get(lang).into());
        if let Some((ink, level)) = self.level {
            let y_px = values.y_from_value(level);
            chart.lines.push(Line::new(ink, vec![(k_axis.left_px, y_px), (k_axis.right_px, y_px)], &values));
        }
        chart.points = measured
            .iter()
            .map(|(k, value, title)| Point {
                k: *k,
                x_px: k_axis.x_from_k(f64::from(*k)),
                y_px: values.y_from_value(*value),
                spread_px: None,
                title: title.clone(),
            })
            .collect();
        let points_px = chart.points.iter().map(|point| (point.x_px, point.y_px)).collect();
        chart.lines.push(Line::new(Ink::Measured, points_px, &values));
        chart
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::experiments::sweep::figures::{Measurement, SweepFacts, sweep_figures};
    use crate::experiments::sweep::params::SweepOf;
    use expect_test::expect;

    fn figures(of: SweepOf, ks: &[u32], speedup: impl Fn(u32) -> f64) -> SweepFigures {
        let measurements: Vec<Measurement> =
            ks.iter().map(|&k| Measurement { k, repetition: 0, makespan_ms: 1000.0 / speedup(k) }).collect();
        let facts = SweepFacts {
            of,
            measurements: &measurements,
            task_durations_ms: &[100.0; 24],
            logical_processors: Some(2),
            waiting_and_task_ms: Some((99.0, 100.0)),
            connections: (of == SweepOf::Fetch).then_some(6),
        };
        sweep_figures(&facts).unwrap_or_else(|| panic!("figures"))
    }

    fn rounded(points: &[(f64, f64)]) -> String {
        points.iter().map(|(x, y)| format!("{x:.0},{y:.0}")).collect::<Vec<_>>().join(" ")
    }

    #[test]
    fn the_speedup_chart_places_what_was_measured_and_clips_the_ideal() {
        let figures = figures(SweepOf::Fetch, &[1, 2, 4, 6, 12, 40], |k| f64::from(k.min(6)));
        let chart = speedup_chart(&figures, Some(&figures), 400.0, 200.0, Lang::En);
        let lines: Vec<String> = chart
            .lines
            .iter()
            .map(|line| {
                let ink: &str = line.ink.into();
                let pieces: Vec<String> = line
                    .pieces_px
                    .iter()
                    .map(|piece| match piece.as_slice() {
                        // A sampled curve: its ends say where it is cut.
                        [first, .., last] if piece.len() > 8 => {
                            format!("{} … {} ({} points)", rounded(&[*first]), rounded(&[*last]), piece.len())
                        }
                        _ => rounded(piece),
                    })
                    .collect();
                format!("{ink}: {}", pieces.join(" | "))
            })
            .collect();
        let ticks = |ticks: &[Tick]| {
            ticks.iter().map(|tick| format!("{}@{:.0}", tick.label, tick.at_px)).collect::<Vec<_>>().join(" ")
        };
        let marks: Vec<String> = chart
            .marks
            .iter()
            .map(|mark| format!("{:?} {:.0} {}", mark.ink, mark.x_px, mark.label))
            .collect();
        expect![[r#"
            x: 1@44 2@109 4@173 6@211 12@276 40@388
            y: 0@174 2@133 4@92 6@51 8@10
            ideal: 44,154 … 238,10 (38 points)
            ceiling: 44,154 109,133 173,92 211,51 276,51 388,51
            amdahl: 44,154 … 300,10 (49 points)
            previous: 44,154 109,133 173,92 211,51 276,51 388,51
            measured: 44,154 109,133 173,92 211,51 276,51 388,51
            Processors 109 2 logical processors
            Rule 388 rule: k = 200 →
            Best 211 best measured: k = 6
            k = 1: median 1.00× (min 1.00×, max 1.00×; runs: 1)
            k = 2: median 2.00× (min 2.00×, max 2.00×; runs: 1)
            k = 4: median 4.00× (min 4.00×, max 4.00×; runs: 1)
            k = 6: median 6.00× (min 6.00×, max 6.00×; runs: 1)
            k = 12: median 6.00× (min 6.00×, max 6.00×; runs: 1)
            k = 40: median 6.00× (min 6.00×, max 6.00×; runs: 1)"#]]
        .assert_eq(&format!(
            "x: {}\ny: {}\n{}\n{}\n{}",
            ticks(&chart.frame.x_ticks),
            ticks(&chart.frame.y_ticks),
            lines.join("\n"),
            marks.join("\n"),
            chart.points.iter().map(|point| point.title.clone()).collect::<Vec<_>>().join("\n")
        ));
    }

    #[test]
    fn a_line_leaving_the_plot_is_cut_where_it_crosses_the_edge_and_resumes_where_it_returns() {
        let (top, bottom) = (10.0, 110.0);
        let cut = |points: &[(f64, f64)]| {
            clipped(points, top, bottom).iter().map(|piece| rounded(piece)).collect::<Vec<_>>().join(" | ")
        };
        assert_eq!(cut(&[(0.0, 100.0), (10.0, 50.0), (20.0, 0.0), (30.0, -50.0)]), "0,100 10,50 18,10");
        assert_eq!(cut(&[(0.0, 50.0), (10.0, -10.0), (20.0, 50.0)]), "0,50 7,10 | 13,10 20,50");
        assert_eq!(cut(&[(0.0, -5.0), (10.0, -1.0)]), "");
        assert_eq!(cut(&[(0.0, 210.0), (10.0, 10.0)]), "5,110 10,10");
        assert_eq!(cut(&[(5.0, 50.0)]), "5,50");
    }

    #[test]
    fn every_point_lies_inside_the_plot() {
        for (of, ks) in [
            (SweepOf::Cpu, vec![1, 2]),
            (SweepOf::Cpu, vec![1, 2, 3, 4, 8, 16]),
            (SweepOf::Fetch, vec![1, 6, 40]),
        ] {
            let figures = figures(of, &ks, |k| f64::from(k) * 0.8 + 0.2);
            for chart in [
                speedup_chart(&figures, None, 300.0, 160.0, Lang::ZhCn),
                efficiency_chart(&figures, 300.0, 120.0, Lang::En),
                karp_flatt_chart(&figures, 300.0, 100.0, Lang::En),
            ] {
                let inside = |point: (f64, f64)| chart.frame.plot.holds(point);
                assert!(
                    chart.lines.iter().flat_map(|line| line.pieces_px.iter().flatten().copied()).all(inside),
                    "{ks:?}"
                );
                assert!(chart.points.iter().all(|point| inside((point.x_px, point.y_px))), "{ks:?}");
            }
        }
    }
}
