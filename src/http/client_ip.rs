//! The client's address: the socket peer, unless the peer is a configured proxy; then
//! the rightmost `X-Forwarded-For` entry that is not a trusted proxy (the leftmost
//! entries are whatever the client chose to send).

use std::net::IpAddr;

use axum::http::HeaderMap;

use crate::config::IpNet;

/// Determines the client address for throttling and logs.
pub fn client_ip(peer: IpAddr, headers: &HeaderMap, trusted: &[IpNet]) -> IpAddr {
    let is_trusted = |ip: IpAddr| trusted.iter().any(|net| net.contains(ip));
    if !is_trusted(peer) {
        return peer;
    }
    let entries: Vec<&str> = headers
        .get_all("x-forwarded-for")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .map(str::trim)
        .collect();
    let mut client = peer;
    for entry in entries.iter().rev() {
        // Some proxies append the port: `203.0.113.7:5120` or `[2001:db8::1]:5120`.
        let parsed = entry
            .parse::<IpAddr>()
            .or_else(|_| entry.parse::<std::net::SocketAddr>().map(|s| s.ip()));
        match parsed {
            Ok(ip) => {
                client = ip;
                if !is_trusted(ip) {
                    break;
                }
            }
            // A malformed entry was written by someone we don't trust: stop at the last
            // address a trusted proxy vouched for.
            Err(_) => break,
        }
    }
    client
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(xff: &str) -> HeaderMap {
        let mut h = HeaderMap::new();
        h.insert("x-forwarded-for", xff.parse().unwrap());
        h
    }

    #[test]
    fn forwarded_header_from_an_untrusted_peer_is_ignored() {
        let peer: IpAddr = "203.0.113.9".parse().unwrap();
        assert_eq!(client_ip(peer, &headers("1.2.3.4"), &[]), peer);
    }

    #[test]
    fn behind_a_trusted_proxy_the_rightmost_untrusted_entry_is_the_client() {
        let proxy: IpAddr = "10.0.0.2".parse().unwrap();
        let trusted = ["10.0.0.0/8".parse().unwrap()];
        let ip = client_ip(proxy, &headers("6.6.6.6, 198.51.100.7, 10.0.0.5"), &trusted);
        assert_eq!(ip, "198.51.100.7".parse::<IpAddr>().unwrap());
    }

    #[test]
    fn entries_with_ports_are_understood() {
        let proxy: IpAddr = "10.0.0.2".parse().unwrap();
        let trusted = ["10.0.0.0/8".parse().unwrap()];
        let ip = client_ip(proxy, &headers("198.51.100.7:5120"), &trusted);
        assert_eq!(ip, "198.51.100.7".parse::<IpAddr>().unwrap());
        let ip = client_ip(proxy, &headers("[2001:db8::1]:443"), &trusted);
        assert_eq!(ip, "2001:db8::1".parse::<IpAddr>().unwrap());
    }

    #[test]
    fn a_garbage_entry_stops_the_walk() {
        let proxy: IpAddr = "10.0.0.2".parse().unwrap();
        let trusted = ["10.0.0.0/8".parse().unwrap()];
        assert_eq!(client_ip(proxy, &headers("1.1.1.1, junk"), &trusted), proxy);
    }
}
