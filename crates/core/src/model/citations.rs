//! A record's citation figures as its profile shows them: computed from the works on the record
//! (hidden works left out), with OpenAlex's own figures beside, and a row per year for the chart.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct RecordCitations {
    /// From the per-work counts of the works on the record.
    pub citations: i64,
    pub h_index: i64,
    pub i10_index: i64,
    /// OpenAlex's figures for the author, when its author record was imported.
    pub source_citations: Option<i64>,
    pub source_h_index: Option<i64>,
    pub source_i10_index: Option<i64>,
    /// Citations since this year (the last five years), by OpenAlex's counts per year.
    pub recent_since: i32,
    pub recent_citations: Option<i64>,
    /// Oldest first, every year from the first work or count to the last.
    pub years: Vec<YearRow>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct YearRow {
    pub year: i32,
    /// Works on the record published that year.
    pub works: i64,
    /// Citations received that year, by OpenAlex (`None`: no counts were imported).
    pub citations: Option<i64>,
}
