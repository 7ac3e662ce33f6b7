//! The fuzz's request generators (proptest strategies): page routes with random segments and
//! query parameters, server functions with random forms, and hostile bodies, methods and headers.

use proptest::collection::vec;
use proptest::option::weighted;
use proptest::prelude::*;
use proptest::sample::select;

/// The body limit of the router (`startup::BODY_LIMIT_BYTES`).
const LIMIT: usize = 64 * 1024;

/// One generated request, before it is turned into an `http::Request`.
#[derive(Clone)]
pub struct Case {
    pub method: &'static str,
    /// Path and query, already URL-encoded.
    pub uri: String,
    pub body: Vec<u8>,
    pub content_type: Option<&'static str>,
    pub accept: Option<&'static str>,
    pub logged_in: bool,
    /// `Some(true)`: our own `Origin`; `Some(false)`: another site's; `None`: no `Origin`.
    pub same_origin: Option<bool>,
    /// Which of a few client addresses sends it, so rate limits per address do not answer
    /// every log-in after the first ten.
    pub client: u8,
}

impl std::fmt::Debug for Case {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let body = String::from_utf8_lossy(&self.body);
        let body: String = body.chars().take(300).collect();
        write!(f, "{} {} body {body:?} ({} bytes)", self.method, self.uri, self.body.len())?;
        write!(f, " content-type {:?} accept {:?}", self.content_type, self.accept)?;
        write!(f, " logged in {} same origin {:?} client {}", self.logged_in, self.same_origin, self.client)
    }
}

/// What the database holds (slugs, ids, an address), so some values reach real rows.
pub struct Known {
    pub values: Vec<String>,
    /// Page route templates (`/authors/{slug}`).
    pub routes: Vec<String>,
    /// Server functions: path and field names.
    pub server_fns: Vec<(String, Vec<&'static str>)>,
}

/// Values that have broken something somewhere, already URL-encoded.
const EDGES: &[&str] = &[
    "",
    "%00",
    "a%00b",
    "-1",
    "0",
    "1",
    "2",
    "9223372036854775807",
    "-9223372036854775808",
    "99999999999999999999",
    "-5000-01-01.1",
    "%2B99999-12-31.1",
    "262143-12-31.1",
    "2022-02-30.1",
    "2022-01-01.0",
    "2022-01-01.-1",
    "2022-01-01.1",
    "1e9",
    "NaN",
    "true",
    "on",
    "%FF%FE",
    "%C0%80",
    "%",
    "%G1",
    "%E2%80%AE",
    "%3Cscript%3Ealert(1)%3C%2Fscript%3E",
    "..%2F..%2Fetc%2Fpasswd",
    "%0D%0ALocation:%20x",
    "a:b",
    "t:0",
    "w:",
    "i:-1",
    "javascript:alert(1)",
    "%2F%2Fevil.example",
    "approve",
    "reject",
    "accept",
    "decline",
    "people",
    "works",
    "%01",
    "%7F",
    "%EF%BF%BF",
    "a%2Cb",
];

/// Query keys the pages read, and a few they do not.
const QUERY_KEYS: &[&str] = &[
    "q",
    "kind",
    "page",
    "after",
    "before",
    "focus",
    "expand",
    "error",
    "next",
    "token",
    "email",
    "received",
    "sent",
    "conversations",
    "verified",
    "resent",
    "disputed",
    "body",
    "subject",
    "x",
];

/// Every byte but the unreserved ones percent-encoded, so the result is always a valid URI part.
pub fn encode(bytes: &[u8]) -> String {
    bytes
        .iter()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' => (*b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// A field value, URL-encoded: known good values, edge cases, random text and bytes, long text.
fn value(known: &[String]) -> BoxedStrategy<String> {
    let known = known.to_vec();
    prop_oneof![
        4 => select(known.clone()).prop_map(|v| encode(v.as_bytes())),
        3 => select(EDGES).prop_map(str::to_owned),
        2 => any::<String>().prop_map(|s| encode(s.as_bytes())),
        1 => vec(any::<u8>(), 0..40).prop_map(|b| encode(&b)),
        1 => (select(known.clone()), select(EDGES)).prop_map(|(k, e)| format!("{}{e}", encode(k.as_bytes()))),
        2 => (select(known.clone()), any::<usize>(), select(vec![0u8, 1, b'\n', 0x7f])).prop_map(|(k, at, byte)| {
            let mut bytes = k.into_bytes();
            bytes.insert(at % (bytes.len() + 1), byte);
            encode(&bytes)
        }),
        1 => (select(vec![21usize, 201, 2_001, 4_001, 20_000]), select(vec!["x", "%00", "%C3%A9", "+"]))
            .prop_map(|(n, unit)| unit.repeat(n)),
        1 => vec(select(known), 0..300).prop_map(|keys| encode(keys.join(",").as_bytes())),
    ]
    .boxed()
}

/// A form field name: the expected one, one encoded differently, nested or unknown.
fn key(name: &'static str) -> BoxedStrategy<String> {
    prop_oneof![
        12 => Just(name.to_owned()),
        1 => Just(name.bytes().map(|b| format!("%{b:02x}")).collect::<String>()),
        1 => Just(format!("{name}[]")),
        1 => Just(format!("{name}[a][b]")),
        1 => any::<String>().prop_map(|s| encode(s.as_bytes())),
    ]
    .boxed()
}

/// A form for `fields`: each present with a probability, some twice, plus a few extras.
fn form(fields: Vec<&'static str>, known: &[String]) -> BoxedStrategy<String> {
    let n = fields.len();
    let pairs = fields.into_iter().map(|f| (key(f), value(known))).collect::<Vec<_>>();
    let all = pairs.into_iter().map(|p| weighted(0.85, p)).collect::<Vec<_>>();
    let extra = vec((key("x"), value(known)), 0..3);
    let repeat = weighted(0.1, 0..n.max(1));
    (all, extra, repeat)
        .prop_map(|(present, extra, repeat)| {
            let mut pairs: Vec<(String, String)> = present.into_iter().flatten().collect();
            if let Some(i) = repeat.filter(|i| *i < pairs.len()) {
                pairs.push(pairs[i].clone());
            }
            pairs.extend(extra);
            pairs.into_iter().map(|(k, v)| format!("{k}={v}")).collect::<Vec<_>>().join("&")
        })
        .boxed()
}

/// A body for a server function: its form mostly, else JSON, random bytes, nothing, or a body
/// near or over the limit.
fn body(fields: Vec<&'static str>, known: &[String]) -> BoxedStrategy<Vec<u8>> {
    let form = form(fields, known);
    prop_oneof![
        40 => form.clone().prop_map(String::into_bytes),
        2 => form.clone().prop_map(|f| format!("{{\"{}\"}}", f.replace('&', "\",\"")).into_bytes()),
        2 => vec(any::<u8>(), 0..200),
        2 => Just(Vec::new()),
        1 => form.clone().prop_map(|f| format!("{f}&pad={}", "a".repeat(LIMIT - 200)).into_bytes()),
        1 => form.prop_map(|f| format!("{f}&pad={}", "a".repeat(LIMIT + 1)).into_bytes()),
    ]
    .boxed()
}

fn method(usual: &'static str) -> BoxedStrategy<&'static str> {
    prop_oneof![20 => Just(usual), 1 => select(vec!["GET", "POST", "PUT", "DELETE", "PATCH", "HEAD", "OPTIONS"])]
        .boxed()
}

fn content_type() -> BoxedStrategy<Option<&'static str>> {
    prop_oneof![
        20 => Just(Some("application/x-www-form-urlencoded")),
        1 => Just(None),
        1 => select(vec![
            Some("application/json"),
            Some("text/plain"),
            Some("multipart/form-data; boundary=x"),
            Some("application/x-www-form-urlencoded; charset=latin1"),
            Some("application/cbor"),
        ]),
    ]
    .boxed()
}

fn headers() -> impl Strategy<Value = (Option<&'static str>, bool, Option<bool>, u8)> {
    let accept = select(vec![Some("text/html"), Some("application/json"), Some("*/*"), None]);
    let origin = prop_oneof![8 => Just(Some(true)), 1 => Just(Some(false)), 1 => Just(None)];
    (accept, any::<bool>(), origin, 0..16u8)
}

/// A page route with its `:params` filled in and a random query string.
fn page(known: &Known) -> BoxedStrategy<(String, Vec<u8>)> {
    let values = known.values.clone();
    let routes = known.routes.clone();
    let segments = vec(value(&values), 2);
    let query_key = prop_oneof![8 => select(QUERY_KEYS).prop_map(str::to_owned), 1 => key("x")];
    let query = vec((query_key, value(&values)), 0..4);
    (select(routes), segments, query)
        .prop_map(|(route, segments, query)| {
            let mut filled = segments.into_iter();
            let path = route
                .split('/')
                .map(|part| match part.starts_with([':', '{']) {
                    true => filled.next().unwrap_or_default(),
                    false => part.to_owned(),
                })
                .collect::<Vec<_>>()
                .join("/");
            let path = if path.is_empty() { "/".to_owned() } else { path };
            let query = query.into_iter().map(|(k, v)| format!("{k}={v}")).collect::<Vec<_>>().join("&");
            (if query.is_empty() { path } else { format!("{path}?{query}") }, Vec::new())
        })
        .boxed()
}

/// A request to any route: pages (GET), server functions (POST), or elsewhere.
pub fn case(known: &Known) -> BoxedStrategy<Case> {
    let values = known.values.clone();
    let pages = (page(known), method("GET"), Just(None::<&'static str>)).boxed();
    let server_fns = known
        .server_fns
        .iter()
        .map(|(path, fields)| (Just(path.clone()), body(fields.clone(), &values), method("POST"), content_type()))
        .map(|s| s.prop_map(|(path, body, m, ct)| ((path, body), m, ct)).boxed())
        .collect::<Vec<_>>();
    let server_fns = proptest::strategy::Union::new(server_fns).boxed();
    let elsewhere = (
        prop_oneof![
            select(vec!["/healthz", "/pkg/bzpeer.css", "/favicon.svg", "/api/", "/api/nope", "//", "/%2e%2e/"])
                .prop_map(str::to_owned),
            vec(value(&values), 1..4).prop_map(|parts| format!("/{}", parts.join("/"))),
        ]
        .prop_map(|path| (path, Vec::new())),
        method("GET"),
        Just(None::<&'static str>),
    )
        .boxed();
    (prop_oneof![6 => pages, 14 => server_fns, 1 => elsewhere], headers())
        .prop_map(|(((uri, body), method, content_type), (accept, logged_in, same_origin, client))| Case {
            method,
            uri,
            body,
            content_type,
            accept,
            logged_in,
            same_origin,
            client,
        })
        .boxed()
}
