//! The notes' thumbnail job, as a Gaussian blur of one generated image cut
//! into bands of rows: each task blurs one band.

use std::ops::Range;

/// The blur's reach in pixels on each side (the Gaussian's σ is half of it).
pub const RADIUS: usize = 8;

/// A deterministic test picture: gradients, rings and a checkerboard, so the
/// blur's effect is visible and every run blurs the same pixels.
pub fn source_image(width: usize, height: usize) -> Vec<u8> {
    source_image_rows(width, height, 0..height)
}

/// The rows `rows` of `source_image(width, height)`: a task generates only
/// the rows it needs, as a process would read only its part of a file.
pub fn source_image_rows(width: usize, height: usize, rows: Range<usize>) -> Vec<u8> {
    let mut pixels = Vec::with_capacity(width * rows.len() * 4);
    for y in rows {
        for x in 0..width {
            let (fx, fy) = (x as f64 / width as f64, y as f64 / height as f64);
            let ring = (((fx - 0.5).hypot(fy - 0.5) * 24.0).sin() > 0.0) as u8;
            let check = (((x / 32) + (y / 32)) % 2) as u8;
            pixels.extend_from_slice(&[
                (fx * 255.0) as u8 ^ (ring * 0x60),
                (fy * 255.0) as u8,
                if check == 1 { 230 } else { 40 } ^ (ring * 0x30),
                255,
            ]);
        }
    }
    pixels
}

/// The rows a band's task needs to see: its own plus `RADIUS` on each side,
/// cut at the picture's edges.
pub fn source_rows_for(band: &Range<usize>, height: usize) -> Range<usize> {
    band.start.saturating_sub(RADIUS)..(band.end + RADIUS).min(height)
}

fn weights() -> [u32; 2 * RADIUS + 1] {
    let sigma = RADIUS as f64 / 2.0;
    let raw: Vec<f64> = (0..=2 * RADIUS)
        .map(|i| (-((i as f64 - RADIUS as f64).powi(2)) / (2.0 * sigma * sigma)).exp())
        .collect();
    let total: f64 = raw.iter().sum();
    // Fixed point, 16 bits: integer maths gives the same bytes on every engine.
    let mut weights = [0u32; 2 * RADIUS + 1];
    for (weight, value) in weights.iter_mut().zip(&raw) {
        *weight = (value / total * 65536.0).round() as u32;
    }
    weights
}

// region: shown
/// Blurs the rows `band` of a `width`-pixel-wide RGBA picture. `source` holds
/// the picture's rows `source_rows` (the band and its neighbours): a task
/// needs no more of the picture than that. Returns the band's blurred pixels.
pub fn blur_band(source: &[u8], width: usize, source_rows: Range<usize>, band: Range<usize>) -> Vec<u8> {
    let weights = weights();
    let rows = source_rows.len();
    let at = |x: usize, y: usize, channel: usize| u32::from(source[(y * width + x) * 4 + channel]);
    // Horizontal pass over every source row, edges clamped.
    let mut horizontal = vec![0u32; rows * width * 4];
    for y in 0..rows {
        for x in 0..width {
            for channel in 0..4 {
                let mut sum = 0;
                for (tap, weight) in weights.iter().enumerate() {
                    let sx = (x + tap).saturating_sub(RADIUS).min(width - 1);
                    sum += weight * at(sx, y, channel);
                }
                horizontal[(y * width + x) * 4 + channel] = sum >> 8;
            }
        }
    }
    // Vertical pass for the band's rows only.
    let mut blurred = Vec::with_capacity(band.len() * width * 4);
    for y in band {
        let local = y - source_rows.start;
        for x in 0..width {
            for channel in 0..4 {
                let mut sum: u64 = 0;
                for (tap, weight) in weights.iter().enumerate() {
                    let sy = (local + tap).saturating_sub(RADIUS).min(rows - 1);
                    sum += u64::from(*weight) * u64::from(horizontal[(sy * width + x) * 4 + channel]);
                }
                blurred.push(((sum + (1 << 23)) >> 24).min(255) as u8);
            }
        }
    }
    blurred
}
// endregion: shown

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn weights_sum_to_one_in_fixed_point() {
        let total: u32 = weights().iter().sum();
        assert!((65_530..=65_542).contains(&total), "{total}");
    }

    #[test]
    fn a_flat_picture_stays_flat() {
        let (width, height) = (20, 12);
        let flat: Vec<u8> = [10u8, 100, 200, 255].repeat(width * height);
        let blurred = blur_band(&flat, width, 0..height, 0..height);
        for pixel in blurred.chunks(4) {
            for (value, expected) in pixel.iter().zip([10u8, 100, 200, 255]) {
                assert!(value.abs_diff(expected) <= 1, "{pixel:?}");
            }
        }
    }

    #[test]
    fn bands_put_together_equal_the_whole_picture_blurred_at_once() {
        let (width, height) = (48, 40);
        let picture = source_image(width, height);
        let whole = blur_band(&picture, width, 0..height, 0..height);
        let mut banded = Vec::new();
        for start in (0..height).step_by(7) {
            let band = start..(start + 7).min(height);
            let rows = source_rows_for(&band, height);
            let slice = &picture[rows.start * width * 4..rows.end * width * 4];
            banded.extend(blur_band(slice, width, rows, band));
        }
        assert_eq!(banded, whole);
        assert_ne!(whole, picture, "the blur changes the picture");
    }
}
