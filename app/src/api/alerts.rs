//! The viewer's alerts (`/me/settings`): the private feed of the researchers they follow (a
//! secret address, shown once when made; a new one revokes the old) and the mail digest.

use crate::domain::alerts::DigestPeriod;
use crate::error::AppError;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// The settings page's address.
pub const SETTINGS: &str = "/me/settings";

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AlertView {
    pub has_feed: bool,
    pub digest: DigestPeriod,
}

#[server(prefix = "/api", endpoint = "alert_settings")]
pub async fn alert_settings() -> Result<AlertView, AppError> {
    let user = crate::ssr::auth::require_user().await?;
    let settings = db::writes::alerts::settings(&crate::ssr::pool()?, user.id).await?;
    Ok(AlertView { has_feed: settings.has_feed, digest: settings.digest })
}

/// Chooses how often the digest comes: `off`, `daily` or `weekly`.
#[server(prefix = "/api", endpoint = "set_digest")]
pub async fn set_digest(digest: String) -> Result<DigestPeriod, AppError> {
    use crate::ssr::forms::Form;
    let action = async {
        let user = crate::ssr::auth::require_user().await?;
        let period = DigestPeriod::parse(&digest).ok_or_else(|| AppError::invalid("digest", "off, daily or weekly"))?;
        let mut conn = crate::ssr::pool()?.acquire().await?;
        db::writes::alerts::set_digest(&mut conn, user.id, period, &jobs::alerts::new_token()).await?;
        Ok(period)
    };
    Form::on(SETTINGS).answer(SETTINGS, action).await
}

/// Makes a new private feed address (the old one, if any, stops working) and returns it; a
/// plain form post lands on the settings page, which shows it once.
#[server(prefix = "/api", endpoint = "reset_private_feed")]
pub async fn reset_private_feed() -> Result<String, AppError> {
    use crate::ssr::forms::Form;
    let action = async {
        let user = crate::ssr::auth::require_user().await?;
        let token = jobs::alerts::new_token();
        let hash = crate::ssr::account_mail::token_hash(&token);
        let mut conn = crate::ssr::pool()?.acquire().await?;
        db::writes::alerts::set_feed_token(&mut conn, user.id, Some(&hash), &jobs::alerts::new_token()).await?;
        Ok(format!("{}/feeds/{token}.atom", crate::ssr::context()?.site_url))
    };
    Form::on(SETTINGS).answer_to(|url: &String| Form::pass_on(SETTINGS, &[("feed_url", url)]), action).await
}

/// Turns the private feed off: its address stops working.
#[server(prefix = "/api", endpoint = "remove_private_feed")]
pub async fn remove_private_feed() -> Result<(), AppError> {
    use crate::ssr::forms::Form;
    let action = async {
        let user = crate::ssr::auth::require_user().await?;
        let mut conn = crate::ssr::pool()?.acquire().await?;
        db::writes::alerts::set_feed_token(&mut conn, user.id, None, &jobs::alerts::new_token()).await
    };
    Form::on(SETTINGS).answer(SETTINGS, action).await
}
