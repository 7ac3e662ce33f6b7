//! A record's citation figures on its profile: citations (all and the last five years), h-index
//! and i10-index computed from the works on the record with OpenAlex's figures beside when they
//! differ, and citations and works per year as a server-drawn SVG chart (values on hover, as
//! native tooltips) with the same figures as a table for screen readers and print.

use crate::domain::text::thousands;
use crate::model::citations::{RecordCitations, YearRow};
use leptos::prelude::*;

const WIDTH: f64 = 640.0;
const BAND: f64 = 70.0;
const GAP: f64 = 26.0;

pub fn record_citations_panel(figures: RecordCitations) -> AnyView {
    let beside = |ours: i64, source: Option<i64>| match source {
        Some(s) if s != ours => format!(" (OpenAlex: {})", thousands(s)),
        _ => String::new(),
    };
    let citations = format!("{}{}", thousands(figures.citations), beside(figures.citations, figures.source_citations));
    let h = format!("{}{}", figures.h_index, beside(figures.h_index, figures.source_h_index));
    let i10 = format!("{}{}", figures.i10_index, beside(figures.i10_index, figures.source_i10_index));
    let recent = figures.recent_citations.map_or_else(|| "not imported".to_owned(), thousands);
    let recent_label = format!("Citations since {}", figures.recent_since);
    let years = figures.years;
    view! {
        <section class="panel" aria-labelledby="citations-heading">
            <h2 id="citations-heading">"Citations"</h2>
            <p class="sub">"Computed from the works on this record (hidden works left out), by OpenAlex's counts per work; OpenAlex's own figure in brackets where it differs."</p>
            <dl class="metrics">
                <div><dt>"Citations"</dt><dd data-metric="citations">{citations}</dd></div>
                <div><dt>{recent_label}</dt><dd data-metric="recent">{recent}</dd></div>
                <div><dt>"h-index"</dt><dd data-metric="h-index">{h}</dd></div>
                <div><dt>"i10-index"</dt><dd data-metric="i10-index">{i10}</dd></div>
            </dl>
            {(!years.is_empty()).then(|| chart(&years))}
            {(!years.is_empty()).then(|| table(years.clone()))}
        </section>
    }
    .into_any()
}

/// Two bands of bars sharing the years: citations per year above, works per year below, each
/// scaled to its own largest value.
fn chart(years: &[YearRow]) -> AnyView {
    let slot = WIDTH / years.len().max(1) as f64;
    let max_cites = years.iter().filter_map(|y| y.citations).max().unwrap_or(0).max(1) as f64;
    let max_works = years.iter().map(|y| y.works).max().unwrap_or(0).max(1) as f64;
    let height = 2.0 * BAND + 2.0 * GAP + 14.0;
    let (first, last) = (years.first().map_or(0, |y| y.year), years.last().map_or(0, |y| y.year));
    let bars = years
        .iter()
        .enumerate()
        .map(|(i, y)| {
            let x = i as f64 * slot + slot * 0.15;
            let w = (slot * 0.7).max(1.0);
            let cites = y.citations.unwrap_or(0) as f64;
            let ch = BAND * cites / max_cites;
            let wh = BAND * y.works as f64 / max_works;
            let cite_tip = match y.citations {
                Some(c) => format!("{}: {} citations", y.year, thousands(c)),
                None => format!("{}: citations not imported", y.year),
            };
            let work_tip = format!("{}: {} works", y.year, y.works);
            view! {
                <rect class="bar cites" x=format!("{x:.1}") y=format!("{:.1}", GAP + BAND - ch) width=format!("{w:.1}") height=format!("{ch:.1}")>
                    <title>{cite_tip}</title>
                </rect>
                <rect class="bar works" x=format!("{x:.1}") y=format!("{:.1}", 2.0 * GAP + 2.0 * BAND - wh) width=format!("{w:.1}") height=format!("{wh:.1}")>
                    <title>{work_tip}</title>
                </rect>
            }
        })
        .collect_view();
    view! {
        <figure class="year-chart">
            <svg viewBox=format!("0 0 {WIDTH} {height}") role="img"
                aria-label=format!("Citations and works per year, {first} to {last}; the table below gives the figures")>
                <text x="0" y="14" class="chart-label">"Citations per year"</text>
                <text x="0" y=format!("{:.0}", GAP + BAND + 20.0) class="chart-label">"Works per year"</text>
                {bars}
                <text x="0" y=format!("{height:.0}") class="chart-label">{first}</text>
                <text x=format!("{WIDTH}") y=format!("{height:.0}") text-anchor="end" class="chart-label">{last}</text>
            </svg>
        </figure>
    }
    .into_any()
}

fn table(years: Vec<YearRow>) -> AnyView {
    view! {
        <table class="year-table">
            <caption>"Citations and works per year"</caption>
            <thead><tr><th scope="col">"Year"</th><th scope="col">"Citations"</th><th scope="col">"Works"</th></tr></thead>
            <tbody>
                {years
                    .into_iter()
                    .rev()
                    .map(|y| view! {
                        <tr>
                            <th scope="row">{y.year}</th>
                            <td>{y.citations.map_or_else(|| "–".to_owned(), thousands)}</td>
                            <td>{y.works}</td>
                        </tr>
                    })
                    .collect_view()}
            </tbody>
        </table>
    }
    .into_any()
}
