//! A work's citations on its page: whose count is which ("OpenAlex counts 1,234 citations; 56 of
//! them are from works on BZPEER"), the works citing it a page at a time, and its references.

use crate::api::works::{Work, WorkPage};
use crate::components::work_card::WorkCard;
use crate::domain::text::thousands;
use leptos::prelude::*;

/// The citations section of the work page at `path`.
pub fn citations_panel(work: &Work, cited: WorkPage, path: &str) -> AnyView {
    let ours = i64::from(work.citing_count);
    let counts = match work.cited_by_count {
        Some(source) => format!(
            "OpenAlex counts {} citation{}; {} of them {} from works on BZPEER.",
            thousands(i64::from(source)),
            if source == 1 { "" } else { "s" },
            thousands(ours),
            if ours == 1 { "is" } else { "are" }
        ),
        None => format!(
            "No citation count was imported for this work; {} work{} on BZPEER cite{} it.",
            thousands(ours),
            if ours == 1 { "" } else { "s" },
            if ours == 1 { "s" } else { "" }
        ),
    };
    let first = format!("{path}#cited-by-heading");
    let older = cited.next.map(|next| format!("{path}?cited_after={next}#cited-by-heading"));
    let references = work.references.clone();
    let more = references.total - references.shown.len() as i64;
    view! {
        <section class="panel" aria-labelledby="citations-heading">
            <h2 id="citations-heading">"Citations"</h2>
            <p class="sub">{counts}</p>
            <h3 id="cited-by-heading">{format!("Cited by {}", thousands(ours))}</h3>
            {if cited.items.is_empty() {
                view! { <p class="muted">"No work on BZPEER cites this one yet."</p> }.into_any()
            } else {
                view! {
                    <ol class="work-list" aria-labelledby="cited-by-heading">
                        {cited.items.into_iter().map(|w| view! { <li><WorkCard work=w /></li> }).collect_view()}
                    </ol>
                }
                .into_any()
            }}
            <nav class="pager" aria-label="More citing works">
                {(!cited.is_first).then(|| view! { <a href=first>"← Newest citing works"</a> })}
                {older.map(|href| view! { <a rel="next" href=href>"Older citing works →"</a> })}
            </nav>
            <h3 id="references-heading">{format!("References ({})", thousands(references.total))}</h3>
            {if references.shown.is_empty() {
                view! { <p class="muted">"No references were imported for this work."</p> }.into_any()
            } else {
                view! {
                    <ol class="references" aria-labelledby="references-heading">
                        {references
                            .shown
                            .into_iter()
                            .map(|r| match r.work {
                                Some(w) => view! {
                                    <li>
                                        <a href=format!("/works/{}", w.slug)>{w.title}</a>
                                        {w.year.map(|y| view! { <span class="muted">{format!(" ({y})")}</span> })}
                                    </li>
                                }
                                .into_any(),
                                None => view! {
                                    <li>
                                        "Not on BZPEER: "
                                        <a href=format!("https://openalex.org/{}", r.key) rel="external">
                                            {format!("OpenAlex {}", r.key)}
                                        </a>
                                    </li>
                                }
                                .into_any(),
                            })
                            .collect_view()}
                    </ol>
                }
                .into_any()
            }}
            {(more > 0).then(|| view! { <p class="muted">{format!("{} more references are listed at OpenAlex.", thousands(more))}</p> })}
        </section>
    }
    .into_any()
}

/// "Cite": the work as an APA-like line and as BibTeX, shown without JavaScript (a `details`
/// element), with links to the BibTeX, RIS and CSL-JSON files.
pub fn cite_panel(cite: &crate::domain::cite::CiteWork, slug: &str) -> AnyView {
    // Written where the page renders: the formats are the server's.
    #[cfg(feature = "ssr")]
    let (entry, line) = {
        let key = crate::domain::cite::citation_keys(std::slice::from_ref(cite)).pop().unwrap_or_default();
        (formats::cite::bibtex(cite, &key), formats::cite::apa_line(cite))
    };
    #[cfg(not(feature = "ssr"))]
    let (entry, line) = {
        let _ = cite;
        (String::new(), String::new())
    };
    view! {
        <details class="cite panel">
            <summary class="button secondary">"Cite"</summary>
            <h3 id="cite-apa">"Reference"</h3>
            <p aria-labelledby="cite-apa">{line}</p>
            <h3 id="cite-bibtex">"BibTeX"</h3>
            <pre aria-labelledby="cite-bibtex"><code>{entry.clone()}</code></pre>
            <crate::components::copy::CopyButton text=entry what="BibTeX".to_owned() />
            <ul class="cite-files" aria-label="Citation files">
                <li><a href=format!("/works/{slug}.bib") download>"BibTeX (.bib)"</a></li>
                <li><a href=format!("/works/{slug}.ris") download>"RIS (.ris)"</a></li>
                <li><a href=format!("/works/{slug}.json") download>"CSL-JSON (.json)"</a></li>
            </ul>
        </details>
    }
    .into_any()
}
