//! The notes' `sum(i * i for i in range(n))`: one task per `n`.

// region: shown
/// `0² + 1² + … + (n-1)²`, exact, as Python's integers give it. Each
/// square fits in a u64 (n is at most 10⁸, far below 2³²); the sum does
/// not, so it carries into a second word: one more add per step, where
/// u128 arithmetic ran ~6x slower in the threaded wasm build. `black_box`
/// keeps the optimiser from replacing the loop with the closed formula:
/// the point is to do the work.
pub fn sum_of_squares(n: u64) -> u128 {
    let (mut low, mut high): (u64, u64) = (0, 0);
    let mut i: u64 = 0;
    while i < std::hint::black_box(n) {
        let (sum, carried) = low.overflowing_add(i * i);
        low = sum;
        high += u64::from(carried);
        i += 1;
    }
    (u128::from(high) << 64) | u128::from(low)
}
// endregion: shown

#[cfg(test)]
mod tests {
    use super::*;

    /// The closed form, in u128 so it is exact.
    fn formula(n: u64) -> u128 {
        let n = u128::from(n);
        if n == 0 {
            return 0;
        }
        (n - 1) * n * (2 * n - 1) / 6
    }

    #[test]
    fn matches_the_closed_form_and_python() {
        for n in [0, 1, 2, 3, 10, 1_000, 2_642_246, 2_642_247, 10_000_019] {
            assert_eq!(sum_of_squares(n), formula(n), "n = {n}");
        }
        // CPython: sum(i*i for i in range(10_000_000)) == 333333283333335000000
        assert_eq!(sum_of_squares(10_000_000), 333_333_283_333_335_000_000);
    }
}
