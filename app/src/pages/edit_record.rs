//! `/authors/<slug>/edit`: the owner's tools: bio, affiliation, homepage, "Open to collaborate",
//! hiding works that are not theirs, and releasing the claim.

use crate::api::claims::UnclaimRecord;
use crate::api::flash::Flash;
use crate::api::profiles::{get_profile, ClaimRelation, Profile};
use crate::api::record_edit::{record_institutions, HideWork, InstitutionChoice, UpdateRecord};
use crate::components::forms::{page_flash, FormMessage};
use crate::components::head::PageHead;
use crate::domain::claims::{MAX_AFFILIATION_CHARS, MAX_BIO_CHARS};
use crate::error::AppError;
use crate::pages::ErrorPanel;
use leptos::prelude::*;
use leptos::server_fn::ServerFn;
use leptos_router::hooks::use_params_map;

#[component]
pub fn EditRecordPage() -> impl IntoView {
    let params = use_params_map();
    let slug = move || params.read().get("slug").unwrap_or_default();
    let profile = Resource::new(slug, |slug| get_profile(slug, None, None, None));
    let institutions = Resource::new(slug, record_institutions);
    let flash = page_flash();
    view! {
        <Suspense fallback=|| view! { <p class="loading">"Loading…"</p> }>
            {move || Suspend::new(async move {
                let flash = flash.await;
                match (profile.await, institutions.await) {
                    (Ok(p), Ok(choices)) if p.relation == ClaimRelation::Yours => edit_view(p, choices, flash),
                    (Ok(_), Ok(_)) => view! { <ErrorPanel error=AppError::Forbidden /> }.into_any(),
                    (Err(e), _) | (_, Err(e)) => view! { <ErrorPanel error=e /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

/// The owner's forms. After a failed save, the "About you" fields show what was sent (kept in the
/// page's flash), not what is saved, so nothing typed is lost.
fn edit_view(p: Profile, choices: Vec<InstitutionChoice>, flash: Flash) -> AnyView {
    let kept = |name: &str, saved: Option<&str>| flash.kept(name).or(saved).unwrap_or_default().to_owned();
    let bio = kept("bio", p.own_bio.as_deref());
    let affiliation = kept("affiliation", p.affiliation.as_deref());
    let homepage = kept("homepage", p.homepage_url.as_deref());
    let open = flash.kept("open_to_collaborate").map_or(p.open_to_collaborate, |v| !v.is_empty());
    let chosen = flash.kept("affiliation_institution").map(str::to_owned);
    let error = Signal::stored(flash.message());
    let profile_path = format!("/authors/{}", p.slug);
    let slug = p.slug.clone();
    let (slug_update, slug_release) = (p.slug.clone(), p.slug.clone());
    let hide_rows = {
        let slug = slug.clone();
        p.works
            .items
            .into_iter()
            .map(move |w| {
                let record = slug.clone();
                view! {
                    <li>
                        <form method="post" action=HideWork::url() class="inline">
                            <input type="hidden" name="slug" value=record />
                            <input type="hidden" name="work" value=w.slug.clone() />
                            <span>{w.title.clone()}</span>" "
                            <button type="submit" class="link-button" aria-label=format!("Hide {}", w.title)>"Hide"</button>
                        </form>
                    </li>
                }
            })
            .collect_view()
    };
    view! {
        <PageHead title=format!("Edit {}", p.name) description="Edit your author record." path=format!("{profile_path}/edit") />
        <main class="page narrow">
            <p><a href=profile_path.clone()>{format!("← {}", p.name)}</a></p>
            <h1>"Your record"</h1>
            <FormMessage message=error />
            <section class="panel form-panel">
                <h2>"About you"</h2>
                <form method="post" action=UpdateRecord::url()>
                    <input type="hidden" name="slug" value=slug_update />
                    <label for="edit-bio">"Bio (plain text)"</label>
                    <textarea id="edit-bio" name="bio" rows="4" maxlength=MAX_BIO_CHARS.to_string()>{crate::domain::html::textarea_text(&bio)}</textarea>
                    <label for="edit-institution">"Affiliation: an institution on your record"</label>
                    <select id="edit-institution" name="affiliation_institution">
                        <option value="">"None of these (write it below)"</option>
                        {choices.into_iter().map(|c| {
                            let selected = match &chosen {
                                Some(id) => *id == c.openalex_id,
                                None => p.affiliation.as_deref() == Some(c.name.as_str()),
                            };
                            view! { <option value=c.openalex_id selected=selected>{c.name}</option> }
                        }).collect_view()}
                    </select>
                    <label for="edit-affiliation">"… or in your own words"</label>
                    <input id="edit-affiliation" name="affiliation" type="text" maxlength=MAX_AFFILIATION_CHARS.to_string()
                        value=affiliation />
                    <label for="edit-homepage">"Homepage (http or https)"</label>
                    <input id="edit-homepage" name="homepage" type="url" value=homepage />
                    <label class="check">
                        <input type="checkbox" name="open_to_collaborate" value="on" checked=open />
                        " Open to collaborate"
                    </label>
                    <button type="submit" class="button">"Save"</button>
                </form>
            </section>
            <section class="panel">
                <h2>"Works on your record"</h2>
                <p class="note">"Hide a work that is not yours: it leaves your list and counts, and the change is logged."</p>
                <ul class="hide-list">
                    {hide_rows}
                </ul>
            </section>
            <section class="panel">
                <h2>"Release the claim"</h2>
                <p>"The record becomes unclaimed again; anyone can then claim it."</p>
                <form method="post" action=UnclaimRecord::url()>
                    <input type="hidden" name="slug" value=slug_release />
                    <button type="submit" class="button secondary">"Release this record"</button>
                </form>
            </section>
        </main>
    }
    .into_any()
}
