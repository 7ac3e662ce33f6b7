//! `/about/trust`: the trust model explained from the same constants the score uses.

use crate::components::head::PageHead;
use crate::domain::trust::{
    TrustBand, VerificationLevel, BASELINE_POINTS, L2_CLAIM_POINTS, L3_CLAIM_POINTS, MAX_COUNTED_WORKS,
    MAX_FOLLOWER_POINTS, POINTS_PER_WORK,
};
use leptos::prelude::*;

#[component]
pub fn AboutTrustPage() -> impl IntoView {
    let levels = [VerificationLevel::L0, VerificationLevel::L1, VerificationLevel::L2, VerificationLevel::L3];
    view! {
        <PageHead title="How trust is scored" description="How BZPEER scores how far to trust an author record, point by point." path="/about/trust" />
        <main class="page narrow prose">
            <h1>"How trust is scored"</h1>
            <p>
                "Every author record gets a trust score: a quick read of how well the record is corroborated. "
                "Each point comes from a reason you can see; nothing is hidden or bought."
            </p>
            <h2>"Points"</h2>
            <table>
                <thead><tr><th scope="col">"Reason"</th><th scope="col">"Points"</th></tr></thead>
                <tbody>
                    <tr><td>"Imported from public scholarly metadata"</td><td>{BASELINE_POINTS}</td></tr>
                    <tr><td>{format!("Each work on the record, up to {MAX_COUNTED_WORKS}")}</td><td>{format!("{POINTS_PER_WORK} each")}</td></tr>
                    <tr><td>"Followers: 2 × log₂(1 + followers), rounded down"</td><td>{format!("at most {MAX_FOLLOWER_POINTS}")}</td></tr>
                    <tr><td>"Claimed by its author with automatic evidence (L2)"</td><td>{L2_CLAIM_POINTS}</td></tr>
                    <tr><td>"Claimed and confirmed by a moderator (L3)"</td><td>{L3_CLAIM_POINTS}</td></tr>
                </tbody>
            </table>
            <p>
                "So an unclaimed record without followers scores 9 + 2 × (works, up to 6): 11 for one work, 15 for three, 21 from six on. "
                "Followers count slowly and stop at 8 points, so a crowd of followers cannot make a record trusted."
            </p>
            <h2>"Bands"</h2>
            <table>
                <thead><tr><th scope="col">"Band"</th><th scope="col">"When"</th></tr></thead>
                <tbody>
                    <tr><td>{TrustBand::Baseline.label()}</td><td>"below 13"</td></tr>
                    <tr><td>{TrustBand::Unverified.label()}</td><td>"13 to 20"</td></tr>
                    <tr><td>{TrustBand::Emerging.label()}</td><td>"21 and up, for records nobody has verified"</td></tr>
                    <tr><td>{TrustBand::Verified.label()}</td><td>"30 and up, claimed with evidence (L2 or L3)"</td></tr>
                    <tr><td>{TrustBand::Trusted.label()}</td><td>"40 and up, claimed and confirmed by a moderator (L3)"</td></tr>
                </tbody>
            </table>
            <h2>"Verification levels"</h2>
            <dl class="levels">
                {levels.into_iter().map(|l| view! { <dt>{l.label()}</dt><dd>{l.meaning()}</dd> }).collect_view()}
            </dl>
            <p>"A record with a single work (L0) shows no verification chip."</p>
        </main>
    }
}
