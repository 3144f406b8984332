//! Trial division, as in the `concurrent.futures` documentation's
//! `ProcessPoolExecutor` example, over the same numbers.

/// The numbers from the documentation's example. Five are prime; the last is
/// `3306091 × 332636609`, found after 1.65 million divisions instead of the
/// ~5.3 million a prime of this size takes: unequal tasks.
pub const PRIMES: [u64; 6] = [
    112_272_535_095_293,
    112_582_705_942_171,
    112_272_535_095_293,
    115_280_095_190_773,
    115_797_848_077_099,
    1_099_726_899_285_419,
];

// region: shown
/// Whether `n` is prime, by trying every odd divisor up to `√n`.
pub fn is_prime(n: u64) -> bool {
    if n < 2 {
        return false;
    }
    if n < 4 {
        return true;
    }
    if n.is_multiple_of(2) {
        return false;
    }
    let limit = n.isqrt();
    let mut divisor = 3;
    while divisor <= limit {
        if n.is_multiple_of(divisor) {
            return false;
        }
        divisor += 2;
    }
    true
}
// endregion: shown

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_answers() {
        let small: Vec<u64> = (0..50).filter(|&n| is_prime(n)).collect();
        assert_eq!(small, [2, 3, 5, 7, 11, 13, 17, 19, 23, 29, 31, 37, 41, 43, 47]);
        assert!(is_prime(1_000_000_007));
        assert!(!is_prime(1_000_000_007 * 3));
        // The documentation's printed answers.
        let answers: Vec<bool> = PRIMES.iter().map(|&n| is_prime(n)).collect();
        assert_eq!(answers, [true, true, true, true, true, false]);
        assert_eq!(PRIMES[5], 3_306_091 * 332_636_609);
    }
}
