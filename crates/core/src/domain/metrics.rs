//! A researcher's citation metrics from the citation counts of the works on their record: total
//! citations, h-index (the largest h with h works cited at least h times each) and i10-index (works
//! cited at least 10 times).

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Metrics {
    pub citations: i64,
    pub h_index: i64,
    pub i10_index: i64,
}

/// The metrics of works cited `counts` times each (a work without a count counts 0).
pub fn metrics(counts: &[i32]) -> Metrics {
    let mut sorted: Vec<i64> = counts.iter().map(|&c| i64::from(c.max(0))).collect();
    sorted.sort_unstable_by(|a, b| b.cmp(a));
    let h_index = sorted.iter().enumerate().take_while(|(i, c)| **c > *i as i64).count() as i64;
    Metrics { citations: sorted.iter().sum(), h_index, i10_index: sorted.iter().filter(|&&c| c >= 10).count() as i64 }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn no_works_or_no_citations_give_zeros() {
        assert_eq!(metrics(&[]), Metrics::default());
        assert_eq!(metrics(&[0, 0, 0]), Metrics::default());
    }

    #[test]
    fn the_h_index_is_the_largest_h_with_h_works_cited_h_times() {
        assert_eq!(metrics(&[10, 8, 5, 4, 3]).h_index, 4);
        assert_eq!(metrics(&[25, 8, 5, 3, 3]).h_index, 3);
        assert_eq!(metrics(&[1]).h_index, 1);
        assert_eq!(metrics(&[100]).h_index, 1, "one work makes at most 1");
    }

    #[test]
    fn ties_count_every_tied_work() {
        assert_eq!(metrics(&[3, 3, 3, 3]).h_index, 3);
        assert_eq!(metrics(&[4, 4, 4, 4]).h_index, 4);
        assert_eq!(metrics(&[10, 10, 9]), Metrics { citations: 29, h_index: 3, i10_index: 2 });
    }

    #[test]
    fn negative_counts_are_read_as_none() {
        assert_eq!(metrics(&[-5, 2, 2]), Metrics { citations: 4, h_index: 2, i10_index: 0 });
    }
}
