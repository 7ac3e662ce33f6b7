//! The set-based merge of a batch of work records: staged with COPY, then a fixed number of
//! `INSERT ... ON CONFLICT` / `UPDATE ... WHERE changed` statements, whatever the batch size.
//! The record-by-record upserts (`works.rs`, `authors.rs`, `subjects.rs`) say what each step means;
//! this file writes the same rows for many records at once. A record the merge cannot decide alone
//! (a work first imported from another source, or one sharing an identifier with an earlier record of
//! the batch) is deferred to the record-by-record path.

use super::records::WorkRecord;
use super::staging::{stage_works, Staged};
use super::Change;
use sqlx::PgConnection;
use std::collections::{HashMap, HashSet};

/// What the merge did to each record: `Some(change)`, or `None` for a record left to the
/// record-by-record path (in the same transaction, after the merge).
pub async fn merge_works(conn: &mut PgConnection, records: &[&WorkRecord]) -> Result<Vec<Option<Change>>, sqlx::Error> {
    // Plans here are cheap and run once a batch: compiling them would cost more than it saves.
    // A batch lost to a crash right after its commit is written again by the next run (imports
    // are idempotent), so its commit need not wait for the disk.
    sqlx::raw_sql("SET LOCAL jit = off; SET LOCAL synchronous_commit = off").execute(&mut *conn).await?;
    let matches = stored_matches(conn, records).await?;
    // New works get their ids here, so they are staged once, complete, and inserted as staged.
    let new = matches.iter().filter(|(id, deferred)| id.is_none() && !deferred).count();
    let mut new_ids = sqlx::query_scalar::<_, i64>(
        "SELECT nextval(pg_get_serial_sequence('works', 'id')) FROM generate_series(1, $1)",
    )
    .bind(i64::try_from(new).unwrap_or(i64::MAX))
    .fetch_all(&mut *conn)
    .await?
    .into_iter();
    let staged: Vec<Staged> = matches
        .iter()
        .map(|&(work_id, deferred)| match work_id {
            None if !deferred => Staged { work_id: new_ids.next(), deferred, created: true },
            _ => Staged { work_id, deferred, created: false },
        })
        .collect();
    stage_works(conn, records, &staged).await?;
    let source = records.first().map_or("openalex", |r| r.topic_source);
    // The stored works the batch rewrites: every statement on a big table is bounded by these ids.
    let existing: Vec<i64> = staged.iter().filter(|s| !s.deferred && !s.created).filter_map(|s| s.work_id).collect();
    let mut created: HashSet<i32> = HashSet::new();
    let mut updated: HashSet<i32> = HashSet::new();

    sqlx::query(
        "INSERT INTO works (id, source, slug, title, abstract, work_type, year, published_on, venue,
                            is_open_access, cited_by_count, arxiv_id, openalex_id, doi)
         OVERRIDING SYSTEM VALUE
         SELECT work_id, source, slug, title, abstract, work_type, year, published_on, venue,
                is_open_access, cited_by_count, arxiv_id, openalex_id, doi
         FROM stage_works WHERE created ORDER BY rec",
    )
    .execute(&mut *conn)
    .await?;

    // The same source overwrites what it said before and keeps identifiers it gave earlier.
    let changed: Vec<i32> = sqlx::query_scalar(
        "UPDATE works w SET title = s.title, abstract = coalesce(s.abstract, w.abstract), work_type = s.work_type,
                year = coalesce(s.year, w.year), published_on = coalesce(s.published_on, w.published_on),
                venue = coalesce(s.venue, w.venue), is_open_access = coalesce(s.is_open_access, w.is_open_access),
                cited_by_count = coalesce(s.cited_by_count, w.cited_by_count),
                arxiv_id = coalesce(w.arxiv_id, s.arxiv_id), openalex_id = coalesce(w.openalex_id, s.openalex_id),
                doi = coalesce(w.doi, s.doi), updated_at = now()
         FROM stage_works s
         WHERE w.id = ANY($1) AND w.id = s.work_id AND NOT s.created AND NOT s.deferred
           AND (w.title, w.abstract, w.work_type, w.year, w.published_on, w.venue, w.is_open_access,
                w.cited_by_count, w.arxiv_id, w.openalex_id, w.doi)
               IS DISTINCT FROM
               (s.title, coalesce(s.abstract, w.abstract), s.work_type, coalesce(s.year, w.year),
                coalesce(s.published_on, w.published_on), coalesce(s.venue, w.venue),
                coalesce(s.is_open_access, w.is_open_access), coalesce(s.cited_by_count, w.cited_by_count),
                coalesce(w.arxiv_id, s.arxiv_id), coalesce(w.openalex_id, s.openalex_id), coalesce(w.doi, s.doi))
         RETURNING s.rec",
    )
    .bind(&existing)
    .fetch_all(&mut *conn)
    .await?;
    updated.extend(changed);

    // Authors: a new one is created by the first record naming it; a known one takes the last
    // ORCID reported for it. A record's created author makes the record "created".
    let new_authors: Vec<i32> = sqlx::query_scalar(
        "WITH new AS (
             INSERT INTO authors (source, source_key, slug, display_name, search_name, openalex_id, orcid)
             SELECT DISTINCT ON (a.source, a.source_key)
                    a.source, a.source_key, a.slug, a.display_name, a.search_name, a.openalex_id, a.orcid
             FROM stage_authorships a JOIN stage_works s USING (rec) WHERE NOT s.deferred
             ORDER BY a.source, a.source_key, a.rec, a.position
             ON CONFLICT (source, source_key) DO NOTHING
             RETURNING source, source_key)
         SELECT min(a.rec) FROM new JOIN stage_authorships a USING (source, source_key)
         GROUP BY a.source, a.source_key",
    )
    .fetch_all(&mut *conn)
    .await?;
    created.extend(new_authors);
    let new_orcids: Vec<i32> = sqlx::query_scalar(
        "UPDATE authors x SET orcid = o.orcid, updated_at = now()
         FROM (SELECT DISTINCT ON (a.source, a.source_key) a.source, a.source_key, a.orcid, a.rec
               FROM stage_authorships a JOIN stage_works s USING (rec)
               WHERE NOT s.deferred AND a.orcid IS NOT NULL
               ORDER BY a.source, a.source_key, a.rec DESC, a.position DESC) o
         WHERE x.source = o.source AND x.source_key = o.source_key AND x.orcid IS DISTINCT FROM o.orcid
         RETURNING o.rec",
    )
    .fetch_all(&mut *conn)
    .await?;
    updated.extend(new_orcids);
    sqlx::query(
        "UPDATE stage_authorships a SET author_id = x.id
         FROM authors x WHERE x.source = a.source AND x.source_key = a.source_key",
    )
    .execute(&mut *conn)
    .await?;
    // The records of one ORCID point at one canonical record (`link_by_orcid`).
    let linked: Vec<i32> = sqlx::query_scalar(
        "WITH o AS (
             SELECT a.orcid, min(a.rec) AS rec FROM stage_authorships a JOIN stage_works s USING (rec)
             WHERE a.orcid IS NOT NULL AND NOT s.deferred GROUP BY a.orcid),
         c AS (
             SELECT DISTINCT ON (x.orcid) x.orcid, x.id FROM authors x JOIN o ON o.orcid = x.orcid
             ORDER BY x.orcid, (x.source <> 'openalex'), x.id),
         changed AS (
             UPDATE authors a SET same_as_id = NULLIF(c.id, a.id), updated_at = now()
             FROM c WHERE a.orcid = c.orcid AND a.same_as_id IS DISTINCT FROM NULLIF(c.id, a.id)
             RETURNING a.orcid)
         SELECT DISTINCT o.rec FROM changed JOIN o USING (orcid)",
    )
    .fetch_all(&mut *conn)
    .await?;
    updated.extend(linked);

    // Bylines (`set_authorships`).
    let bylines: Vec<i32> = sqlx::query_scalar(
        "WITH written AS (
             INSERT INTO authorships (work_id, position, author_id, raw_name)
             SELECT s.work_id, a.position, a.author_id, a.raw_name
             FROM stage_authorships a JOIN stage_works s USING (rec) WHERE NOT s.deferred
             ON CONFLICT (work_id, position) DO UPDATE
                SET author_id = EXCLUDED.author_id, raw_name = EXCLUDED.raw_name
                WHERE (authorships.author_id, authorships.raw_name)
                      IS DISTINCT FROM (EXCLUDED.author_id, EXCLUDED.raw_name)
             RETURNING work_id),
         removed AS (
             DELETE FROM authorships x USING stage_works s
             WHERE x.work_id = ANY($1) AND x.work_id = s.work_id AND NOT s.deferred AND x.position > s.n_authors
             RETURNING x.work_id)
         SELECT s.rec FROM stage_works s
         WHERE NOT s.created AND s.work_id IN (SELECT work_id FROM written UNION SELECT work_id FROM removed)",
    )
    .bind(&existing)
    .fetch_all(&mut *conn)
    .await?;
    updated.extend(bylines);

    if source == "openalex" {
        merge_institutions(conn, &existing, &mut created, &mut updated).await?;
    }
    merge_topics(conn, source, &existing, &mut updated).await?;

    Ok(staged
        .iter()
        .zip(0..)
        .map(|(s, rec)| {
            if s.deferred {
                None
            } else if s.created || created.contains(&rec) {
                Some(Change::Created)
            } else {
                Some(Change::from_changed(updated.contains(&rec)))
            }
        })
        .collect())
}

/// Institutions named in bylines (stubs: created, never overwritten), their web domains, and
/// the institutions of each authorship (`set_authorship_institutions`).
async fn merge_institutions(
    conn: &mut PgConnection,
    existing: &[i64],
    created: &mut HashSet<i32>,
    updated: &mut HashSet<i32>,
) -> Result<(), sqlx::Error> {
    let new: Vec<i32> = sqlx::query_scalar(
        "WITH new AS (
             INSERT INTO institutions (openalex_id, ror, display_name, country_code, kind, homepage_url)
             SELECT DISTINCT ON (i.openalex_id)
                    i.openalex_id, i.ror, i.display_name, i.country_code, i.kind, i.homepage_url
             FROM stage_institutions i JOIN stage_works s USING (rec) WHERE NOT s.deferred
             ORDER BY i.openalex_id, i.rec, i.position
             ON CONFLICT (openalex_id) DO NOTHING
             RETURNING openalex_id)
         SELECT min(i.rec) FROM new JOIN stage_institutions i USING (openalex_id) GROUP BY i.openalex_id",
    )
    .fetch_all(&mut *conn)
    .await?;
    created.extend(new);
    let changed: Vec<i32> = sqlx::query_scalar(
        "WITH domains AS (
             INSERT INTO institution_domains (domain, institution_id)
             SELECT DISTINCT i.domain, x.id
             FROM stage_institutions i JOIN stage_works s USING (rec) JOIN institutions x ON x.openalex_id = i.openalex_id
             WHERE NOT s.deferred AND i.domain IS NOT NULL
             ON CONFLICT DO NOTHING),
         desired AS (
             SELECT DISTINCT s.work_id, i.position, x.id AS institution_id
             FROM stage_institutions i JOIN stage_works s USING (rec) JOIN institutions x ON x.openalex_id = i.openalex_id
             WHERE NOT s.deferred),
         removed AS (
             DELETE FROM authorship_institutions ai
             WHERE ai.work_id = ANY($1)
               AND NOT EXISTS (SELECT 1 FROM desired d WHERE d.work_id = ai.work_id AND d.position = ai.position
                                                        AND d.institution_id = ai.institution_id)
             RETURNING ai.work_id),
         added AS (
             INSERT INTO authorship_institutions (work_id, position, institution_id)
             SELECT work_id, position, institution_id FROM desired
             ON CONFLICT DO NOTHING
             RETURNING work_id)
         SELECT s.rec FROM stage_works s
         WHERE NOT s.created AND s.work_id IN (SELECT work_id FROM removed UNION SELECT work_id FROM added)",
    )
    .bind(existing)
    .fetch_all(&mut *conn)
    .await?;
    updated.extend(changed);
    Ok(())
}

/// Topics (created without counting as a change, as `upsert_topic` does) and the topics of each
/// work from this source (`set_work_topics`).
async fn merge_topics(
    conn: &mut PgConnection,
    source: &str,
    existing: &[i64],
    updated: &mut HashSet<i32>,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO topics (source, source_key, display_name)
         SELECT DISTINCT ON (t.source, t.source_key) t.source, t.source_key, t.display_name
         FROM stage_topics t JOIN stage_works s USING (rec) WHERE NOT s.deferred
         ORDER BY t.source, t.source_key, t.rec
         ON CONFLICT (source, source_key) DO NOTHING",
    )
    .execute(&mut *conn)
    .await?;
    sqlx::query(
        "UPDATE topics x SET domain = t.domain, field = t.field, subfield = t.subfield
         FROM (SELECT DISTINCT ON (source, source_key) source, source_key, domain, field, subfield
               FROM stage_topics WHERE domain IS NOT NULL ORDER BY source, source_key, rec) t
         WHERE x.source = t.source AND x.source_key = t.source_key
           AND (x.domain, x.field, x.subfield) IS DISTINCT FROM (t.domain, t.field, t.subfield)",
    )
    .execute(&mut *conn)
    .await?;
    let changed: Vec<i32> = sqlx::query_scalar(
        "WITH desired AS (
             SELECT s.work_id, x.id AS topic_id, t.score
             FROM stage_topics t JOIN stage_works s USING (rec)
             JOIN topics x ON x.source = t.source AND x.source_key = t.source_key
             WHERE NOT s.deferred),
         -- The batch's current rows first, by work id: joined to topics first, the planner would
         -- read every row of the source's topics.
         current AS MATERIALIZED (
             SELECT wt.work_id, wt.topic_id FROM work_topics wt WHERE wt.work_id = ANY($2)),
         removed AS (
             DELETE FROM work_topics wt USING current c, topics x
             WHERE wt.work_id = c.work_id AND wt.topic_id = c.topic_id AND x.id = c.topic_id AND x.source = $1
               AND NOT EXISTS (SELECT 1 FROM desired d WHERE d.work_id = c.work_id AND d.topic_id = c.topic_id)
             RETURNING wt.work_id),
         written AS (
             INSERT INTO work_topics (work_id, topic_id, score)
             SELECT work_id, topic_id, score FROM desired
             ON CONFLICT (work_id, topic_id) DO UPDATE SET score = EXCLUDED.score
                WHERE work_topics.score IS DISTINCT FROM EXCLUDED.score
             RETURNING work_id)
         SELECT s.rec FROM stage_works s
         WHERE NOT s.created AND s.work_id IN (SELECT work_id FROM removed UNION SELECT work_id FROM written)",
    )
    .bind(source)
    .bind(existing)
    .fetch_all(&mut *conn)
    .await?;
    updated.extend(changed);
    Ok(())
}

/// A stored work's id, source, arXiv id, OpenAlex id and DOI.
type StoredIds = (i64, String, Option<String>, Option<String>, Option<String>);

/// The stored work each record is (by arXiv id, OpenAlex id or DOI), and whether the merge must
/// leave it to the record-by-record path: a work stored under another source, one matching several
/// stored works, one already matched by an earlier record of the batch, or one sharing an identifier
/// with an earlier record (written after it, as a sequential import would).
async fn stored_matches(
    conn: &mut PgConnection,
    records: &[&WorkRecord],
) -> Result<Vec<(Option<i64>, bool)>, sqlx::Error> {
    let ids = |pick: fn(&WorkRecord) -> Option<&str>| -> Vec<&str> { records.iter().filter_map(|r| pick(r)).collect() };
    let stored: Vec<StoredIds> = sqlx::query_as(
        "SELECT id, source, arxiv_id, openalex_id, doi FROM works
         WHERE (arxiv_id IS NOT NULL AND arxiv_id = ANY($1))
            OR (openalex_id IS NOT NULL AND openalex_id = ANY($2))
            OR (doi IS NOT NULL AND doi = ANY($3))",
    )
    .bind(ids(|r| r.fields.arxiv_id.as_deref()))
    .bind(ids(|r| r.fields.openalex_id.as_deref()))
    .bind(ids(|r| r.fields.doi.as_deref()))
    .fetch_all(&mut *conn)
    .await?;
    let mut by_key: HashMap<(u8, &str), (i64, &str)> = HashMap::new();
    for (id, source, arxiv_id, openalex_id, doi) in &stored {
        for (kind, key) in [(0, arxiv_id), (1, openalex_id), (2, doi)] {
            if let Some(key) = key {
                by_key.insert((kind, key.as_str()), (*id, source.as_str()));
            }
        }
    }
    let mut seen_keys: HashSet<(u8, &str)> = HashSet::new();
    let mut claimed: HashSet<i64> = HashSet::new();
    Ok(records
        .iter()
        .map(|r| {
            let keys =
                [(0, r.fields.arxiv_id.as_deref()), (1, r.fields.openalex_id.as_deref()), (2, r.fields.doi.as_deref())];
            let mut repeated = false;
            let mut found: Vec<(i64, &str)> = Vec::new();
            for (kind, key) in keys {
                if let Some(key) = key {
                    repeated |= !seen_keys.insert((kind, key));
                    found.extend(by_key.get(&(kind, key)).copied());
                }
            }
            found.sort_unstable();
            found.dedup();
            match found.first() {
                None => (None, repeated),
                Some(&(id, source)) => {
                    let first_claim = claimed.insert(id);
                    (Some(id), repeated || !first_claim || found.len() > 1 || source != r.fields.source)
                }
            }
        })
        .collect())
}
