//! `/dev/outbox` (development only): the mail the server would have sent.

use crate::api::auth::dev_outbox;
use crate::components::head::PageHead;
use crate::pages::ErrorPanel;
use leptos::prelude::*;

#[component]
pub fn DevOutboxPage() -> impl IntoView {
    let mails = Resource::new(|| (), |_| dev_outbox());
    view! {
        <Suspense fallback=|| view! { <p class="loading">"Loading…"</p> }>
            {move || Suspend::new(async move {
                match mails.await {
                    Err(e) => view! { <ErrorPanel error=e /> }.into_any(),
                    Ok(mails) => view! {
                        <PageHead title="Outbox" description="Mail written by the development server." path="/dev/outbox" />
                        <main class="page narrow">
                            <h1>"Outbox"</h1>
                            <p class="note">"Development only: mail the server would have sent, newest first."</p>
                            {mails.is_empty().then(|| view! { <p>"No mail yet."</p> })}
                            {mails.into_iter().map(|m| view! {
                                <article class="panel mail">
                                    <h2>{m.subject}</h2>
                                    <p class="muted">{format!("To {} · {}", m.to, m.sent_at)}</p>
                                    <pre>{m.body}</pre>
                                </article>
                            }).collect_view()}
                        </main>
                    }.into_any(),
                }
            })}
        </Suspense>
    }
}
