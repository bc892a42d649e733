//! Deterministic randomness: `SplitMix64` streams keyed by `(seed, purpose,
//! index)`, so any message can be regenerated on its own, and `exp`/`ln` built
//! from IEEE basic arithmetic only, so a seed gives the same bits on every
//! platform.

const GOLDEN: u64 = 0x9E37_79B9_7F4A_7C15;

/// `SplitMix64`'s finaliser: a bijection on `u64` with good avalanche.
fn mix(mut z: u64) -> u64 {
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// A well-mixed value for `(seed, purpose, a)`.
pub(super) fn hash(seed: u64, purpose: u64, a: u64) -> u64 {
    mix(mix(seed.wrapping_add(purpose.wrapping_mul(GOLDEN)))
        ^ a.wrapping_mul(0xD1B5_4A32_D192_ED03))
}

// Purposes of the keyed streams.
pub(super) const K_PLAN: u64 = 1;
pub(super) const K_ASSIGN: u64 = 2;
pub(super) const K_TEXT: u64 = 3;
pub(super) const K_MSG: u64 = 4;
pub(super) const K_POOL: u64 = 5;
pub(super) const K_SLOT: u64 = 6;
pub(super) const K_PERSON: u64 = 7;
pub(super) const K_CONV: u64 = 8;
pub(super) const K_ID: u64 = 9;
pub(super) const K_PLACE: u64 = 10;
pub(super) const K_ATTACH: u64 = 11;
pub(super) const K_QUOTE: u64 = 12;

/// `SplitMix64`.
#[derive(Debug, Clone)]
pub(super) struct Rng(u64);

impl Rng {
    pub(super) fn keyed(seed: u64, purpose: u64, a: u64) -> Rng {
        Rng(hash(seed, purpose, a))
    }

    pub(super) fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(GOLDEN);
        mix(self.0)
    }

    /// Uniform in `0..n` (0 when `n` is 0).
    pub(super) fn below(&mut self, n: u64) -> u64 {
        ((u128::from(self.next_u64()) * u128::from(n)) >> 64) as u64
    }

    pub(super) fn index(&mut self, n: usize) -> usize {
        self.below(n as u64) as usize
    }

    /// Uniform in `lo..=hi`.
    pub(super) fn between(&mut self, lo: u64, hi: u64) -> u64 {
        lo + self.below(hi - lo + 1)
    }

    /// Uniform in the open interval (0, 1).
    pub(super) fn unit(&mut self) -> f64 {
        ((self.next_u64() >> 11) as f64 + 0.5) * (1.0 / 9_007_199_254_740_992.0)
    }

    pub(super) fn chance(&mut self, p: f64) -> bool {
        self.unit() < p
    }

    pub(super) fn pick<T: Copy>(&mut self, items: &[T]) -> T {
        items[self.index(items.len())]
    }

    /// Approximately standard normal (Irwin–Hall, 12 terms).
    fn normal(&mut self) -> f64 {
        let mut s = 0.0;
        for _ in 0..12 {
            s += self.unit();
        }
        s - 6.0
    }

    pub(super) fn lognormal(&mut self, median: f64, sigma: f64) -> f64 {
        median * exp(sigma * self.normal())
    }
}

/// `e^x` with basic arithmetic only (same bits on every platform).
pub(super) fn exp(x: f64) -> f64 {
    let x = x.clamp(-700.0, 700.0);
    let k = (x * std::f64::consts::LOG2_E + 0.5).floor();
    let r = x - k * std::f64::consts::LN_2;
    let mut term = 1.0;
    let mut sum = 1.0;
    for n in 1..=18 {
        term *= r / f64::from(n);
        sum += term;
    }
    sum * f64::from_bits(((k as i64 + 1023) as u64) << 52)
}

/// Natural logarithm of a positive normal `x`, basic arithmetic only.
pub(super) fn ln(x: f64) -> f64 {
    let bits = x.to_bits();
    let mut e = ((bits >> 52) & 0x7ff) as i64 - 1023;
    let mut m = f64::from_bits((bits & 0x000F_FFFF_FFFF_FFFF) | 0x3FF0_0000_0000_0000);
    if m > std::f64::consts::SQRT_2 {
        m *= 0.5;
        e += 1;
    }
    let t = (m - 1.0) / (m + 1.0);
    let t2 = t * t;
    let mut term = t;
    let mut sum = 0.0;
    for k in 0..20 {
        sum += term / f64::from(2 * k + 1);
        term *= t2;
    }
    2.0 * sum + e as f64 * std::f64::consts::LN_2
}

/// Picks an index with probability proportional to its weight.
pub(super) struct Weighted {
    pub(super) cum: Vec<u64>,
}

impl Weighted {
    pub(super) fn new(weights: impl IntoIterator<Item = u64>) -> Weighted {
        let mut total = 0;
        let cum = weights
            .into_iter()
            .map(|w| {
                total += w;
                total
            })
            .collect();
        Weighted { cum }
    }

    pub(super) fn sample(&self, rng: &mut Rng) -> usize {
        let total = self.cum.last().copied().unwrap_or(0);
        let x = rng.below(total);
        self.cum
            .partition_point(|&c| c <= x)
            .min(self.cum.len().saturating_sub(1))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exp_and_ln_are_accurate() {
        for x in [-5.0, -1.0, -0.1, 0.0, 0.5, 1.0, 3.0, 10.0] {
            let got: f64 = exp(x);
            let want = x.exp();
            assert!((got - want).abs() <= want * 1e-12, "exp({x})");
        }
        for x in [1e-9, 0.1, 0.5, 1.0, 2.0, 10.0, 12345.0] {
            let got: f64 = ln(x);
            assert!((got - x.ln()).abs() < 1e-12, "ln({x})");
        }
    }
}
