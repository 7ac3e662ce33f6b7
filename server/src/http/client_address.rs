//! Which client a request comes from, for the per-address rate limits: the TCP peer, or behind
//! trusted proxies the right-most `X-Forwarded-For` entry that none of them added. Everything
//! left of it was written by the client itself and proves nothing.

use axum::http::HeaderMap;
use std::net::{IpAddr, SocketAddr};

/// The client's address. `trusted_proxies` is how many proxies in front of the server append
/// to `X-Forwarded-For` (0: the header is ignored and the peer is the client).
pub fn client_address(headers: &HeaderMap, peer: Option<IpAddr>, trusted_proxies: usize) -> String {
    let peer = || peer.map_or_else(|| "unknown".to_owned(), |ip| ip.to_string());
    if trusted_proxies == 0 {
        return peer();
    }
    let hops: Vec<&str> = headers
        .get_all("x-forwarded-for")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .map(str::trim)
        .collect();
    // The nearest proxy (our peer) appended the address it saw, the one before it its own, and
    // so on: `trusted_proxies` entries from the right is what the outermost one saw. With fewer
    // entries, every one came from a trusted proxy and the left-most is the furthest seen.
    let Some(hop) = hops.get(hops.len().saturating_sub(trusted_proxies)) else {
        return peer();
    };
    parse_hop(hop).map_or_else(peer, |ip| ip.to_string())
}

/// An entry as proxies write it: `203.0.113.7`, `2001:db8::1`, or with a port.
fn parse_hop(hop: &str) -> Option<IpAddr> {
    hop.parse::<IpAddr>().ok().or_else(|| hop.parse::<SocketAddr>().ok().map(|s| s.ip()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    const PEER: Option<IpAddr> = Some(IpAddr::V4(std::net::Ipv4Addr::new(10, 0, 0, 1)));

    fn forwarded(values: &[&str]) -> HeaderMap {
        let mut map = HeaderMap::new();
        for v in values {
            map.append("x-forwarded-for", HeaderValue::from_str(v).expect("header"));
        }
        map
    }

    #[test]
    fn without_trusted_proxies_the_peer_is_the_client_whatever_the_header_says() {
        assert_eq!(client_address(&forwarded(&["203.0.113.7"]), PEER, 0), "10.0.0.1");
        assert_eq!(client_address(&forwarded(&[]), None, 0), "unknown");
    }

    #[test]
    fn behind_one_proxy_the_right_most_entry_counts_and_spoofed_left_entries_are_ignored() {
        assert_eq!(client_address(&forwarded(&["203.0.113.7"]), PEER, 1), "203.0.113.7");
        assert_eq!(client_address(&forwarded(&["1.1.1.1, 203.0.113.7"]), PEER, 1), "203.0.113.7");
        assert_eq!(client_address(&forwarded(&["spoof, 9.9.9.9", "203.0.113.7"]), PEER, 1), "203.0.113.7");
        assert_eq!(client_address(&forwarded(&["[2001:db8::1]:443"]), PEER, 1), "2001:db8::1");
    }

    #[test]
    fn behind_two_proxies_the_entry_the_outer_one_added_counts() {
        assert_eq!(client_address(&forwarded(&["1.1.1.1, 203.0.113.7, 10.0.0.2"]), PEER, 2), "203.0.113.7");
        assert_eq!(client_address(&forwarded(&["203.0.113.7"]), PEER, 2), "203.0.113.7");
    }

    #[test]
    fn a_missing_or_unreadable_entry_falls_back_to_the_peer() {
        assert_eq!(client_address(&forwarded(&[]), PEER, 1), "10.0.0.1");
        assert_eq!(client_address(&forwarded(&["1.1.1.1, not-an-address"]), PEER, 1), "10.0.0.1");
    }
}
