//! The start page's view of the catalogue: whether it holds made-up demo records, and a topic
//! with its leading researchers to start from.

use crate::error::AppError;
use crate::model::subjects::{LeadingResearcher, SubjectLink};
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Overview {
    /// Works the demo generator made up, when the catalogue holds its records.
    pub made_up_works: Option<i32>,
    /// The topic to start from ("Machine Learning", the reference profile's), when it is here.
    pub topic: Option<SubjectLink>,
    pub leading: Vec<LeadingResearcher>,
}

/// Researchers listed under the start page's topic.
pub const LEADING: i64 = 6;
/// The topic the start page shows: the reference profile's.
pub const START_TOPIC: &str = "Machine Learning";

#[server(prefix = "/api", endpoint = "get_overview")]
pub async fn get_overview() -> Result<Overview, AppError> {
    use crate::model::subjects::SubjectKind;
    use db::{views::subjects::rows as subjects, writes::catalogue};
    let pool = crate::ssr::read_pool().await?;
    let mut conn = pool.acquire().await?;
    let made_up_works = catalogue::generated_works(&mut conn).await?;
    let topic = catalogue::arxiv_topic(&mut conn, START_TOPIC).await?;
    let leading = match &topic {
        Some((id, _)) => subjects::leading_researchers(&mut conn, SubjectKind::Topic, *id, LEADING).await?,
        None => Vec::new(),
    };
    Ok(Overview { made_up_works, topic: topic.map(|(id, name)| SubjectLink::topic(id, name)), leading })
}
