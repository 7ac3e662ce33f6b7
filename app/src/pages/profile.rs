//! The researcher profile at `/authors/<slug>`: header, trust snapshot, actions, identity,
//! collaboration, research graph and published work, all in the first response.

use crate::api::flash::Flash;
use crate::api::profiles::{get_profile, ClaimRelation, PersonLink, Profile};
use crate::components::follow::FollowBox;
use crate::components::graph::{GraphMode, GraphView, NeighbourList};
use crate::components::head::PageHead;
use crate::components::work_card::sorted_works;
use crate::domain::bio::source_label;
use crate::domain::meta::OgKind;
use crate::domain::text::thousands;
use crate::pages::ErrorPanel;
use leptos::prelude::*;
use leptos_router::hooks::{use_params_map, use_query_map};

#[component]
pub fn ProfilePage() -> impl IntoView {
    let params = use_params_map();
    let query = use_query_map();
    let profile = Resource::new(
        move || {
            let query = query.read();
            (params.read().get("slug").unwrap_or_default(), query.get("after"), query.get("sort"), query.get("works"))
        },
        |(slug, after, sort, works)| get_profile(slug, after, sort, works),
    );
    // What a failed invitation left for this page (the collaboration panel shows it).
    let flash = crate::components::forms::page_flash();
    view! {
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                // Taken before the page is sent, so the session forgets it with this response.
                let flash = flash.await;
                match profile.await {
                    Ok(p) => view! { <ProfileView profile=p flash=flash /> }.into_any(),
                    Err(e) => view! { <ErrorPanel error=e /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

/// The page is assembled from sections, each type-erased (`into_any`), so the view type stays
/// small enough for release builds to compile.
#[component]
fn ProfileView(profile: Profile, flash: Flash) -> impl IntoView {
    let path = format!("/authors/{}", profile.slug);
    let description = format!(
        "{}: {} works, trust {} ({}). {}",
        profile.name,
        profile.counts.works,
        profile.trust.score,
        profile.trust.band.label(),
        profile.bio
    );
    // The record as search engines read it, built where the page renders.
    #[cfg(feature = "ssr")]
    let structured = formats::markup::person_ld(&profile, &crate::components::head::origin());
    #[cfg(not(feature = "ssr"))]
    let structured = serde_json::Value::Null;
    view! {
        <PageHead
            title=profile.name.clone()
            description=description
            path=path.clone()
            kind=OgKind::Profile
            feed=format!("{path}/feed.atom")
            structured=structured
        />
        <main class="page profile">
            {profile_header(&profile)}
            <div class="profile-grid">
                {trust_snapshot(&profile)}
                {actions(&profile)}
                {identity(&profile)}
                {collaboration(&profile, flash)}
            </div>
            <ResearchGraph profile=profile.clone() />
            {to_work_with(&profile, &path)}
            {crate::components::record_citations::record_citations_panel(profile.citations.clone())}
            {published_work(&profile, &path)}
        </main>
    }
}

fn profile_header(profile: &Profile) -> AnyView {
    let affiliation = profile.affiliation.clone().unwrap_or_else(|| "Affiliation not imported".to_owned());
    let affiliation = match profile.affiliation_href.clone() {
        Some(href) => view! { <a href=href>{affiliation}</a> }.into_any(),
        None => affiliation.into_any(),
    };
    let topic = profile.main_topic.clone().map(|t| view! { <li class="chip"><a href=t.href>{t.name}</a></li> });
    view! {
        <header class="profile-head panel">
            <p class="eyebrow">"Researcher profile"</p>
            <h1>{profile.name.clone()}</h1>
            <p class="bio">{profile.bio.clone()}</p>
            <ul class="chips" aria-label="About this researcher">
                <li class="chip">"Researcher"</li>
                <li class="chip">{affiliation}</li>
                {topic}
                {profile.open_to_collaborate.then(|| view! { <li class="chip good">"Open to collaborate"</li> })}
            </ul>
            <Identifiers profile=profile.clone() />
        </header>
    }
    .into_any()
}

fn trust_snapshot(profile: &Profile) -> AnyView {
    let trust = &profile.trust;
    let counts = &profile.counts;
    let verification = trust.shows_verification_chip().then(|| format!("Verification {}", trust.level.label()));
    view! {
        <section class="panel" aria-labelledby="trust-heading">
            <h2 id="trust-heading">"Trust snapshot"</h2>
            <p class="sub">"Quick read"</p>
            <ul class="chips" aria-label="Trust">
                <li class="chip strong">{trust.headline()}</li>
                {verification.map(|v| view! { <li class="chip">{v}</li> })}
                <li class="chip">{trust.claim.label()}</li>
            </ul>
            <ul class="stats" aria-label="Counts">
                <Stat value=counts.works label="works" />
                <Stat value=counts.followers label="followers" />
                <Stat value=counts.topics label="topics" />
                <Stat value=counts.close_collaborators label="close collaborators" />
            </ul>
            <details class="why">
                <summary>"Why this score?"</summary>
                <ul>
                    {trust.contributions.iter().map(|c| view! {
                        <li><strong>{format!("+{}", c.points)}</strong>" "{c.reason.clone()}</li>
                    }).collect_view()}
                </ul>
                <p class="note">{format!("Verification {}: {}.", trust.level.label(), trust.level.meaning())}</p>
            </details>
            <CloseCollaborators people=profile.close_collaborators.clone() />
            <p class="more">
                <a href="/about/trust">"How this score is worked out"</a>
            </p>
        </section>
    }
    .into_any()
}

fn actions(profile: &Profile) -> AnyView {
    view! {
        <section class="panel" aria-labelledby="actions-heading">
            <h2 id="actions-heading">"Actions"</h2>
            <p class="sub">"Decide how to stay connected"</p>
            <FollowBox slug=profile.slug.clone() followers=profile.counts.followers viewer_follows=profile.viewer_follows />
        </section>
    }
    .into_any()
}

fn identity(profile: &Profile) -> AnyView {
    view! {
        <section class="panel" aria-labelledby="identity-heading">
            <h2 id="identity-heading">"Identity and collaboration"</h2>
            <p class="sub">"How to connect with this researcher"</p>
            <p>
                "Claiming links this public author record to a researcher profile and unlocks direct collaboration workflows."
            </p>
            {claim_action(profile)}
        </section>
    }
    .into_any()
}

/// The claim part of "Identity and collaboration", for where the viewer stands.
fn claim_action(profile: &Profile) -> AnyView {
    let record = format!("/authors/{}", profile.slug);
    let claim = format!("{record}/claim");
    match profile.relation {
        ClaimRelation::LoggedOut => {
            let login = crate::domain::account::login_href(&claim);
            view! { <a class="button secondary" href=login>"Log in to claim"</a> }.into_any()
        }
        ClaimRelation::Claimable => view! { <a class="button" href=claim>"Claim this author record"</a> }.into_any(),
        ClaimRelation::PendingYours => view! {
            <p class="notice">"Claim pending: your claim is waiting for a moderator."</p>
        }
        .into_any(),
        ClaimRelation::PendingOther => view! {
            <p><strong>"Claim pending"</strong>" · someone has asked to claim this record."</p>
            <a class="button secondary" href=claim>"Dispute this claim"</a>
        }
        .into_any(),
        ClaimRelation::Yours => view! {
            <p class="notice">"This is your record."</p>
            <a class="button" href=format!("{record}/edit")>"Edit your record"</a>
        }
        .into_any(),
        ClaimRelation::ClaimedByOther => view! {
            <p><strong>"Claimed by its author"</strong></p>
            <a class="button secondary" href=claim>"Dispute this claim"</a>
        }
        .into_any(),
    }
}

/// "Researchers to work with": the first suggestions, with the way to all of them.
fn to_work_with(profile: &Profile, path: &str) -> AnyView {
    let owns = profile.relation == ClaimRelation::Yours;
    let all = if owns { "/me/suggestions".to_owned() } else { format!("{path}/suggestions") };
    let list = if profile.suggestions.is_empty() {
        let sources = crate::model::suggestions::Sources {
            coauthors: profile.counts.close_collaborators,
            topics: profile.counts.topics,
        };
        view! { <p class="muted">{sources.why_none()}</p> }.into_any()
    } else {
        let owner_of = owns.then(|| profile.slug.clone());
        crate::components::suggestions::suggestion_list(profile.suggestions.clone(), owner_of, path.to_owned())
    };
    view! {
        <section class="panel" aria-labelledby="suggestions-heading">
            <h2 id="suggestions-heading">"Researchers to work with"</h2>
            <p class="sub">"Not yet co-authors: reached through co-authors' co-authors, shared topics and recent work. Those whose claimed records are open to collaborate can be invited."</p>
            {list}
            {(!profile.suggestions.is_empty()).then(|| view! { <p><a href=all>"All suggestions"</a></p> })}
        </section>
    }
    .into_any()
}

fn collaboration(profile: &Profile, flash: Flash) -> AnyView {
    crate::components::collaboration::collaboration_panel(profile, flash)
}

fn published_work(profile: &Profile, path: &str) -> AnyView {
    let intro = view! {
        <p class="sub">{format!("{} published item(s)", profile.counts.works)}</p>
        <p class="cite-files">
            "Export all: "
            <a href=format!("{path}.bib") download>"BibTeX"</a>" · "
            <a href=format!("{path}.ris") download>"RIS"</a>" · "
            <a href=format!("{path}.json") download>"CSL-JSON"</a>
        </p>
        {one_page_link(profile, path)}
    };
    let works = profile.works.clone();
    sorted_works(
        path,
        "Published work".to_owned(),
        works,
        profile.most_cited_first,
        profile.all_works,
        intro.into_any(),
    )
}

/// On a list of more than one page, the link to every work on one page (the list to print; a
/// printed page of the paged list says where it is); on that list, the way back to pages.
fn one_page_link(profile: &Profile, path: &str) -> Option<AnyView> {
    let sort = if profile.most_cited_first { "sort=cited&" } else { "" };
    if profile.all_works {
        let back = if profile.most_cited_first {
            format!("{path}?sort=cited#works-heading")
        } else {
            format!("{path}#works-heading")
        };
        return Some(view! { <p class="one-page"><a href=back>"Show the works a page at a time"</a></p> }.into_any());
    }
    let paged = profile.works.next.is_some() || !profile.works.is_first;
    paged.then(|| {
        let label = format!("All {} works on one page, to print", thousands(profile.counts.works));
        view! { <p class="one-page"><a href=format!("{path}?{sort}works=all#works-heading")>{label}</a></p> }.into_any()
    })
}

#[component]
fn Stat(value: i64, label: &'static str) -> impl IntoView {
    view! {
        <li class="stat">
            <strong data-stat=label>{value}</strong>
            <span>{label}</span>
        </li>
    }
}

#[component]
fn CloseCollaborators(people: Vec<PersonLink>) -> impl IntoView {
    (!people.is_empty()).then(|| {
        view! {
            <h3 class="minor">"Close collaborators"</h3>
            <ul class="people">
                {people.into_iter().map(|p| view! { <li><PersonItem person=p /></li> }).collect_view()}
            </ul>
        }
    })
}

#[component]
fn PersonItem(person: PersonLink) -> impl IntoView {
    let shared = if person.shared_works == 1 {
        "1 shared work".to_owned()
    } else {
        format!("{} shared works", person.shared_works)
    };
    view! {
        <a href=format!("/authors/{}", person.slug)>{person.name}</a>
        <span class="muted">{format!(" · {shared}")}</span>
    }
}

#[component]
fn Identifiers(profile: Profile) -> impl IntoView {
    let source = format!("Imported from {}", source_label(&profile.source));
    view! {
        <p class="identifiers muted">
            {source}
            {profile.homepage_url.clone().map(|h| view! { " · " <a href=h rel="nofollow noopener external">"Homepage"</a> })}
            {profile.orcid.map(|o| view! { " · ORCID " <a href=format!("https://orcid.org/{o}") rel="external">{o.clone()}</a> })}
            {profile.openalex_id.map(|o| view! { " · " {crate::components::identifiers::openalex_id(o)} })}
            {profile.linked_records.into_iter().map(|l| {
                let label = format!(" · Also imported from {}: ", source_label(&l.source));
                view! { {label} <a href=format!("/authors/{}", l.slug)>{l.name}</a> }
            }).collect_view()}
        </p>
    }
}

/// The research graph section: the slice around the researcher, drawn by the server as SVG and
/// live on a canvas (an island) in the browser, with the neighbours listed.
#[component]
fn ResearchGraph(profile: Profile) -> AnyView {
    let explore = format!("/explore?focus={}", profile.slug);
    let name = format!("Research graph around {}", profile.name);
    view! {
        <section class="panel" aria-labelledby="graph-heading">
            <div class="section-head">
                <div>
                    <h2 id="graph-heading">"Research graph"</h2>
                    <p class="sub">"See the researcher in context"</p>
                </div>
                <a class="button secondary" href=explore>"Open full explorer"</a>
            </div>
            <p>"Inspect adjacent work, topics, institutions and collaborators without jumping out to a separate graph page."</p>
            <GraphView slice=profile.graph.clone() mode=GraphMode::Inline name=name />
            <NeighbourList slice=profile.graph mode=GraphMode::Inline />
        </section>
    }
    .into_any()
}
