//! The staging tables a batch of work records is copied into (`COPY ... FROM STDIN`, text format)
//! before the set-based merge: temporary, one set per connection, emptied at every commit.

use super::records::WorkRecord;
use chrono::NaiveDate;
use sqlx::PgConnection;
use std::fmt::Write;

/// Creates the staging tables on this connection if it has none yet.
pub async fn create_staging_tables(conn: &mut PgConnection) -> Result<(), sqlx::Error> {
    sqlx::raw_sql(
        "CREATE TEMP TABLE IF NOT EXISTS stage_works (
             rec int PRIMARY KEY, source text NOT NULL, slug text NOT NULL, title text NOT NULL, abstract text,
             work_type text NOT NULL, year int, published_on date, venue text, is_open_access bool,
             cited_by_count int, arxiv_id text, openalex_id text, doi text, n_authors smallint NOT NULL,
             deferred bool NOT NULL, work_id bigint, created bool NOT NULL
         ) ON COMMIT DELETE ROWS;
         CREATE TEMP TABLE IF NOT EXISTS stage_authorships (
             rec int NOT NULL, position smallint NOT NULL, source text NOT NULL, source_key text NOT NULL,
             slug text NOT NULL, display_name text NOT NULL, search_name text NOT NULL, openalex_id text,
             orcid text, raw_name text NOT NULL, author_id bigint
         ) ON COMMIT DELETE ROWS;
         CREATE TEMP TABLE IF NOT EXISTS stage_institutions (
             rec int NOT NULL, position smallint NOT NULL, openalex_id text NOT NULL, ror text,
             display_name text NOT NULL, country_code text, kind text, homepage_url text, domain text
         ) ON COMMIT DELETE ROWS;
         CREATE TEMP TABLE IF NOT EXISTS stage_topics (
             rec int NOT NULL, source text NOT NULL, source_key text NOT NULL, display_name text NOT NULL,
             score real, domain text, field text, subfield text
         ) ON COMMIT DELETE ROWS;",
    )
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// What the merge decided for a record before staging it: its work id (stored, or new when
/// `created`), and whether it is left to the record-by-record path.
pub(super) struct Staged {
    pub work_id: Option<i64>,
    pub deferred: bool,
    pub created: bool,
}

/// Copies `records` into the staging tables, each with what the merge decided for it.
pub(super) async fn stage_works(
    conn: &mut PgConnection,
    records: &[&WorkRecord],
    staged: &[Staged],
) -> Result<(), sqlx::Error> {
    let (mut works, mut authorships, mut institutions, mut topics) =
        (CopyText::default(), CopyText::default(), CopyText::default(), CopyText::default());
    for (rec, (record, decided)) in records.iter().zip(staged).enumerate() {
        let f = &record.fields;
        let n_authors = position(record.byline.len());
        works.row(&[
            &(rec as i64),
            &f.source.as_str(),
            &record.slug.as_str(),
            &f.title.as_str(),
            &f.abstract_text.as_deref(),
            &f.work_type.as_str(),
            &f.year,
            &f.published_on,
            &f.venue.as_deref(),
            &f.is_open_access,
            &f.cited_by_count,
            &f.arxiv_id.as_deref(),
            &f.openalex_id.as_deref(),
            &f.doi.as_deref(),
            &i64::from(n_authors),
            &decided.deferred,
            &decided.work_id,
            &decided.created,
        ]);
        for (index, entry) in record.byline.iter().enumerate() {
            let pos = i64::from(position(index + 1));
            let a = &entry.author;
            authorships.row(&[
                &(rec as i64),
                &pos,
                &a.source,
                &a.source_key.as_str(),
                &a.slug.as_str(),
                &a.display_name.as_str(),
                &a.search_name.as_str(),
                &a.openalex_id.as_deref(),
                &a.orcid.as_deref(),
                &entry.printed.as_str(),
            ]);
            for i in &entry.institutions {
                institutions.row(&[
                    &(rec as i64),
                    &pos,
                    &i.openalex_id.as_str(),
                    &i.ror.as_deref(),
                    &i.display_name.as_str(),
                    &i.country_code.as_deref(),
                    &i.kind.as_deref(),
                    &i.homepage_url.as_deref(),
                    &i.domain.as_deref(),
                ]);
            }
        }
        for t in &record.topics {
            let [domain, field, subfield] = match &t.hierarchy {
                Some([d, f, s]) => [Some(d.as_str()), Some(f.as_str()), Some(s.as_str())],
                None => [None; 3],
            };
            topics.row(&[
                &(rec as i64),
                &record.topic_source,
                &t.key.as_str(),
                &t.name.as_str(),
                &t.score,
                &domain,
                &field,
                &subfield,
            ]);
        }
    }
    copy(
        conn,
        "COPY stage_works (rec, source, slug, title, abstract, work_type, year, published_on, venue,
             is_open_access, cited_by_count, arxiv_id, openalex_id, doi, n_authors, deferred, work_id, created) FROM STDIN",
        works,
    )
    .await?;
    copy(
        conn,
        "COPY stage_authorships (rec, position, source, source_key, slug, display_name, search_name,
             openalex_id, orcid, raw_name) FROM STDIN",
        authorships,
    )
    .await?;
    copy(
        conn,
        "COPY stage_institutions (rec, position, openalex_id, ror, display_name, country_code, kind,
             homepage_url, domain) FROM STDIN",
        institutions,
    )
    .await?;
    copy(
        conn,
        "COPY stage_topics (rec, source, source_key, display_name, score, domain, field, subfield) FROM STDIN",
        topics,
    )
    .await?;
    Ok(())
}

/// Byline positions are `smallint`; a byline longer than that is cut by the caller's data anyway.
pub(super) fn position(index: usize) -> i16 {
    i16::try_from(index).unwrap_or(i16::MAX)
}

async fn copy(conn: &mut PgConnection, statement: &str, rows: CopyText) -> Result<(), sqlx::Error> {
    if rows.0.is_empty() {
        return Ok(());
    }
    let mut copy = conn.copy_in_raw(statement).await?;
    copy.send(rows.0.into_bytes()).await?;
    copy.finish().await?;
    Ok(())
}

/// Rows in COPY's text format: tab-separated, `\N` for NULL, backslash escapes.
#[derive(Default)]
struct CopyText(String);

impl CopyText {
    fn row(&mut self, values: &[&dyn CopyValue]) {
        for (i, value) in values.iter().enumerate() {
            if i > 0 {
                self.0.push('\t');
            }
            value.write(&mut self.0);
        }
        self.0.push('\n');
    }
}

trait CopyValue {
    fn write(&self, out: &mut String);
}

impl CopyValue for &str {
    fn write(&self, out: &mut String) {
        for c in self.chars() {
            match c {
                '\\' => out.push_str("\\\\"),
                '\t' => out.push_str("\\t"),
                '\n' => out.push_str("\\n"),
                '\r' => out.push_str("\\r"),
                c => out.push(c),
            }
        }
    }
}

impl CopyValue for i64 {
    fn write(&self, out: &mut String) {
        let _ = write!(out, "{self}");
    }
}

impl CopyValue for i32 {
    fn write(&self, out: &mut String) {
        let _ = write!(out, "{self}");
    }
}

impl CopyValue for f32 {
    fn write(&self, out: &mut String) {
        let _ = write!(out, "{self}");
    }
}

impl CopyValue for bool {
    fn write(&self, out: &mut String) {
        out.push(if *self { 't' } else { 'f' });
    }
}

impl CopyValue for NaiveDate {
    fn write(&self, out: &mut String) {
        let _ = write!(out, "{}", self.format("%Y-%m-%d"));
    }
}

impl<T: CopyValue> CopyValue for Option<T> {
    fn write(&self, out: &mut String) {
        match self {
            Some(value) => value.write(out),
            None => out.push_str("\\N"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn copy_text_escapes_separators_and_writes_null() {
        let mut rows = CopyText::default();
        rows.row(&[&"a\tb\\c\nd", &None::<&str>, &Some(3_i32), &true]);
        assert_eq!(rows.0, "a\\tb\\\\c\\nd\t\\N\t3\tt\n");
    }
}
