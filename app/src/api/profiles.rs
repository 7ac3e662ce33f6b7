//! The researcher profile: one server function that returns everything the page shows, assembled
//! by `db::views::profiles`.

use crate::error::AppError;
use leptos::prelude::*;

pub use crate::model::profile::*;

/// The profile at `/authors/<slug>`; `sort` lists the works newest first (the default) or most
/// cited first (`cited`), `after` is the works cursor of the page to show, and `works=all` lists
/// them on one page (up to `ALL_WORKS_PER_PAGE`), to print.
#[server(prefix = "/api", endpoint = "get_profile")]
pub async fn get_profile(
    slug: String,
    after: Option<String>,
    sort: Option<String>,
    works: Option<String>,
) -> Result<Profile, AppError> {
    use crate::domain::paging::WorksAfter;
    let slug = super::record_slug(&slug, "this researcher")?;
    let after = WorksAfter::parse(sort.as_deref(), after.as_deref())
        .map_err(|(field, reason)| AppError::invalid(field, reason))?;
    let all_works = match works.as_deref().filter(|w| !w.is_empty()) {
        None => false,
        Some("all") => true,
        Some(_) => {
            return Err(AppError::invalid("works", "works are listed a page at a time or all on one page (works=all)"))
        }
    };
    let viewer = crate::ssr::auth::current_user().await?.map(|u| u.id);
    let pool = crate::ssr::read_pool().await?;
    let per_page = if all_works { ALL_WORKS_PER_PAGE } else { WORKS_PER_PAGE };
    db::views::profiles::profile(&pool, &crate::ssr::pool()?, slug.as_str(), after, per_page, viewer).await
}
