//! Percent-encoding, one encoder for every address the site writes: a query (`+` for a space), a
//! query value that may hold a path (`/login?next=/authors/x`), and a path (a DOI in
//! `https://doi.org/…`). Unreserved characters (RFC 3986) are always kept.

/// What a space becomes, and which characters besides the unreserved ones are kept.
struct Rule {
    space: &'static str,
    keep: &'static [u8],
}

const QUERY: Rule = Rule { space: "+", keep: b"" };
const QUERY_VALUE: Rule = Rule { space: "+", keep: b"/" };
const PATH: Rule = Rule { space: "%20", keep: b"!$&'()*+,;=:@/" };

fn encode(s: &str, rule: &Rule) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => out.push(char::from(b)),
            b' ' => out.push_str(rule.space),
            b if rule.keep.contains(&b) => out.push(char::from(b)),
            b => {
                const HEX: &[u8; 16] = b"0123456789ABCDEF";
                out.push('%');
                out.push(char::from(HEX[usize::from(b >> 4)]));
                out.push(char::from(HEX[usize::from(b & 0x0f)]));
            }
        }
    }
    out
}

/// A query's words for an address (`q=deep+learning`).
pub fn query(s: &str) -> String {
    encode(s, &QUERY)
}

/// A query value that may be a path on this site (`next=/authors/x%3Fafter%3D1`).
pub fn query_value(s: &str) -> String {
    encode(s, &QUERY_VALUE)
}

/// A path's segments, kept as segments (`10.1002/(SICI)1097%3C448`).
pub fn path(s: &str) -> String {
    encode(s, &PATH)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_kind_of_address_keeps_what_it_may_hold() {
        assert_eq!(query("deep learning/ü?"), "deep+learning%2F%C3%BC%3F");
        assert_eq!(query_value("/authors/x?after=1&y"), "/authors/x%3Fafter%3D1%26y");
        assert_eq!(path("10.1000/abc-1.2_x(3):4;5"), "10.1000/abc-1.2_x(3):4;5");
        assert_eq!(path("10.1/a b#c?d%e\"é"), "10.1/a%20b%23c%3Fd%25e%22%C3%A9");
    }
}
