//! The trust model: how far to trust an author record, as a score, a band and its reasons.
//!
//! Every point the score gives comes from one [`Contribution`] with a reason a visitor can read, so
//! the profile can show "why this score" and `/about/trust` can explain the same table.
//!
//! | part | points |
//! |---|---|
//! | imported from public metadata | 9 |
//! | each work on the record, up to 6 | 2 each (at most 12) |
//! | followers | ⌊2·log₂(1 + followers)⌋, at most 8 |
//! | a claim with automatic evidence (L2) | 10 |
//! | a claim confirmed by a moderator (L3) | 20 |
//!
//! Unclaimed records with no followers therefore score `9 + 2·min(works, 6)`, which is what the
//! reference site shows (1 work: 11, 3 works: 15, 5 works: 19, 16 works: 21). Followers are
//! sub-linear and capped, so a follower farm cannot buy more than 8 points, nor any band beyond
//! "Emerging": the bands above it need a verified claim.

use serde::{Deserialize, Serialize};

pub const BASELINE_POINTS: u32 = 9;
pub const POINTS_PER_WORK: u32 = 2;
pub const MAX_COUNTED_WORKS: u32 = 6;
pub const MAX_FOLLOWER_POINTS: u32 = 8;
pub const L2_CLAIM_POINTS: u32 = 10;
pub const L3_CLAIM_POINTS: u32 = 20;

/// How well the identity behind a record is established.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub enum VerificationLevel {
    /// Imported from a single work.
    L0,
    /// Corroborated by at least two works.
    L1,
    /// Claimed, with automatic evidence checked (an institutional email).
    L2,
    /// Claimed and confirmed by a moderator after review.
    L3,
}

impl VerificationLevel {
    pub fn label(self) -> &'static str {
        match self {
            Self::L0 => "L0",
            Self::L1 => "L1",
            Self::L2 => "L2",
            Self::L3 => "L3",
        }
    }

    pub fn meaning(self) -> &'static str {
        match self {
            Self::L0 => "imported from one work",
            Self::L1 => "corroborated by at least two works",
            Self::L2 => "claimed, with automatic evidence checked",
            Self::L3 => "claimed and confirmed by a moderator",
        }
    }
}

/// Where a record stands on being claimed by the researcher it describes (`authors.claim_state`,
/// decoded by sqlx: a value the enum does not know is an error, never a default).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[cfg_attr(feature = "sqlx", derive(sqlx::Type), sqlx(type_name = "text", rename_all = "lowercase"))]
pub enum ClaimState {
    #[default]
    Unclaimed,
    Pending,
    /// Claimed with automatic evidence (gives L2).
    Claimed,
    /// Claimed and confirmed by a moderator (gives L3).
    Confirmed,
}

impl ClaimState {
    /// The state as stored and as moderators read it ("pending").
    pub fn name(self) -> &'static str {
        match self {
            Self::Unclaimed => "unclaimed",
            Self::Pending => "pending",
            Self::Claimed => "claimed",
            Self::Confirmed => "confirmed",
        }
    }

    /// Whether the record has an owner (claimed, with or without a moderator's confirmation).
    pub fn is_claimed(self) -> bool {
        matches!(self, Self::Claimed | Self::Confirmed)
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::Unclaimed => "Unclaimed author",
            Self::Pending => "Claim pending",
            Self::Claimed | Self::Confirmed => "Claimed",
        }
    }
}

/// The named bands a score falls in. The two top bands need a verified claim.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub enum TrustBand {
    Baseline,
    Unverified,
    Emerging,
    Verified,
    Trusted,
}

impl TrustBand {
    pub fn label(self) -> &'static str {
        match self {
            Self::Baseline => "Baseline",
            Self::Unverified => "Unverified",
            Self::Emerging => "Emerging",
            Self::Verified => "Verified",
            Self::Trusted => "Trusted",
        }
    }
}

/// What the model looks at.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct TrustInputs {
    pub works: u32,
    pub followers: u32,
    pub claim: ClaimState,
}

/// One line of "why this score": the points and the reason for them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Contribution {
    pub points: u32,
    pub reason: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TrustAssessment {
    pub score: u32,
    pub band: TrustBand,
    pub level: VerificationLevel,
    pub claim: ClaimState,
    pub contributions: Vec<Contribution>,
}

impl TrustAssessment {
    /// "Trust 15 - Unverified", as the snapshot shows it.
    pub fn headline(&self) -> String {
        format!("Trust {} - {}", self.score, self.band.label())
    }

    /// The verification chip is shown from L1 up: a single imported work verifies nothing.
    pub fn shows_verification_chip(&self) -> bool {
        self.level >= VerificationLevel::L1
    }
}

pub fn verification_level(inputs: &TrustInputs) -> VerificationLevel {
    match inputs.claim {
        ClaimState::Confirmed => VerificationLevel::L3,
        ClaimState::Claimed => VerificationLevel::L2,
        ClaimState::Unclaimed | ClaimState::Pending if inputs.works >= 2 => VerificationLevel::L1,
        ClaimState::Unclaimed | ClaimState::Pending => VerificationLevel::L0,
    }
}

/// Points for followers: ⌊2·log₂(1 + n)⌋, capped. 1 follower gives 2, 3 give 4, 15 give 8.
pub fn follower_points(followers: u32) -> u32 {
    let points = 2 * (u64::from(followers) + 1).ilog2();
    points.min(MAX_FOLLOWER_POINTS)
}

pub fn assess(inputs: &TrustInputs) -> TrustAssessment {
    let level = verification_level(inputs);
    let mut contributions =
        vec![Contribution { points: BASELINE_POINTS, reason: "Imported from public scholarly metadata".to_owned() }];
    let counted = inputs.works.min(MAX_COUNTED_WORKS);
    if counted > 0 {
        let capped = if inputs.works > MAX_COUNTED_WORKS { " (counted up to 6)" } else { "" };
        contributions.push(Contribution {
            points: POINTS_PER_WORK * counted,
            reason: format!("{} published work{} on the record{capped}", inputs.works, plural(inputs.works)),
        });
    }
    let follower = follower_points(inputs.followers);
    if follower > 0 {
        contributions.push(Contribution {
            points: follower,
            reason: format!(
                "{} follower{} (grows slowly, at most {MAX_FOLLOWER_POINTS} points)",
                inputs.followers,
                plural(inputs.followers)
            ),
        });
    }
    match inputs.claim {
        ClaimState::Claimed => contributions.push(Contribution {
            points: L2_CLAIM_POINTS,
            reason: "Claimed by its author with automatic evidence".to_owned(),
        }),
        ClaimState::Confirmed => contributions.push(Contribution {
            points: L3_CLAIM_POINTS,
            reason: "Claimed by its author and confirmed by a moderator".to_owned(),
        }),
        ClaimState::Unclaimed | ClaimState::Pending => {}
    }
    let score = contributions.iter().map(|c| c.points).sum();
    TrustAssessment { score, band: band(score, level), level, claim: inputs.claim, contributions }
}

fn band(score: u32, level: VerificationLevel) -> TrustBand {
    match (score, level) {
        (40.., VerificationLevel::L3) => TrustBand::Trusted,
        (30.., VerificationLevel::L2 | VerificationLevel::L3) => TrustBand::Verified,
        (21.., _) => TrustBand::Emerging,
        (13.., _) => TrustBand::Unverified,
        _ => TrustBand::Baseline,
    }
}

fn plural(n: u32) -> &'static str {
    if n == 1 {
        ""
    } else {
        "s"
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn unclaimed(works: u32) -> TrustAssessment {
        assess(&TrustInputs { works, ..TrustInputs::default() })
    }

    #[test]
    fn the_reference_table_is_reproduced() {
        let rows = [
            (1, "Trust 11 - Baseline", None),
            (3, "Trust 15 - Unverified", Some("L1")),
            (5, "Trust 19 - Unverified", Some("L1")),
            (16, "Trust 21 - Emerging", Some("L1")),
            (24, "Trust 21 - Emerging", Some("L1")),
        ];
        for (works, headline, chip) in rows {
            let t = unclaimed(works);
            assert_eq!(t.headline(), headline, "{works} works");
            assert_eq!(t.shows_verification_chip().then(|| t.level.label()), chip, "{works} works");
            assert_eq!(t.claim.label(), "Unclaimed author");
        }
    }

    #[test]
    fn the_score_is_the_sum_of_its_reasons() {
        let t = assess(&TrustInputs { works: 4, followers: 3, claim: ClaimState::Claimed });
        assert_eq!(t.score, t.contributions.iter().map(|c| c.points).sum::<u32>());
        assert_eq!(t.score, 9 + 8 + 4 + 10);
    }

    #[test]
    fn followers_help_sub_linearly_and_are_capped() {
        assert_eq!(follower_points(0), 0);
        assert_eq!(follower_points(1), 2);
        assert_eq!(follower_points(3), 4);
        assert_eq!(follower_points(15), 8);
        assert_eq!(follower_points(1_000_000), MAX_FOLLOWER_POINTS);
        assert_eq!(follower_points(u32::MAX), MAX_FOLLOWER_POINTS);
    }

    #[test]
    fn a_follower_farm_cannot_lift_an_unverified_record_past_emerging() {
        let t = assess(&TrustInputs { works: 100, followers: u32::MAX, claim: ClaimState::Unclaimed });
        assert_eq!(t.band, TrustBand::Emerging);
        assert_eq!(t.level, VerificationLevel::L1);
    }

    #[test]
    fn verified_claims_reach_the_top_bands() {
        let claimed = assess(&TrustInputs { works: 6, followers: 0, claim: ClaimState::Claimed });
        assert_eq!((claimed.score, claimed.band, claimed.level), (31, TrustBand::Verified, VerificationLevel::L2));
        let confirmed = assess(&TrustInputs { works: 6, followers: 0, claim: ClaimState::Confirmed });
        assert_eq!((confirmed.score, confirmed.band, confirmed.level), (41, TrustBand::Trusted, VerificationLevel::L3));
    }

    #[test]
    fn a_pending_claim_adds_nothing_yet() {
        let pending = assess(&TrustInputs { works: 3, followers: 0, claim: ClaimState::Pending });
        assert_eq!(pending.headline(), "Trust 15 - Unverified");
        assert_eq!(pending.claim.label(), "Claim pending");
    }
}
