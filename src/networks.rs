//! Which clients count as one: the network of a client address (what one household or
//! customer holds) and the block of networks around it (what one customer or cloud
//! tenant can rotate within). Rate limits and connection caps count by both.

use std::net::IpAddr;

/// How many clients' allowances a block of networks (an IPv4 /24, an IPv6 /48) gets
/// together: one customer rotating through the /64s of a /48 counts as four clients.
pub const BLOCK_SHARE: usize = 4;

/// The part of a client address that throttling counts by: the whole IPv4 address, or
/// the /64 network of an IPv6 one (every IPv6 client holds at least a /64 to rotate in).
pub fn client_network(ip: IpAddr) -> String {
    match ip {
        IpAddr::V4(v4) => v4.to_string(),
        IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
            Some(v4) => v4.to_string(),
            None => {
                let s = v6.segments();
                format!("{:x}:{:x}:{:x}:{:x}::/64", s[0], s[1], s[2], s[3])
            }
        },
    }
}

/// The block of networks a client address belongs to: its IPv4 /24 or IPv6 /48 (what
/// one customer of a provider, or one cloud tenant, can rotate addresses within).
pub fn client_block(ip: IpAddr) -> String {
    let v4_block = |v4: std::net::Ipv4Addr| {
        let o = v4.octets();
        format!("{}.{}.{}.0/24", o[0], o[1], o[2])
    };
    match ip {
        IpAddr::V4(v4) => v4_block(v4),
        IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
            Some(v4) => v4_block(v4),
            None => {
                let s = v6.segments();
                format!("{:x}:{:x}:{:x}::/48", s[0], s[1], s[2])
            }
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ipv6_clients_are_counted_by_their_64_network() {
        assert_eq!(
            client_network("2001:db8:1:2:aaaa::1".parse().unwrap()),
            "2001:db8:1:2::/64"
        );
        assert_eq!(
            client_network("2001:db8:1:2:bbbb::9".parse().unwrap()),
            "2001:db8:1:2::/64"
        );
        assert_eq!(
            client_network("203.0.113.7".parse().unwrap()),
            "203.0.113.7"
        );
        assert_eq!(
            client_network("::ffff:203.0.113.7".parse().unwrap()),
            "203.0.113.7"
        );
    }

    #[test]
    fn blocks_are_the_ipv4_24_and_the_ipv6_48() {
        assert_eq!(
            client_block("2001:db8:1:2:aaaa::1".parse().unwrap()),
            "2001:db8:1::/48"
        );
        assert_eq!(
            client_block("203.0.113.7".parse().unwrap()),
            "203.0.113.0/24"
        );
        assert_eq!(
            client_block("::ffff:203.0.113.7".parse().unwrap()),
            "203.0.113.0/24"
        );
    }
}
