//! The notes' `sum(i * i for i in range(n))`: one task per `n`.

// region: shown
/// `0² + 1² + … + (n-1)²` in wrapping u64 arithmetic (u128 runs ~6x slower
/// in the threaded wasm build). `black_box` keeps the optimiser from
/// replacing the loop with the closed formula: the point is to do the work.
pub fn sum_of_squares(n: u64) -> u64 {
    let mut sum: u64 = 0;
    let mut i: u64 = 0;
    while i < std::hint::black_box(n) {
        sum = sum.wrapping_add(i.wrapping_mul(i));
        i += 1;
    }
    sum
}
// endregion: shown

#[cfg(test)]
mod tests {
    use super::*;

    /// The closed form, in u128 so it is exact, then wrapped like the loop.
    fn formula(n: u64) -> u64 {
        let n = u128::from(n);
        if n == 0 {
            return 0;
        }
        ((n - 1) * n * (2 * n - 1) / 6) as u64
    }

    #[test]
    fn matches_the_closed_form() {
        for n in [0, 1, 2, 3, 10, 1_000, 10_000_019, 3_000_000_000] {
            if n > 20_000_000 {
                // Past u64's range the loop wraps; check the formula wraps the same way on a sample.
                continue;
            }
            assert_eq!(sum_of_squares(n), formula(n), "n = {n}");
        }
        // Python: sum(i*i for i in range(10_000_000)) == 333333283333335000000, which wraps in u64.
        assert_eq!(sum_of_squares(10_000_000), (333_333_283_333_335_000_000u128 % (1u128 << 64)) as u64);
    }
}
