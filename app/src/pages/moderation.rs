//! `/moderation/claims` (the queue of claims with evidence and disputes),
//! `/moderation/records/<slug>` (a record's audit log, and revoking its claim) and
//! `/moderation/harvests` (what the harvests last did). Moderators only.

use crate::api::claims::UnclaimRecord;
use crate::api::moderation::{
    harvest_runs, moderation_queue, record_audit, DecideRequest, HarvestRun, QueueItem, QueuePage,
};
use crate::components::forms::{page_flash, with_flash, FormMessage};
use crate::components::head::PageHead;
use crate::pages::ErrorPanel;
use leptos::prelude::*;
use leptos::server_fn::ServerFn;
use leptos_router::hooks::{use_params_map, use_query_map};

#[component]
pub fn ModerationQueuePage() -> impl IntoView {
    let query = use_query_map();
    let queue = Resource::new(move || query.read().get("after"), moderation_queue);
    let flash = page_flash();
    let later_page = move || query.read().get("after").is_some();
    view! {
        <PageHead title="Claims to review" description="Moderation queue." path="/moderation/claims" />
        <main class="page narrow">
            <h1>"Claims to review"</h1>
            <p><a href="/moderation/harvests">"Harvests"</a></p>
            {with_flash(flash, move |flash| view! { <FormMessage message=Signal::stored(flash.message()) /> }.into_any())}
            <Suspense fallback=|| view! { <p class="loading">"Loading…"</p> }>
                {move || Suspend::new(async move {
                    match queue.await {
                        Err(e) => view! { <ErrorPanel error=e /> }.into_any(),
                        Ok(page) => queue_page(page, later_page()),
                    }
                })}
            </Suspense>
        </main>
    }
}

#[component]
pub fn HarvestsPage() -> impl IntoView {
    let runs = Resource::new(|| (), |()| harvest_runs());
    view! {
        <PageHead title="Harvests" description="What the harvests last did." path="/moderation/harvests" />
        <main class="page narrow">
            <h1>"Harvests"</h1>
            <p class="muted">
                "Each OpenAlex filter or arXiv set harvested, by hand (" <code>"server harvest"</code>
                ") or on the schedule (" <code>"BZPEER_HARVEST"</code> "), with its last run."
            </p>
            <Suspense fallback=|| view! { <p class="loading">"Loading…"</p> }>
                {move || Suspend::new(async move {
                    match runs.await {
                        Err(e) => view! { <ErrorPanel error=e /> }.into_any(),
                        Ok(runs) if runs.is_empty() => view! { <p>"Nothing has been harvested yet."</p> }.into_any(),
                        Ok(runs) => runs.into_iter().map(harvest_run).collect_view().into_any(),
                    }
                })}
            </Suspense>
        </main>
    }
}

fn harvest_run(run: HarvestRun) -> impl IntoView {
    view! {
        <article class="card harvest">
            <h2>{format!("{} {}", run.source, run.query)}</h2>
            <p>
                <strong>{run.state}</strong>
                {run.started.map(|t| format!(" · started {t}"))}
                {run.finished.map(|t| format!(" · ended {t}"))}
                {format!(" · {}", count(i64::from(run.pages), "page", "pages"))}
                {format!(", {}", count(i64::from(run.records), "record", "records"))}
            </p>
            {(!run.summary.is_empty()).then(|| view! { <p class="muted">{run.summary}</p> })}
            {run.error.map(|e| view! { <p class="error" role="status">{e}</p> })}
        </article>
    }
}

fn count(n: i64, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

fn queue_page(page: QueuePage, later_page: bool) -> AnyView {
    let total = page.open_claims + page.open_disputes;
    let summary = format!(
        "{}: {}, {}. Oldest first.",
        count(total, "open request", "open requests"),
        count(page.open_claims, "claim", "claims"),
        count(page.open_disputes, "dispute", "disputes"),
    );
    let empty = page.items.is_empty();
    view! {
        <p class="muted">{summary}</p>
        {empty.then(|| view! { <p>"Nothing to review."</p> })}
        {page.items.into_iter().map(queue_item).collect_view()}
        <nav class="pager" aria-label="Queue pages">
            {later_page.then(|| view! { <a href="/moderation/claims">"First page"</a> " " })}
            {page.next.map(|next| view! { <a href=format!("/moderation/claims?after={next}") rel="next">"Next page"</a> })}
        </nav>
    }
    .into_any()
}

fn queue_item(item: QueueItem) -> impl IntoView {
    let kind = crate::domain::text::upper_first(item.kind.name());
    let reason_id = format!("reason-{}", item.id);
    let decision = match item.not_yours_to_decide {
        Some(why) => view! { <p class="note" role="note">{why}</p> }.into_any(),
        None => view! {
            <form method="post" action=DecideRequest::url()>
                <input type="hidden" name="id" value=item.id.to_string() />
                <label for=reason_id.clone()>"Reason (sent to the requester)"</label>
                <input id=reason_id type="text" name="reason" required maxlength="500" />
                <div class="row">
                    <button type="submit" class="button" name="decision" value="approve">"Approve"</button>
                    <button type="submit" class="button secondary" name="decision" value="reject">"Reject"</button>
                </div>
            </form>
        }
        .into_any(),
    };
    view! {
        <article class="panel form-panel">
            <h2>{format!("{kind}: ")}<a href=format!("/authors/{}", item.author_slug)>{item.author_name}</a></h2>
            <p class="muted">{format!("From {} · {} · record is {}", item.requester, item.submitted, item.claim_state.name())}</p>
            <p class="evidence">{item.evidence}</p>
            <ul>{item.links.into_iter().map(|l| view! { <li><a href=l.clone() rel="nofollow noopener external">{l.clone()}</a></li> }).collect_view()}</ul>
            <p><a href=format!("/moderation/records/{}", item.author_slug)>"Audit log of this record"</a></p>
            {decision}
        </article>
    }
}

#[component]
pub fn RecordAuditPage() -> impl IntoView {
    let params = use_params_map();
    let slug = move || params.read().get("slug").unwrap_or_default();
    let log = Resource::new(slug, record_audit);
    let flash = page_flash();
    view! {
        <PageHead title="Claim history" description="The audit log of a record's claim." path=format!("/moderation/records/{}", slug()) />
        <main class="page narrow">
            <p><a href=move || format!("/authors/{}", slug())>"← The record"</a></p>
            <h1>"Claim history"</h1>
            {with_flash(flash, move |flash| view! { <FormMessage message=Signal::stored(flash.message()) /> }.into_any())}
            <Suspense fallback=|| view! { <p class="loading">"Loading…"</p> }>
                {move || Suspend::new(async move {
                    match log.await {
                        Err(e) => view! { <ErrorPanel error=e /> }.into_any(),
                        Ok(rows) => view! {
                            <table class="audit">
                                <thead><tr><th>"When"</th><th>"Who"</th><th>"From"</th><th>"To"</th><th>"Why"</th></tr></thead>
                                <tbody>
                                    {rows.into_iter().map(|r| view! {
                                        <tr><td>{r.at}</td><td>{r.actor}</td><td>{r.from.name()}</td><td>{r.to.name()}</td><td>{r.reason}</td></tr>
                                    }).collect_view()}
                                </tbody>
                            </table>
                            <section class="panel form-panel">
                                <h2>"Revoke the claim"</h2>
                                <form method="post" action=UnclaimRecord::url()>
                                    <input type="hidden" name="slug" value=slug() />
                                    <label for="revoke-reason">"Reason"</label>
                                    <input id="revoke-reason" type="text" name="reason" required maxlength="500" />
                                    <button type="submit" class="button secondary">"Revoke"</button>
                                </form>
                            </section>
                        }.into_any(),
                    }
                })}
            </Suspense>
        </main>
    }
}
