//! `/me/settings`: the viewer's alerts. A private Atom feed of new works by the researchers they
//! follow (its secret address shown once, when made) and the mail digest (off, daily, weekly).
//! Plain forms: each posts, and the page comes back with the change.

use crate::api::alerts::{alert_settings, AlertView, RemovePrivateFeed, ResetPrivateFeed, SetDigest};
use crate::api::flash::Flash;
use crate::components::forms::{page_flash, FormMessage};
use crate::components::head::PageHead;
use crate::domain::alerts::DigestPeriod;
use crate::pages::ErrorPanel;
use leptos::prelude::*;
use leptos::server_fn::ServerFn;

#[component]
pub fn SettingsPage() -> impl IntoView {
    let settings = Resource::new(|| (), |_| alert_settings());
    let flash = page_flash();
    view! {
        <PageHead title="Settings" description="Your alerts on BZPEER." path="/me/settings" />
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                let flash = flash.await;
                match settings.await {
                    Ok(s) => settings_view(s, flash),
                    Err(e) => view! { <ErrorPanel error=e /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

fn settings_view(settings: AlertView, flash: Flash) -> AnyView {
    let error = Signal::stored(flash.message());
    let made = flash.kept("feed_url").filter(|u| !u.is_empty()).map(str::to_owned);
    view! {
        <main class="page narrow settings">
            <h1>"Settings"</h1>
            <FormMessage message=error />
            <section class="panel" aria-labelledby="feed-heading">
                <h2 id="feed-heading">"Private feed"</h2>
                <p>
                    "An Atom feed of new works by the researchers you follow, for a feed reader. "
                    "Its address is secret: whoever has it can see whom you follow."
                </p>
                {made.map(|url| view! {
                    <div class="feed-address" role="status">
                        <p>"Your feed's address. It is shown only now: copy it into your feed reader."</p>
                        <p><a href=url.clone() rel="nofollow">{url.clone()}</a></p>
                    </div>
                })}
                {if settings.has_feed {
                    view! {
                        <p>"Your private feed is on."</p>
                        <form method="post" action=ResetPrivateFeed::url() class="inline">
                            <button type="submit">"Make a new address"</button>
                        </form>
                        " "
                        <form method="post" action=RemovePrivateFeed::url() class="inline">
                            <button type="submit" class="secondary">"Turn the feed off"</button>
                        </form>
                        <p class="note">"A new address stops the old one at once."</p>
                    }.into_any()
                } else {
                    view! {
                        <form method="post" action=ResetPrivateFeed::url()>
                            <button type="submit">"Make a private feed"</button>
                        </form>
                    }.into_any()
                }}
            </section>
            <section class="panel" aria-labelledby="digest-heading">
                <h2 id="digest-heading">"E-mail digest"</h2>
                <form method="post" action=SetDigest::url()>
                    <fieldset>
                        <legend>"Mail me the new works by researchers I follow"</legend>
                        {DigestPeriod::ALL.into_iter().map(|p| {
                            let chosen = p == settings.digest;
                            view! {
                                <label class="choice">
                                    <input type="radio" name="digest" value=p.as_str() checked=chosen />
                                    " " {p.label()}
                                </label>
                            }
                        }).collect_view()}
                    </fieldset>
                    <button type="submit">"Save"</button>
                </form>
                <p class="note">"Each digest lists the works that arrived since the last; every mail has a link that stops it in one click."</p>
            </section>
        </main>
    }
    .into_any()
}
