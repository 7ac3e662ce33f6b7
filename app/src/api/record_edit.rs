//! The owner's tools on a claimed record: the affiliation choices, their edits (bio,
//! affiliation, homepage, "Open to collaborate") and hiding works that are not theirs.

#[cfg(feature = "ssr")]
use crate::api::claims::server;
use crate::error::AppError;
#[cfg(feature = "ssr")]
use crate::ssr::forms::Form;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct InstitutionChoice {
    pub openalex_id: String,
    pub name: String,
}

/// The institutions an owner can pick as their affiliation: those on the record.
#[server(prefix = "/api", endpoint = "record_institutions")]
pub async fn record_institutions(slug: String) -> Result<Vec<InstitutionChoice>, AppError> {
    let record = server::record(&slug).await?;
    let pool = crate::ssr::pool()?;
    let rows = db::writes::claims::record_institutions(&pool, record.id).await?;
    Ok(rows.into_iter().map(|(openalex_id, name)| InstitutionChoice { openalex_id, name }).collect())
}

/// The owner's edits: bio, affiliation (an institution from the database, or free text),
/// homepage and "Open to collaborate".
#[server(prefix = "/api", endpoint = "update_record")]
pub async fn update_record(
    slug: String,
    bio: String,
    affiliation: String,
    homepage: String,
    open_to_collaborate: Option<String>,
    affiliation_institution: Option<String>,
) -> Result<(), AppError> {
    use crate::domain::claims::{plain_text, WebLink, MAX_AFFILIATION_CHARS, MAX_BIO_CHARS};
    let edit_path = format!("/authors/{slug}/edit");
    let form = Form::on(&edit_path)
        .keep("bio", &bio)
        .keep("affiliation", &affiliation)
        .keep("homepage", &homepage)
        .keep("open_to_collaborate", if open_to_collaborate.is_some() { "on" } else { "" })
        .keep("affiliation_institution", affiliation_institution.as_deref().unwrap_or(""));
    let action = async {
        let user = crate::ssr::auth::require_user().await?;
        let bio =
            plain_text(&bio, MAX_BIO_CHARS, false).map_err(|r| AppError::invalid("bio", format!("the bio: {r}")))?;
        let affiliation = plain_text(&affiliation, MAX_AFFILIATION_CHARS, false)
            .map_err(|r| AppError::invalid("affiliation", format!("the affiliation: {r}")))?;
        let homepage = match homepage.trim() {
            "" => None,
            raw => Some(WebLink::parse(raw).map_err(|r| AppError::invalid("homepage", r))?),
        };
        let record = server::record(&slug).await?;
        if record.claimed_by != Some(user.id) || !record.claim_state.is_claimed() {
            return Err(AppError::Forbidden);
        }
        let pool = crate::ssr::pool()?;
        let institution =
            match affiliation_institution.as_deref().map(str::trim).filter(|i| !i.is_empty()) {
                None => None,
                Some(raw) => Some(db::writes::claims::institution_id(&pool, raw).await?.ok_or_else(|| {
                    AppError::invalid("affiliation_institution", "choose an institution from the list")
                })?),
            };
        let edit = db::writes::claims::OwnerEdit {
            bio: Some(bio.as_str()).filter(|b| !b.is_empty()),
            homepage_url: homepage.as_ref().map(WebLink::as_str),
            affiliation_institution_id: institution,
            // A chosen institution wins over free text.
            affiliation_text: Some(affiliation.as_str()).filter(|a| !a.is_empty() && institution.is_none()),
            open_to_collaborate: open_to_collaborate.is_some(),
        };
        if db::writes::claims::update_owned_record(&pool, record.id, user.id, &edit).await? {
            Ok(())
        } else {
            Err(AppError::Forbidden)
        }
    };
    form.answer(server::profile_path(&slug), action).await
}

/// Hides a work that is not the owner's from their record (recorded in the audit log).
#[server(prefix = "/api", endpoint = "hide_work")]
pub async fn hide_work(slug: String, work: String) -> Result<(), AppError> {
    let edit_path = format!("/authors/{slug}/edit");
    let action = async {
        let user = crate::ssr::auth::require_user().await?;
        let record = server::record(&slug).await?;
        if record.claimed_by != Some(user.id) {
            return Err(AppError::Forbidden);
        }
        let work = crate::api::record_slug(&work, "that work on your record")?;
        let pool = crate::ssr::pool()?;
        let mut conn = pool.acquire().await?;
        if db::writes::claims::hide_work(&mut conn, record.id, user.id, work.as_str()).await? {
            Ok(())
        } else {
            Err(AppError::NotFound("that work on your record".into()))
        }
    };
    Form::on(&edit_path).answer(&edit_path, action).await
}
