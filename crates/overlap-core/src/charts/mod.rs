//! What every chart of the page shares as geometry: its frame (the
//! drawing's size, the plot's box inside it, both axes' ticks) and round
//! steps for an axis. Each experiment's chart
//! (`experiments/<name>/chart.rs`) computes its own lines and marks on it;
//! the app's `widgets::chart_frame` draws the frame.

/// The plot's box inside the drawing, in px.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct PlotBox {
    pub left_px: f64,
    pub top_px: f64,
    pub right_px: f64,
    pub bottom_px: f64,
}

impl PlotBox {
    /// Whether a point lies inside (with a hair of rounding).
    pub fn holds(&self, (x, y): (f64, f64)) -> bool {
        x >= self.left_px - 1e-9
            && x <= self.right_px + 1e-9
            && y >= self.top_px - 1e-9
            && y <= self.bottom_px + 1e-9
    }
}

/// A chart's frame: what `widgets::chart_frame` draws around its content.
#[derive(Clone, Debug, PartialEq)]
pub struct Frame {
    pub width_px: f64,
    pub height_px: f64,
    pub plot: PlotBox,
    pub x_ticks: Vec<Tick>,
    pub y_ticks: Vec<Tick>,
}

/// A tick on an axis: where, and what it says.
#[derive(Clone, Debug, PartialEq)]
pub struct Tick {
    pub at_px: f64,
    pub label: String,
}

/// The round step (1, 2 or 5 times a power of ten) at or above `rough`.
pub fn nice_step(rough: f64) -> f64 {
    if rough.is_nan() || rough <= 0.0 {
        return 1.0;
    }
    let power = 10f64.powf(rough.log10().floor());
    let scaled = rough / power;
    let nice = if scaled <= 1.0 {
        1.0
    } else if scaled <= 2.0 {
        2.0
    } else if scaled <= 5.0 {
        5.0
    } else {
        10.0
    };
    nice * power
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn steps_are_round_and_never_below_the_rough_step() {
        for (rough, step) in
            [(25.0, 50.0), (7.0 / 6.0, 2.0), (0.3, 0.5), (1.0, 1.0), (0.0, 1.0), (f64::NAN, 1.0)]
        {
            assert_eq!(nice_step(rough), step, "{rough}");
        }
    }
}
