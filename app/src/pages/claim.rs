//! `/authors/<slug>/claim`: claim a record with an institutional e-mail or written evidence, or
//! dispute someone else's claim. Every form works without JavaScript.

use crate::api::claims::{claim_page, ClaimPageData, ClaimWithEmail, ClaimWithEvidence, DisputeClaim};
use crate::api::flash::Flash;
use crate::api::profiles::ClaimRelation;
use crate::components::forms::{page_flash, FormMessage};
use crate::components::head::PageHead;
use crate::domain::claims::{MAX_EVIDENCE_CHARS, MAX_EVIDENCE_LINKS, MAX_OPEN_DISPUTES, MIN_EVIDENCE_CHARS};
use crate::pages::ErrorPanel;
use leptos::prelude::*;
use leptos::server_fn::ServerFn;
use leptos_router::hooks::use_params_map;

#[component]
pub fn ClaimPage() -> impl IntoView {
    let params = use_params_map();
    let data = Resource::new(move || params.read().get("slug").unwrap_or_default(), claim_page);
    let flash = page_flash();
    view! {
        <Suspense fallback=|| view! { <p class="loading">"Loading…"</p> }>
            {move || Suspend::new(async move {
                let flash = flash.await;
                match data.await {
                    Ok(d) => claim_view(d, flash),
                    Err(e) => view! { <ErrorPanel error=e /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

/// The evidence and links boxes, refilled with what a failed post had in them.
fn evidence_fields(prefix: &'static str, kept: &Flash) -> AnyView {
    let text_id = format!("{prefix}-evidence");
    let links_id = format!("{prefix}-links");
    view! {
        <label for=text_id.clone()>"Evidence (plain text)"</label>
        <textarea id=text_id name="evidence" required rows="6"
            minlength=MIN_EVIDENCE_CHARS.to_string() maxlength=MAX_EVIDENCE_CHARS.to_string()>{crate::domain::html::textarea_text(&kept.field("evidence"))}</textarea>
        <p class="note">{format!("{MIN_EVIDENCE_CHARS} to {MAX_EVIDENCE_CHARS} characters, shown to moderators as plain text.")}</p>
        <label for=links_id.clone()>{format!("Links (up to {MAX_EVIDENCE_LINKS}, one a line, http or https)")}</label>
        <textarea id=links_id name="links" rows="3">{crate::domain::html::textarea_text(&kept.field("links"))}</textarea>
    }
    .into_any()
}

fn claim_view(d: ClaimPageData, flash: Flash) -> AnyView {
    let profile = format!("/authors/{}", d.slug);
    let error = Signal::stored(flash.message());
    let (slug, slug2, slug3) = (d.slug.clone(), d.slug.clone(), d.slug.clone());
    let body = match d.relation {
        ClaimRelation::LoggedOut => view! {
            <p><a class="button" href=crate::domain::account::login_href(&format!("/authors/{}/claim", d.slug))>"Log in to claim"</a></p>
        }
        .into_any(),
        ClaimRelation::Claimable if d.holds_other.is_some() => view! {
            <p>"Your account already holds an author record. Release it from that record's page before claiming another."</p>
        }
        .into_any(),
        ClaimRelation::Claimable => view! {
            {match d.email_match.clone() {
                Some(institution) => view! {
                    <section class="panel">
                        <h2>"Institutional e-mail"</h2>
                        <p>{format!("Your verified e-mail address belongs to {institution}, an institution on this record. Claiming with it verifies the record at L2 right away.")}</p>
                        <form method="post" action=ClaimWithEmail::url()>
                            <input type="hidden" name="slug" value=slug.clone() />
                            <button type="submit" class="button">"Claim with my institutional e-mail"</button>
                        </form>
                    </section>
                }.into_any(),
                None => view! {
                    <section class="panel">
                        <h2>"Institutional e-mail"</h2>
                        <p class="muted">{if d.email_verified {
                            "Your verified e-mail address does not belong to an institution on this record (free-mail addresses never do)."
                        } else {
                            "Verify your e-mail address first; an address at an institution on this record verifies the claim right away."
                        }}</p>
                    </section>
                }.into_any(),
            }}
            <section class="panel form-panel">
                <h2>"Written evidence for review"</h2>
                <p>"A moderator reads it and confirms the claim (L3) or explains why not. Until then the record shows “Claim pending”."</p>
                <form method="post" action=ClaimWithEvidence::url()>
                    <input type="hidden" name="slug" value=slug2 />
                    {evidence_fields("claim", &flash)}
                    <button type="submit" class="button">"Send for review"</button>
                </form>
            </section>
        }
        .into_any(),
        ClaimRelation::PendingYours => view! { <p>"Your claim is waiting for a moderator."</p> }.into_any(),
        ClaimRelation::Yours => view! { <p>"This record is yours."</p> }.into_any(),
        ClaimRelation::PendingOther | ClaimRelation::ClaimedByOther => view! {
            <section class="panel form-panel">
                <h2>"Dispute this claim"</h2>
                <p>"This record is claimed (or awaiting review) by someone else. If it is yours, tell a moderator why."</p>
                <p class="note">{format!("You can have one open dispute per record and {MAX_OPEN_DISPUTES} in all.")}</p>
                <form method="post" action=DisputeClaim::url()>
                    <input type="hidden" name="slug" value=slug3 />
                    <input type="hidden" name="claim" value=d.claim_generation.to_string() />
                    {evidence_fields("dispute", &flash)}
                    <button type="submit" class="button">"Send the dispute"</button>
                </form>
            </section>
        }
        .into_any(),
    };
    view! {
        <PageHead title=format!("Claim {}", d.name) description="Claim an author record on BZPEER." path=format!("{profile}/claim") />
        <main class="page narrow">
            <p><a href=profile.clone()>{format!("← {}", d.name)}</a></p>
            <h1>{format!("Claim the record of {}", d.name)}</h1>
            <p>"Claiming links this public author record to your account. One account holds at most one record, and a record has one claimant."</p>
            <FormMessage message=error />
            {body}
        </main>
    }
    .into_any()
}
