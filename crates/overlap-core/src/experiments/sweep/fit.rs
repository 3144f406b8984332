//! Amdahl's law fitted to measured speedups, and the Karp–Flatt metric.
//!
//! Amdahl: with a serial fraction f, k workers give S(k) = 1 / (f + (1 − f)/k).
//! Rearranged, 1/S − 1/k = f · (1 − 1/k): a line through the origin in
//! x = 1 − 1/k, so f is the least-squares slope Σxy / Σx². Karp and Flatt
//! solve the same equation for one k: e(k) = (1/S − 1/k) / (1 − 1/k). On
//! data that follows Amdahl's law e is constant and equal to f; e growing
//! with k says the loss is overhead that grows with the workers, not work
//! that cannot be split.

/// The serial fraction that fits `points` (k, speedup) best; points with
/// k ≤ 1 or a speedup that is not positive say nothing and are left out.
/// `None` when no point is left.
pub fn amdahl_serial_fraction(points: &[(u32, f64)]) -> Option<f64> {
    let (mut xy, mut xx) = (0.0, 0.0);
    for &(k, speedup) in points.iter().filter(|(k, speedup)| *k > 1 && *speedup > 0.0) {
        let x = 1.0 - 1.0 / f64::from(k);
        let y = 1.0 / speedup - 1.0 / f64::from(k);
        xy += x * y;
        xx += x * x;
    }
    (xx > 0.0).then(|| xy / xx)
}

/// The speedup Amdahl's law gives k workers with serial fraction f.
pub fn amdahl_speedup(serial_fraction: f64, k: f64) -> f64 {
    1.0 / (serial_fraction + (1.0 - serial_fraction) / k)
}

/// The most any number of workers can give: 1/f (`None` for f ≤ 0: no limit measured).
pub fn amdahl_ceiling(serial_fraction: f64) -> Option<f64> {
    (serial_fraction > 0.0).then(|| 1.0 / serial_fraction)
}

/// The Karp–Flatt metric of one measurement (`None` for k ≤ 1 or no speedup).
pub fn karp_flatt(k: u32, speedup: f64) -> Option<f64> {
    (k > 1 && speedup > 0.0).then(|| {
        let k = f64::from(k);
        (1.0 / speedup - 1.0 / k) / (1.0 - 1.0 / k)
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    const KS: [u32; 8] = [1, 2, 3, 4, 6, 8, 12, 16];

    fn exact(serial_fraction: f64) -> Vec<(u32, f64)> {
        KS.iter().map(|&k| (k, amdahl_speedup(serial_fraction, f64::from(k)))).collect()
    }

    #[test]
    fn the_fit_recovers_the_serial_fraction_of_exact_amdahl_data() {
        for serial_fraction in [0.0, 0.1, 0.5] {
            let fitted = amdahl_serial_fraction(&exact(serial_fraction)).unwrap_or(f64::NAN);
            assert!((fitted - serial_fraction).abs() < 1e-12, "{serial_fraction}: {fitted}");
        }
        assert_eq!(amdahl_ceiling(0.1).map(|ceiling| (ceiling * 1e9).round() / 1e9), Some(10.0));
        assert_eq!(amdahl_ceiling(0.0), None);
        assert_eq!(amdahl_serial_fraction(&[(1, 1.0)]), None);
    }

    #[test]
    fn the_fit_recovers_it_from_noisy_data_within_tolerance() {
        // Deterministic noise of ±3% on every speedup, alternating in sign
        // and size, as two cores shared with a browser give.
        let noise = [1.03, 0.98, 1.01, 0.97, 1.02, 0.99, 1.0, 1.03];
        for serial_fraction in [0.05, 0.1, 0.3, 0.5] {
            let noisy: Vec<(u32, f64)> = exact(serial_fraction)
                .iter()
                .zip(noise)
                .map(|(&(k, speedup), factor)| (k, speedup * factor))
                .collect();
            let fitted = amdahl_serial_fraction(&noisy).unwrap_or(f64::NAN);
            assert!((fitted - serial_fraction).abs() < 0.03, "{serial_fraction}: {fitted}");
        }
    }

    #[test]
    fn karp_flatt_of_exact_amdahl_data_is_constant_and_equals_f() {
        for serial_fraction in [0.0, 0.1, 0.5] {
            for (k, speedup) in exact(serial_fraction).into_iter().filter(|(k, _)| *k > 1) {
                let e = karp_flatt(k, speedup).unwrap_or(f64::NAN);
                assert!((e - serial_fraction).abs() < 1e-12, "k={k}: {e}");
            }
        }
        assert_eq!(karp_flatt(1, 1.0), None);
        assert_eq!(karp_flatt(4, 0.0), None);
    }

    proptest! {
        #[test]
        fn any_serial_fraction_is_recovered_exactly(serial_fraction in 0.0f64..1.0) {
            let fitted = amdahl_serial_fraction(&exact(serial_fraction)).unwrap_or(f64::NAN);
            prop_assert!((fitted - serial_fraction).abs() < 1e-9);
        }
    }
}
