//! `/me/following`: the researchers you follow and a newest-first feed of their works.

use crate::api::follows::{following, FollowingPage as Page};
use crate::components::head::PageHead;
use crate::components::work_card::WorkCard;
use crate::error::AppError;
use crate::pages::{ErrorPanel, LogInToSee};
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

#[component]
pub fn FollowingPage() -> impl IntoView {
    let query = use_query_map();
    let page = Resource::new(move || query.read().get("after"), following);
    view! {
        <PageHead title="Following" description="The researchers you follow and their newest works." path="/me/following" />
        <main class="page narrow">
            <h1>"Following"</h1>
            <Suspense fallback=|| view! { <p class="loading">"Loading…"</p> }>
                {move || Suspend::new(async move {
                    match page.await {
                        Ok(p) => following_view(p),
                        Err(AppError::Unauthorized) => view! {
                            <LogInToSee what="see the researchers you follow" back="/me/following".to_owned() />
                        }.into_any(),
                        Err(e) => view! { <ErrorPanel error=e /> }.into_any(),
                    }
                })}
            </Suspense>
        </main>
    }
}

fn following_view(page: Page) -> AnyView {
    if page.researchers.is_empty() {
        return view! {
            <section class="panel">
                <p>"You do not follow anyone yet."</p>
                <p>"Find a researcher with the search above and press “Follow researcher” on their profile: their new works will show here."</p>
            </section>
        }
        .into_any();
    }
    let older = page.next.map(|n| format!("/me/following?after={n}"));
    view! {
        <section class="panel" aria-labelledby="followed-heading">
            <h2 id="followed-heading">"Researchers you follow"</h2>
            <ul class="people">
                {page.researchers.into_iter().map(|r| view! {
                    <li><a href=format!("/authors/{}", r.slug)>{r.name}</a>
                        <span class="muted">{format!(" · {} follower{}", r.followers, if r.followers == 1 { "" } else { "s" })}</span></li>
                }).collect_view()}
            </ul>
            {page.more_researchers.then(|| view! { <p class="note">"Showing the 100 you followed most recently."</p> })}
        </section>
        <section class="panel" aria-labelledby="feed-heading">
            <h2 id="feed-heading">"Their works, newest first"</h2>
            <ol class="work-list">
                {page.feed.into_iter().map(|item| view! {
                    <li>
                        <p class="muted by">{format!("By {}", item.followed_authors.join(", "))}</p>
                        <WorkCard work=item.work />
                    </li>
                }).collect_view()}
            </ol>
            <nav class="pager" aria-label="More works">
                {(!page.is_first).then(|| view! { <a href="/me/following">"← Newest works"</a> })}
                {older.map(|href| view! { <a rel="next" href=href>"Older works →"</a> })}
            </nav>
        </section>
    }
    .into_any()
}
