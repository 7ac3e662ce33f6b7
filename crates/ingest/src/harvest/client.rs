//! The harvesters' HTTP client: polite to the sources it reads. Requests are spaced at least
//! `min_interval` apart; a 429, a 5xx, a timeout or a dropped connection is retried with
//! exponential backoff and jitter, waiting as long as a `Retry-After` asks; any other answer that
//! is not a success ends the run with the source's own words.

use rand::Rng;
use std::time::{Duration, Instant};

/// How a client spaces and retries its requests.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Politeness {
    /// Least time from one request's start to the next one's.
    pub min_interval: Duration,
    /// Tries of one request before the run gives up.
    pub attempts: u32,
    /// The wait before the first retry; each later one doubles it, up to `max_backoff`.
    pub first_backoff: Duration,
    pub max_backoff: Duration,
    /// The longest `Retry-After` waited out; a source asking for more ends the run (it resumes).
    pub max_retry_after: Duration,
    /// One request's limit, answer included.
    pub timeout: Duration,
}

impl Politeness {
    /// OpenAlex: 10 requests a second at most (its published limit); 8 here.
    pub const OPENALEX: Self = Self {
        min_interval: Duration::from_millis(125),
        attempts: 6,
        first_backoff: Duration::from_secs(1),
        max_backoff: Duration::from_secs(60),
        max_retry_after: Duration::from_secs(600),
        timeout: Duration::from_secs(60),
    };
    /// arXiv's OAI-PMH: one request every 3 seconds, as its terms ask.
    pub const ARXIV: Self = Self { min_interval: Duration::from_secs(3), ..Self::OPENALEX };
}

/// Why a request did not give an answer to read.
#[derive(Debug, thiserror::Error)]
pub enum FetchError {
    #[error("{source_name} still answered {last} after {attempts} attempts at {url}")]
    GaveUp { source_name: &'static str, url: String, attempts: u32, last: String },
    #[error("{source_name} refused {url} with {status}: {message}")]
    Refused { source_name: &'static str, url: String, status: u16, message: String },
    #[error("{source_name} asked to wait {seconds} s before the next request, longer than this harvest waits ({limit} s); run it again later and it resumes")]
    WaitTooLong { source_name: &'static str, seconds: u64, limit: u64 },
    #[error("cannot make an HTTP client: {0}")]
    Client(String),
}

/// Requests and retries made, for the summary.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Traffic {
    pub requests: u32,
    pub retries: u32,
    pub bytes: u64,
}

pub struct Client {
    http: reqwest::Client,
    policy: Politeness,
    source_name: &'static str,
    last_request: Option<Instant>,
    pub traffic: Traffic,
}

impl Client {
    /// `contact` (an e-mail address) goes in the `User-Agent`, as OpenAlex's polite pool and
    /// arXiv ask.
    pub fn new(source_name: &'static str, policy: Politeness, contact: Option<&str>) -> Result<Self, FetchError> {
        let agent = match contact {
            Some(mail) => format!("BZPEER/{} (mailto:{mail})", env!("CARGO_PKG_VERSION")),
            None => format!("BZPEER/{}", env!("CARGO_PKG_VERSION")),
        };
        let http = reqwest::Client::builder()
            .user_agent(agent)
            .timeout(policy.timeout)
            .connect_timeout(Duration::from_secs(20))
            .build()
            .map_err(|e| FetchError::Client(e.to_string()))?;
        Ok(Self { http, policy, source_name, last_request: None, traffic: Traffic::default() })
    }

    /// The body of a successful GET of `url` with `query`, retried as the policy says.
    pub async fn get(&mut self, url: &str, query: &[(&str, &str)]) -> Result<Vec<u8>, FetchError> {
        let shown = display_url(url, query);
        let mut attempt = 0;
        loop {
            attempt += 1;
            self.space_out().await;
            self.traffic.requests += 1;
            let outcome = self.http.get(url).query(query).send().await;
            let (last, asked_wait) = match outcome {
                Ok(response) if response.status().is_success() => match response.bytes().await {
                    Ok(body) => {
                        self.traffic.bytes += body.len() as u64;
                        return Ok(body.to_vec());
                    }
                    Err(e) => (format!("a broken answer ({e})"), None),
                },
                Ok(response) => {
                    let status = response.status();
                    let wait = retry_after(response.headers());
                    if !(status.as_u16() == 429 || status.is_server_error()) {
                        let body = response.text().await.unwrap_or_default();
                        return Err(FetchError::Refused {
                            source_name: self.source_name,
                            url: shown,
                            status: status.as_u16(),
                            message: error_message(&body),
                        });
                    }
                    (status.to_string(), wait)
                }
                Err(e) if e.is_timeout() => ("no answer in time".to_owned(), None),
                Err(e) => (format!("a failed connection ({})", root_cause(&e)), None),
            };
            if attempt >= self.policy.attempts {
                return Err(FetchError::GaveUp { source_name: self.source_name, url: shown, attempts: attempt, last });
            }
            let wait = match asked_wait {
                Some(wait) if wait > self.policy.max_retry_after => {
                    return Err(FetchError::WaitTooLong {
                        source_name: self.source_name,
                        seconds: wait.as_secs(),
                        limit: self.policy.max_retry_after.as_secs(),
                    })
                }
                Some(wait) => wait,
                None => backoff(&self.policy, attempt),
            };
            tracing::warn!(source = self.source_name, url = %shown, %last, attempt, wait_ms = wait.as_millis() as u64, "retrying");
            self.traffic.retries += 1;
            tokio::time::sleep(wait).await;
        }
    }

    /// Waits until `min_interval` has passed since the last request started.
    async fn space_out(&mut self) {
        if let Some(last) = self.last_request {
            let since = last.elapsed();
            if since < self.policy.min_interval {
                tokio::time::sleep(self.policy.min_interval - since).await;
            }
        }
        self.last_request = Some(Instant::now());
    }
}

/// The wait before retry `attempt` (1-based): the doubled backoff, capped, with "equal jitter"
/// (half fixed, half random) so many clients retrying at once spread out.
pub fn backoff(policy: &Politeness, attempt: u32) -> Duration {
    let doubled = policy.first_backoff.saturating_mul(1 << attempt.saturating_sub(1).min(16));
    let capped = doubled.min(policy.max_backoff);
    let half = capped / 2;
    half + half.mul_f64(rand::thread_rng().gen_range(0.0..=1.0))
}

/// `Retry-After` as seconds or an HTTP date.
pub fn retry_after(headers: &reqwest::header::HeaderMap) -> Option<Duration> {
    let value = headers.get(reqwest::header::RETRY_AFTER)?.to_str().ok()?.trim();
    if let Ok(seconds) = value.parse::<u64>() {
        return Some(Duration::from_secs(seconds));
    }
    let at = chrono::DateTime::parse_from_rfc2822(&value.replace("GMT", "+0000")).ok()?;
    let seconds = (at.with_timezone(&chrono::Utc) - chrono::Utc::now()).num_seconds();
    Some(Duration::from_secs(u64::try_from(seconds).unwrap_or(0)))
}

/// A refusal's message: OpenAlex's JSON `message`/`error`, else the start of the body's text.
fn error_message(body: &str) -> String {
    let json: Option<serde_json::Value> = serde_json::from_str(body).ok();
    let field = |key: &str| json.as_ref().and_then(|j| j.get(key)).and_then(|v| v.as_str()).map(str::to_owned);
    let text = field("message").or_else(|| field("error")).unwrap_or_else(|| body.trim().to_owned());
    let text: String = text.chars().take(300).collect();
    if text.is_empty() {
        "no message".to_owned()
    } else {
        text
    }
}

fn root_cause(error: &(dyn std::error::Error + 'static)) -> String {
    let mut cause = error;
    while let Some(next) = cause.source() {
        cause = next;
    }
    cause.to_string()
}

/// The address as a person would paste it, for messages.
fn display_url(url: &str, query: &[(&str, &str)]) -> String {
    let pairs: Vec<String> = query.iter().map(|(k, v)| format!("{k}={v}")).collect();
    if pairs.is_empty() {
        url.to_owned()
    } else {
        format!("{url}?{}", pairs.join("&"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_doubles_up_to_its_cap_with_jitter_in_the_upper_half() {
        let policy = Politeness { first_backoff: Duration::from_millis(100), ..Politeness::OPENALEX };
        for attempt in 1..=12 {
            let full = Duration::from_millis(100 * (1 << (attempt - 1))).min(policy.max_backoff);
            for _ in 0..20 {
                let wait = backoff(&policy, attempt);
                assert!(wait >= full / 2 && wait <= full, "attempt {attempt}: {wait:?} outside {full:?}/2..={full:?}");
            }
        }
    }

    #[test]
    fn retry_after_reads_seconds_and_dates() {
        let mut headers = reqwest::header::HeaderMap::new();
        headers.insert(reqwest::header::RETRY_AFTER, reqwest::header::HeaderValue::from_static("7"));
        assert_eq!(retry_after(&headers), Some(Duration::from_secs(7)));
        let soon = (chrono::Utc::now() + chrono::Duration::seconds(30)).format("%a, %d %b %Y %H:%M:%S GMT").to_string();
        headers.insert(reqwest::header::RETRY_AFTER, reqwest::header::HeaderValue::from_str(&soon).expect("ascii"));
        let wait = retry_after(&headers).expect("a date");
        assert!(wait >= Duration::from_secs(28) && wait <= Duration::from_secs(30), "{wait:?}");
        headers.insert(reqwest::header::RETRY_AFTER, reqwest::header::HeaderValue::from_static("soon"));
        assert_eq!(retry_after(&headers), None);
    }

    #[test]
    fn a_refusal_shows_the_source_s_message() {
        assert_eq!(
            error_message(r#"{"error":"Invalid query parameters error.","message":"cursor is bad"}"#),
            "cursor is bad"
        );
        assert_eq!(error_message("  Not found  "), "Not found");
        assert_eq!(error_message(""), "no message");
    }
}
