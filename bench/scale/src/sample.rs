//! The request mix, sampled from the database before the load: profiles across the works-count
//! distribution (and the 100 most prolific records), works (and those with the longest bylines),
//! graph slices, the explorer with three expansions, searches for common surnames, rare names and
//! title words, the same title words with filters (years, type, open access), topic and
//! institution pages, sitemaps, the most prolific records' BibTeX files and the JSON API's
//! filtered works, the feed of a user following 200 researchers, and follow/unfollow form posts.
//! Profiles come three ways: as a plain client asks (identity), as a browser does (brotli), and
//! revalidated with the `ETag` of an earlier view (304 unless a follow in the mix moved it).

use rand::seq::SliceRandom;
use rand::{Rng, SeedableRng};
use sqlx::PgConnection;
use std::fmt;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Kind {
    Profile,
    ProfileBr,
    Profile304,
    ProfileTop100,
    Work,
    GraphSlice,
    Explore3,
    SearchSurname,
    SearchRareName,
    SearchTitle,
    SearchFiltered,
    Topic,
    Institution,
    Sitemap,
    RecordBib,
    ApiWorks,
    Feed,
    Suggestions,
    Follow,
    Unfollow,
}

impl Kind {
    pub const ALL: [Kind; 20] = [
        Kind::Profile,
        Kind::ProfileBr,
        Kind::Profile304,
        Kind::ProfileTop100,
        Kind::Work,
        Kind::GraphSlice,
        Kind::Explore3,
        Kind::SearchSurname,
        Kind::SearchRareName,
        Kind::SearchTitle,
        Kind::SearchFiltered,
        Kind::Topic,
        Kind::Institution,
        Kind::Sitemap,
        Kind::RecordBib,
        Kind::ApiWorks,
        Kind::Feed,
        Kind::Suggestions,
        Kind::Follow,
        Kind::Unfollow,
    ];

    /// Out of 100 requests of the mix.
    pub fn weight(self) -> u32 {
        match self {
            Kind::Profile => 12,
            Kind::ProfileBr => 5,
            Kind::Profile304 => 3,
            Kind::ProfileTop100 => 5,
            Kind::Work => 16,
            Kind::GraphSlice => 7,
            Kind::Explore3 => 3,
            Kind::SearchSurname | Kind::SearchRareName | Kind::SearchTitle | Kind::SearchFiltered => 4,
            Kind::Topic => 3,
            Kind::Institution => 2,
            Kind::Sitemap | Kind::RecordBib => 1,
            Kind::ApiWorks => 4,
            Kind::Feed => 9,
            Kind::Suggestions => 5,
            Kind::Follow | Kind::Unfollow => 4,
        }
    }

    /// Form posts answer 303 (back to the profile); a revalidation 304, or 200 with the page a
    /// follow changed since; pages 200.
    pub fn expected(self, status: u16) -> bool {
        match self {
            Kind::Follow | Kind::Unfollow => status == 303,
            Kind::Profile304 => status == 304 || status == 200,
            _ => status == 200,
        }
    }

    /// The header a request of this kind adds, as a browser would send it.
    pub fn header(self) -> Option<(&'static str, &'static str)> {
        match self {
            Kind::ProfileBr => Some(("Accept-Encoding", "gzip, deflate, br, zstd")),
            _ => None,
        }
    }
}

impl fmt::Display for Kind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Kind::Profile => "profile",
            Kind::ProfileBr => "profile-br",
            Kind::Profile304 => "profile-304",
            Kind::ProfileTop100 => "profile-top100",
            Kind::Work => "work",
            Kind::GraphSlice => "graph-slice",
            Kind::Explore3 => "explore-3",
            Kind::SearchSurname => "search-surname",
            Kind::SearchRareName => "search-rare-name",
            Kind::SearchTitle => "search-title",
            Kind::SearchFiltered => "search-filtered",
            Kind::Topic => "topic",
            Kind::Institution => "institution",
            Kind::Sitemap => "sitemap",
            Kind::RecordBib => "record-bib",
            Kind::ApiWorks => "api-works",
            Kind::Feed => "feed",
            Kind::Suggestions => "suggestions",
            Kind::Follow => "follow",
            Kind::Unfollow => "unfollow",
        })
    }
}

/// One request: a page (GET, revalidating `etag` when it has one) or a form post of a
/// researcher's slug.
#[derive(Debug, Clone)]
pub struct Target {
    pub kind: Kind,
    pub path: String,
    pub slug: Option<String>,
    pub etag: Option<String>,
}

impl Target {
    pub fn page(kind: Kind, path: String) -> Self {
        Self { kind, path, slug: None, etag: None }
    }
}

/// Every kind's targets, and the researchers the bench user follows.
pub struct Mix {
    pub targets: Vec<Vec<Target>>,
    /// The profiles (not the top 100) the framework comparison requests.
    pub profiles: Vec<String>,
    pub followed: Vec<String>,
}

impl Mix {
    pub fn of(&self, kind: Kind) -> &[Target] {
        &self.targets[Kind::ALL.iter().position(|k| *k == kind).unwrap_or_default()]
    }

    /// The revalidations: each profile with the `ETag` its first view was answered with.
    pub fn revalidate(&mut self, etags: &std::collections::HashMap<String, String>) {
        let index = Kind::ALL.iter().position(|k| *k == Kind::Profile304).unwrap_or_default();
        self.targets[index] = self
            .profiles
            .iter()
            .filter_map(|slug| {
                let etag = etags.get(slug)?.clone();
                Some(Target { etag: Some(etag), ..Target::page(Kind::Profile304, format!("/authors/{slug}")) })
            })
            .collect();
    }
}

/// How many researchers the bench user follows.
pub const FOLLOWED: usize = 200;

pub async fn sample(db: &mut PgConnection, seed: u64) -> anyhow::Result<Mix> {
    // Deterministic per seed as far as PostgreSQL's random() goes.
    sqlx::query("SELECT setseed($1)").bind((seed % 1000) as f64 / 1000.0).execute(&mut *db).await?;
    let top: Vec<String> = sqlx::query_scalar(
        "SELECT a.slug FROM (SELECT author_id, works_count AS n FROM author_stats
                             ORDER BY works_count DESC, author_id LIMIT 100) c
         JOIN authors a ON a.id = c.author_id ORDER BY c.n DESC, a.id",
    )
    .fetch_all(&mut *db)
    .await?;
    // 100 records from each band of the works-count distribution: the lower half, up to the 90th
    // percentile, up to the 99th, and above.
    let banded: Vec<String> = sqlx::query_scalar(
        "WITH c AS (SELECT author_id, works_count AS n FROM author_stats WHERE works_count > 0),
              r AS (SELECT author_id, CASE WHEN pct <= 50 THEN 1 WHEN pct <= 90 THEN 2 WHEN pct <= 99 THEN 3 ELSE 4 END AS band
                    FROM (SELECT author_id, ntile(100) OVER (ORDER BY n, author_id) AS pct FROM c) p),
              s AS (SELECT author_id, band, row_number() OVER (PARTITION BY band ORDER BY random()) AS rn FROM r)
         SELECT a.slug FROM s JOIN authors a ON a.id = s.author_id WHERE s.rn <= 100 ORDER BY s.band, s.rn",
    )
    .fetch_all(&mut *db)
    .await?;
    let mut works: Vec<String> =
        sqlx::query_scalar("SELECT slug FROM works ORDER BY random() LIMIT 400").fetch_all(&mut *db).await?;
    works.extend(
        sqlx::query_scalar::<_, String>(
            "SELECT w.slug FROM (SELECT work_id, count(*) AS n FROM authorships GROUP BY work_id
                                 ORDER BY n DESC, work_id LIMIT 20) t JOIN works w ON w.id = t.work_id",
        )
        .fetch_all(&mut *db)
        .await?,
    );
    let titles: Vec<String> =
        sqlx::query_scalar("SELECT title FROM works ORDER BY random() LIMIT 300").fetch_all(&mut *db).await?;
    let surnames: Vec<String> = sqlx::query_scalar(
        "SELECT sur FROM (SELECT regexp_replace(display_name, '^.* ', '') AS sur FROM authors) s
         GROUP BY sur ORDER BY count(*) DESC, sur LIMIT 30",
    )
    .fetch_all(&mut *db)
    .await?;
    let rare: Vec<String> = sqlx::query_scalar(
        "WITH s AS (SELECT display_name, regexp_replace(display_name, '^.* ', '') AS sur FROM authors),
              rare AS (SELECT sur FROM s GROUP BY sur ORDER BY count(*), random() LIMIT 50)
         SELECT DISTINCT ON (s.sur) s.display_name FROM s JOIN rare USING (sur) ORDER BY s.sur, random()",
    )
    .fetch_all(&mut *db)
    .await?;
    // Topic and institution pages (the largest topics among them), and every sitemap.
    let subjects: Vec<String> = sqlx::query_scalar::<_, String>(
        "(SELECT 'topics/t-' || id FROM topics ORDER BY random() LIMIT 30)
         UNION ALL (SELECT 'topics/t-' || subject_id FROM subject_stats WHERE kind = 't'
                    ORDER BY works_count DESC LIMIT 10)
         UNION ALL (SELECT 'institutions/i-' || id FROM institutions ORDER BY random() LIMIT 40)",
    )
    .fetch_all(&mut *db)
    .await?;
    let mut sitemaps: Vec<String> = Vec::new();
    for table in ["authors", "works"] {
        let max: Option<i64> = sqlx::query_scalar(&format!("SELECT max(id) FROM {table}")).fetch_one(&mut *db).await?;
        sitemaps.extend((0..max.map_or(0, |m| (m - 1) / 50_000 + 1)).map(|n| format!("/sitemaps/{table}-{n}.xml")));
    }
    // Three co-authors (the closest) to expand around a focus that has them.
    let explore: Vec<(String, Vec<String>)> = sqlx::query_as(
        "SELECT a.slug, ARRAY(SELECT co.slug FROM coauthors c JOIN authors co ON co.id = c.coauthor_id
                              WHERE c.author_id = a.id ORDER BY c.shared_works DESC, c.coauthor_id LIMIT 3)
         FROM authors a WHERE a.slug = ANY($1)",
    )
    .bind(banded.iter().chain(&top).cloned().collect::<Vec<_>>())
    .fetch_all(&mut *db)
    .await?;

    let mut rng = rand::rngs::StdRng::seed_from_u64(seed);
    let mut followed: Vec<String> = top.iter().take(50).cloned().collect();
    let mut others: Vec<&String> = banded.iter().filter(|s| !followed.contains(s)).collect();
    others.shuffle(&mut rng);
    followed.extend(others.iter().take(FOLLOWED - followed.len()).map(|s| (*s).clone()));
    let follow_pool: Vec<String> = others.iter().skip(FOLLOWED).map(|s| (*s).clone()).collect();

    let search = |q: &str| format!("/search?q={}", loopback_http::encode(q));
    let mut targets = vec![Vec::new(); Kind::ALL.len()];
    let mut push =
        |kind: Kind, t: Target| targets[Kind::ALL.iter().position(|k| *k == kind).unwrap_or_default()].push(t);
    for s in &banded {
        push(Kind::Profile, Target::page(Kind::Profile, format!("/authors/{s}")));
        push(Kind::ProfileBr, Target::page(Kind::ProfileBr, format!("/authors/{s}")));
        push(Kind::GraphSlice, Target::page(Kind::GraphSlice, format!("/explore?focus=a:{s}")));
        push(Kind::Suggestions, Target::page(Kind::Suggestions, format!("/authors/{s}/suggestions")));
    }
    for s in top.iter().take(10) {
        push(Kind::RecordBib, Target::page(Kind::RecordBib, format!("/authors/{s}.bib")));
    }
    for s in &top {
        push(Kind::Suggestions, Target::page(Kind::Suggestions, format!("/authors/{s}/suggestions")));
        push(Kind::ProfileTop100, Target::page(Kind::ProfileTop100, format!("/authors/{s}")));
        push(Kind::GraphSlice, Target::page(Kind::GraphSlice, format!("/explore?focus=a:{s}")));
    }
    for (i, w) in works.iter().enumerate() {
        push(Kind::Work, Target::page(Kind::Work, format!("/works/{w}")));
        if i % 4 == 0 {
            push(Kind::GraphSlice, Target::page(Kind::GraphSlice, format!("/explore?focus=w:{w}")));
        }
    }
    for (focus, co) in explore.iter().filter(|(_, co)| co.len() == 3) {
        let expand = co.iter().map(|c| format!("a:{c}")).collect::<Vec<_>>().join(",");
        push(Kind::Explore3, Target::page(Kind::Explore3, format!("/explore?focus=a:{focus}&expand={expand}")));
    }
    for s in &surnames {
        push(Kind::SearchSurname, Target::page(Kind::SearchSurname, search(s)));
    }
    for n in &rare {
        push(Kind::SearchRareName, Target::page(Kind::SearchRareName, search(n)));
    }
    for (i, t) in titles.iter().enumerate() {
        if let Some(q) = title_words(t, &mut rng) {
            push(Kind::SearchTitle, Target::page(Kind::SearchTitle, search(&q)));
            // The same words, narrowed: a decade, articles, open access (every other one), most
            // cited first (every third); and the API's filtered works, keyset-paged.
            let from = 1990 + 5 * (i as i32 % 6);
            let oa = if i % 2 == 0 { "&oa=1" } else { "" };
            let sort = if i % 3 == 0 { "&sort=cited" } else { "" };
            let filters = format!("&from={from}&to={}&type=article{oa}{sort}", from + 10);
            push(
                Kind::SearchFiltered,
                Target::page(Kind::SearchFiltered, format!("{}&kind=works{filters}", search(&q))),
            );
            let api = format!("/api/v1/works?q={}{filters}&per_page=25", loopback_http::encode(&q));
            push(Kind::ApiWorks, Target::page(Kind::ApiWorks, api));
        }
    }
    for s in &subjects {
        let kind = if s.starts_with("topics/") { Kind::Topic } else { Kind::Institution };
        push(kind, Target::page(kind, format!("/{s}")));
    }
    for s in &sitemaps {
        push(Kind::Sitemap, Target::page(Kind::Sitemap, s.clone()));
    }
    push(Kind::Feed, Target::page(Kind::Feed, "/me/following".to_owned()));
    for s in &follow_pool {
        for (kind, endpoint) in [(Kind::Follow, "follow_researcher"), (Kind::Unfollow, "unfollow_researcher")] {
            push(kind, Target { slug: Some(s.clone()), ..Target::page(kind, format!("/api/{endpoint}")) });
        }
    }
    Ok(Mix { targets, profiles: banded, followed })
}

/// Two neighbouring words of a title, each of four letters or more (as someone would search
/// "gradient descent"), or one such word.
fn title_words(title: &str, rng: &mut impl Rng) -> Option<String> {
    let words: Vec<&str> = title
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| w.len() >= 4 && w.chars().all(char::is_alphabetic))
        .collect();
    match words.len() {
        0 => None,
        1 => Some(words[0].to_lowercase()),
        n => {
            let i = rng.gen_range(0..n - 1);
            Some(format!("{} {}", words[i], words[i + 1]).to_lowercase())
        }
    }
}
