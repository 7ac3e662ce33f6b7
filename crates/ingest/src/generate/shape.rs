//! The shape of the synthetic catalogue: every distribution it draws from, deterministic per seed.
//! The figures come from the OpenAlex sample and the bibliometric literature
//! (docs/synthetic-catalogue.md): authors per work log-normal with median 3; works per author heavy-tailed (Pareto
//! author weights, so most records hold 1 to 3 works and a few thousands); citations Zipf-like.

use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

/// Median and spread (of the logarithm) of the number of authors of a work.
pub const AUTHORS_PER_WORK_MEDIAN: f64 = 3.0;
pub const AUTHORS_PER_WORK_SIGMA: f64 = 0.8;
/// Bylines longer than this are consortia; the tail is cut here.
pub const MAX_AUTHORS_PER_WORK: usize = 500;
/// Tail index and cap of an author's weight (how often they are drawn onto a byline).
pub const AUTHOR_WEIGHT_ALPHA: f64 = 0.9;
pub const AUTHOR_WEIGHT_CAP: f64 = 15_000.0;
/// Co-authors are drawn from this many records on each side of the work's lead author: records
/// near each other form a community (shared topics, institutions and repeated collaborations).
pub const COMMUNITY_REACH: usize = 2_000;
/// Records per community, which share a main topic and a pool of institutions.
pub const COMMUNITY_SIZE: usize = 5_000;
pub const FIRST_YEAR: i32 = 1990;
pub const LAST_YEAR: i32 = 2026;
/// Yearly growth of the number of works published.
pub const YEARLY_GROWTH: f64 = 1.06;
/// Abstract length in words: log-normal with this median and spread (sample median: 164).
pub const ABSTRACT_WORDS_MEDIAN: f64 = 160.0;
pub const ABSTRACT_WORDS_SIGMA: f64 = 0.35;
/// Work types and their shares (sample: 77 % articles, 14 % preprints, 7 % reviews).
pub const WORK_TYPES: &[(&str, f64)] =
    &[("article", 0.77), ("preprint", 0.14), ("review", 0.07), ("book", 0.01), ("dissertation", 0.01)];
/// Share of works that are open access, and of records with an ORCID.
pub const OPEN_ACCESS_SHARE: f64 = 0.45;
pub const ORCID_SHARE: f64 = 0.3;
/// Citation counts: Lomax (Pareto II) with this tail index and scale (median about 3).
pub const CITATION_ALPHA: f64 = 1.2;
pub const CITATION_SCALE: f64 = 4.0;

/// The seeded random source. ChaCha8 gives the same stream on every platform and version.
pub struct Draw {
    rng: ChaCha8Rng,
}

impl Draw {
    pub fn new(seed: u64) -> Self {
        Self { rng: ChaCha8Rng::seed_from_u64(seed) }
    }

    /// Uniform in [0, 1).
    pub fn unit(&mut self) -> f64 {
        self.rng.gen::<f64>()
    }

    /// Uniform in 0..n (n > 0).
    pub fn below(&mut self, n: usize) -> usize {
        self.rng.gen_range(0..n.max(1))
    }

    pub fn chance(&mut self, p: f64) -> bool {
        self.unit() < p
    }

    /// Standard normal (Box-Muller).
    pub fn normal(&mut self) -> f64 {
        let u = 1.0 - self.unit();
        let v = self.unit();
        (-2.0 * u.ln()).sqrt() * (std::f64::consts::TAU * v).cos()
    }

    pub fn log_normal(&mut self, median: f64, sigma: f64) -> f64 {
        median * (sigma * self.normal()).exp()
    }

    /// Pareto (type I, minimum 1) with tail index `alpha`.
    pub fn pareto(&mut self, alpha: f64) -> f64 {
        (1.0 - self.unit()).powf(-1.0 / alpha)
    }

    pub fn authors_per_work(&mut self) -> usize {
        let n = self.log_normal(AUTHORS_PER_WORK_MEDIAN, AUTHORS_PER_WORK_SIGMA).round() as usize;
        n.clamp(1, MAX_AUTHORS_PER_WORK)
    }

    pub fn author_weight(&mut self) -> f64 {
        self.pareto(AUTHOR_WEIGHT_ALPHA).min(AUTHOR_WEIGHT_CAP)
    }

    pub fn abstract_words(&mut self) -> usize {
        (self.log_normal(ABSTRACT_WORDS_MEDIAN, ABSTRACT_WORDS_SIGMA).round() as usize).clamp(20, 1_000)
    }

    /// A year from 1990 to 2026, later years more likely (the literature grows).
    pub fn year(&mut self) -> i32 {
        let span = (LAST_YEAR - FIRST_YEAR + 1) as f64;
        let total = (YEARLY_GROWTH.powf(span) - 1.0) / (YEARLY_GROWTH - 1.0);
        let target = self.unit() * total;
        // Inverse of the geometric sum: the year whose cumulative share passes `target`.
        let offset = ((target * (YEARLY_GROWTH - 1.0) + 1.0).ln() / YEARLY_GROWTH.ln()).floor();
        FIRST_YEAR + (offset as i32).clamp(0, LAST_YEAR - FIRST_YEAR)
    }

    /// Citations of a work `age` years old: Lomax, more for older works.
    pub fn citations(&mut self, age: i32) -> i32 {
        let lomax = CITATION_SCALE * (self.pareto(CITATION_ALPHA) - 1.0);
        let aged = lomax * (0.3 + f64::from(age.max(0)) / 10.0);
        aged.min(500_000.0) as i32
    }

    pub fn work_type(&mut self) -> &'static str {
        let mut x = self.unit();
        for (name, share) in WORK_TYPES {
            if x < *share {
                return name;
            }
            x -= share;
        }
        WORK_TYPES[0].0
    }
}

/// Draws indices 0..n with weights given up front: a cumulative table and a binary search.
/// `between` draws within an index range, which is how co-authors come from one community.
pub struct Weighted {
    cumulative: Vec<f64>,
}

impl Weighted {
    pub fn new(weights: impl IntoIterator<Item = f64>) -> Self {
        let mut cumulative = vec![0.0];
        let mut sum = 0.0;
        for w in weights {
            sum += w;
            cumulative.push(sum);
        }
        Self { cumulative }
    }

    /// Zipf weights 1/(rank+1)^s over n items: the first is the most common.
    pub fn zipf(n: usize, s: f64) -> Self {
        Self::new((0..n).map(|rank| 1.0 / ((rank + 1) as f64).powf(s)))
    }

    fn len(&self) -> usize {
        self.cumulative.len() - 1
    }

    pub fn pick(&self, draw: &mut Draw) -> usize {
        self.between(draw, 0, self.len())
    }

    /// An index in lo..hi drawn by weight.
    pub fn between(&self, draw: &mut Draw, lo: usize, hi: usize) -> usize {
        let (from, to) = (self.cumulative[lo], self.cumulative[hi]);
        let target = from + draw.unit() * (to - from);
        let found = self.cumulative.partition_point(|&c| c <= target).saturating_sub(1);
        found.clamp(lo, hi - 1)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_same_seed_draws_the_same_stream() {
        let (mut a, mut b) = (Draw::new(7), Draw::new(7));
        let xs: Vec<f64> = (0..5).map(|_| a.unit()).collect();
        let ys: Vec<f64> = (0..5).map(|_| b.unit()).collect();
        assert_eq!(xs, ys);
        assert_ne!(xs, (0..5).map(|_| Draw::new(8).unit()).collect::<Vec<_>>());
    }

    #[test]
    fn authors_per_work_have_median_three_and_a_long_tail() {
        let mut draw = Draw::new(1);
        let mut counts: Vec<usize> = (0..200_000).map(|_| draw.authors_per_work()).collect();
        counts.sort_unstable();
        assert_eq!(counts[counts.len() / 2], 3);
        assert!(counts[counts.len() - 1] >= 50, "max {}", counts[counts.len() - 1]);
        assert!(counts[0] == 1);
    }

    #[test]
    fn years_stay_in_range_and_grow() {
        let mut draw = Draw::new(2);
        let years: Vec<i32> = (0..50_000).map(|_| draw.year()).collect();
        assert!(years.iter().all(|y| (FIRST_YEAR..=LAST_YEAR).contains(y)));
        let early = years.iter().filter(|&&y| y < 2000).count();
        let late = years.iter().filter(|&&y| y >= 2016).count();
        assert!(late > 2 * early, "early {early}, late {late}");
    }

    #[test]
    fn weighted_draws_follow_their_weights_and_stay_in_range() {
        let table = Weighted::new([1.0, 0.0, 3.0]);
        let mut draw = Draw::new(3);
        let mut seen = [0usize; 3];
        for _ in 0..40_000 {
            seen[table.pick(&mut draw)] += 1;
        }
        assert_eq!(seen[1], 0);
        assert!((2.7..3.3).contains(&(seen[2] as f64 / seen[0] as f64)), "{seen:?}");
        for _ in 0..1_000 {
            assert_eq!(table.between(&mut draw, 2, 3), 2);
        }
    }

    #[test]
    fn work_types_follow_their_shares() {
        let mut draw = Draw::new(4);
        let articles = (0..10_000).filter(|_| draw.work_type() == "article").count();
        assert!((7_400..8_000).contains(&articles), "{articles}");
    }
}
