//! arXiv's OAI-PMH interface, as the harvester reads it: `ListRecords` of a set in the `arXiv`
//! metadata format from a date, then page after page by `resumptionToken`.

use super::client::Client;
use super::oai::{self, OaiError};
use super::{HarvestError, Page};
use chrono::NaiveDate;

/// Where a list starts, or goes on.
pub enum Request<'a> {
    First { set: &'a str, from: Option<NaiveDate> },
    Resume { token: &'a str },
}

pub async fn records_page(client: &mut Client, base: &str, request: Request<'_>) -> Result<Page, HarvestError> {
    let from;
    let query: Vec<(&str, &str)> = match request {
        Request::First { set, from: date } => {
            let mut query = vec![("verb", "ListRecords"), ("metadataPrefix", "arXiv"), ("set", set)];
            if let Some(date) = date {
                from = date.format("%Y-%m-%d").to_string();
                query.push(("from", from.as_str()));
            }
            query
        }
        Request::Resume { token } => vec![("verb", "ListRecords"), ("resumptionToken", token)],
    };
    let body = client.get(base, &query).await?;
    let text = String::from_utf8_lossy(&body);
    match oai::parse_page(&text) {
        Ok(page) => Ok(Page {
            records: page.records,
            next: page.resumption_token,
            total: page.complete_list_size,
            deleted: page.deleted,
        }),
        Err(OaiError::Protocol { code, message }) => Err(HarvestError::Protocol { code, message }),
        Err(e @ OaiError::Malformed(_)) => {
            Err(HarvestError::Unreadable { url: base.to_owned(), reason: e.to_string() })
        }
    }
}
