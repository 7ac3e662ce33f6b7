//! The explorer at `/explore?focus=<author slug>`: every neighbour of a researcher, listed.

use crate::api::profiles::{get_profile, Profile};
use crate::components::head::PageHead;
use crate::pages::profile::NamedCounts;
use crate::pages::ErrorPanel;
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

#[component]
pub fn ExplorePage() -> impl IntoView {
    let query = use_query_map();
    let profile = Resource::new(
        move || query.read().get("focus").unwrap_or_default(),
        |focus| async move {
            if focus.is_empty() {
                None
            } else {
                Some(get_profile(focus, None).await)
            }
        },
    );
    view! {
        <Suspense fallback=|| view! { <main class="page"><p class="loading">"Building this graph slice…"</p></main> }>
            {move || Suspend::new(async move {
                match profile.await {
                    None => view! {
                        <PageHead title="Explorer" description="Explore a researcher's neighbourhood." path="/explore" />
                        <main class="page narrow"><h1>"Explorer"</h1><p>"Open the explorer from a researcher's profile, or "<a href="/">"search for one"</a>"."</p></main>
                    }.into_any(),
                    Some(Ok(p)) => view! { <ExploreView profile=p /> }.into_any(),
                    Some(Err(e)) => view! { <ErrorPanel error=e /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn ExploreView(profile: Profile) -> AnyView {
    let path = format!("/explore?focus={}", profile.slug);
    let back = format!("/authors/{}", profile.slug);
    view! {
        <PageHead title=format!("Explore around {}", profile.name) description=format!("People, works, topics and institutions around {}.", profile.name) path=path />
        <main class="page">
            <p><a href=back>{format!("← {}", profile.name)}</a></p>
            <h1>{format!("Around {}", profile.name)}</h1>
            <div class="neighbours panel">
                <section>
                    <h2>"People"</h2>
                    <ul>
                        {profile.people.into_iter().map(|p| {
                            let focus = format!("/explore?focus={}", p.slug);
                            view! { <li><a href=focus>{p.name}</a><span class="muted">{format!(" · {} shared", p.shared_works)}</span></li> }
                        }).collect_view()}
                    </ul>
                </section>
                <section>
                    <h2>"Works"</h2>
                    <ul>
                        {profile.works.items.into_iter().map(|w| view! { <li><a href=format!("/works/{}", w.slug)>{w.title}</a></li> }).collect_view()}
                    </ul>
                </section>
                <section>
                    <h2>"Topics"</h2>
                    <NamedCounts items=profile.topics />
                </section>
                <section>
                    <h2>"Institutions"</h2>
                    <NamedCounts items=profile.institutions />
                </section>
            </div>
        </main>
    }
    .into_any()
}
