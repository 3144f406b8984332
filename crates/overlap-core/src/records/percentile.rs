//! Nearest-rank percentiles: always a value that was measured, never an
//! interpolation between two (the notes' load tests report them so).

/// The `percent` percentile of `values` by nearest rank (p50 of an even
/// count is the lower middle value); `None` for no values.
pub fn percentile(values: &[f64], percent: f64) -> Option<f64> {
    let mut sorted = values.to_vec();
    sorted.sort_by(f64::total_cmp);
    nearest_rank(&sorted, percent)
}

/// As `percentile`, on values already sorted.
pub fn nearest_rank(sorted: &[f64], percent: f64) -> Option<f64> {
    let rank = ((percent / 100.0) * sorted.len() as f64).ceil() as usize;
    sorted.get(rank.clamp(1, sorted.len().max(1)) - 1).copied()
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn ranks_of_a_small_sample() {
        let values = [30.0, 10.0, 20.0, 40.0];
        assert_eq!(percentile(&values, 50.0), Some(20.0));
        assert_eq!(percentile(&values, 95.0), Some(40.0));
        assert_eq!(percentile(&values, 0.0), Some(10.0));
        assert_eq!(percentile(&[], 50.0), None);
    }

    proptest! {
        #[test]
        fn a_percentile_is_a_measured_value_and_grows_with_the_percent(
            values in proptest::collection::vec(-1e6f64..1e6, 1..100),
            low in 0.0f64..100.0,
            high in 0.0f64..100.0,
        ) {
            let (low, high) = (low.min(high), low.max(high));
            let (at_low, at_high) = (percentile(&values, low), percentile(&values, high));
            prop_assert!(at_low.is_some_and(|value| values.contains(&value)));
            prop_assert!(at_low <= at_high);
        }
    }
}
