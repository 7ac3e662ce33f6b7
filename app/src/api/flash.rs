//! Taking the flash (`domain::flash`) a failed plain form post left for a page, as it renders.

use crate::error::AppError;
use leptos::prelude::*;

pub use crate::domain::flash::Flash;

/// Takes the flash left for `page` (a path), if any: it is removed from the session as it is read.
#[server(prefix = "/api", endpoint = "take_flash")]
pub async fn take_flash(page: String) -> Result<Option<Flash>, AppError> {
    crate::ssr::flash::take(&page).await
}
