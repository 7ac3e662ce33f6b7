//! Records as the pages show them: plain data that `db::views` reads straight from a row
//! (`sqlx::FromRow` on the server) and the server functions send to the browser, defined once, below both.

pub mod citations;
pub mod collaboration;
pub mod profile;
pub mod search;
pub mod subject_page;
pub mod subjects;
pub mod suggestions;
pub mod works;
