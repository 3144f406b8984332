//! The Mandelbrot set in bands of rows, the workload of wasm-bindgen-rayon's
//! own demo, so Overlap's figures compare with its published ones.

use std::ops::Range;

/// Iterations before a point counts as inside the set.
pub const MAX_ITERATIONS: u32 = 500;

// region: shown
/// Renders the rows `band` of a `width` × `height` view of the set around
/// (-0.75, 0) as RGBA pixels: black inside, coloured by escape time outside.
pub fn render_band(width: usize, height: usize, band: Range<usize>) -> Vec<u8> {
    let scale = 3.0 / width.min(height) as f64;
    let mut pixels = Vec::with_capacity(band.len() * width * 4);
    for y in band {
        let ci = (y as f64 - height as f64 / 2.0) * scale;
        for x in 0..width {
            let cr = (x as f64 - width as f64 / 2.0) * scale - 0.75;
            let (mut zr, mut zi, mut iterations) = (0.0f64, 0.0f64, 0);
            while iterations < MAX_ITERATIONS && zr * zr + zi * zi <= 4.0 {
                let next_zr = zr * zr - zi * zi + cr;
                zi = 2.0 * zr * zi + ci;
                zr = next_zr;
                iterations += 1;
            }
            pixels.extend_from_slice(&colour(iterations));
        }
    }
    pixels
}
// endregion: shown

fn colour(iterations: u32) -> [u8; 4] {
    if iterations >= MAX_ITERATIONS {
        return [0, 0, 0, 255];
    }
    let t = f64::from(iterations) / f64::from(MAX_ITERATIONS);
    let channel = |phase: f64| ((1.0 - (t * 9.0 + phase).cos()) * 127.5) as u8;
    [channel(0.0), channel(2.0), channel(4.0), 255]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn inside_is_black_and_far_outside_escapes_at_once() {
        // The view's centre row passes through (-0.75, 0), inside the set.
        let (width, height) = (64, 64);
        let row = render_band(width, height, height / 2..height / 2 + 1);
        assert_eq!(&row[(width / 2) * 4..(width / 2) * 4 + 4], &[0, 0, 0, 255]);
        // The top-left corner (-2.25, -1.5) escapes within a few iterations.
        let corner = render_band(width, height, 0..1);
        assert_ne!(&corner[..4], &[0, 0, 0, 255]);
    }

    #[test]
    fn bands_put_together_equal_the_whole_view() {
        let (width, height) = (40, 30);
        let whole = render_band(width, height, 0..height);
        let banded: Vec<u8> = (0..height)
            .step_by(4)
            .flat_map(|start| render_band(width, height, start..(start + 4).min(height)))
            .collect();
        assert_eq!(banded, whole);
    }
}
