//! Which addresses webhooks may reach. Private, loopback, link-local and other non-public
//! addresses are refused unless `webhooks.allow_private_networks` is set.
//!
//! The check sits in the HTTP client's resolver: a host name is resolved once, every address
//! is checked, and the client connects only to those checked addresses, so a name that
//! resolves to a public address for the check and a private one for the connection (DNS
//! rebinding) gets nowhere. Literal IP addresses in URLs never reach a resolver; [`check_url`]
//! checks them before sending.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};

use reqwest::dns::{Addrs, Name, Resolve, Resolving};

/// Whether `ip` is an ordinary public unicast address.
pub fn is_public(ip: IpAddr) -> bool {
    match ip {
        IpAddr::V4(v4) => is_public_v4(v4),
        IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
            Some(v4) => is_public_v4(v4),
            None => is_public_v6(v6),
        },
    }
}

fn is_public_v4(ip: Ipv4Addr) -> bool {
    let [a, b, c, _] = ip.octets();
    !(ip.is_private()
        || ip.is_loopback()
        || ip.is_link_local()
        || ip.is_unspecified()
        || ip.is_broadcast()
        || ip.is_documentation()
        || ip.is_multicast()
        || a == 0
        || (a == 100 && (64..128).contains(&b)) // shared address space (carrier NAT)
        || (a == 192 && b == 0 && c == 0) // IETF protocol assignments
        || (a == 198 && (18..20).contains(&b)) // benchmarking
        || a >= 240) // reserved
}

fn is_public_v6(ip: Ipv6Addr) -> bool {
    let first = ip.segments()[0];
    !(ip.is_loopback()
        || ip.is_unspecified()
        || ip.is_multicast()
        || ip.is_unique_local()
        || ip.is_unicast_link_local()
        || (first & 0xffc0) == 0xfec0 // site-local (deprecated)
        || first == 0x2001 && ip.segments()[1] == 0x0db8 // documentation
        || (first == 0x0064 && ip.segments()[1] == 0xff9b) // NAT64: the embedded IPv4 is local
        || ip.to_ipv4().is_some()) // IPv4-compatible (deprecated)
}

/// Why a URL is refused before anything is sent, if it is: a literal address that is not
/// public (host names are checked by [`Guard`] when resolved).
pub fn check_url(url: &reqwest::Url, allow_private: bool) -> Result<(), String> {
    if allow_private {
        return Ok(());
    }
    let ip = match url.host() {
        Some(url::Host::Ipv4(ip)) => IpAddr::V4(ip),
        Some(url::Host::Ipv6(ip)) => IpAddr::V6(ip),
        Some(url::Host::Domain(_)) => return Ok(()),
        None => return Err("the URL has no host".into()),
    };
    if is_public(ip) {
        Ok(())
    } else {
        Err(refusal(ip))
    }
}

fn refusal(ip: IpAddr) -> String {
    format!(
        "refused: {ip} is a private, loopback or link-local address (webhooks.allow_private_networks is off)"
    )
}

/// The client's resolver: resolves with the system's resolver and hands over only checked
/// addresses.
#[derive(Debug, Clone, Copy)]
pub struct Guard {
    /// Whether non-public addresses are allowed.
    pub allow_private: bool,
}

impl Resolve for Guard {
    fn resolve(&self, name: Name) -> Resolving {
        let allow = self.allow_private;
        Box::pin(async move {
            let host = name.as_str().to_owned();
            let addrs: Vec<SocketAddr> =
                tokio::net::lookup_host((host.as_str(), 0)).await?.collect();
            if addrs.is_empty() {
                return Err(format!("{host} has no address").into());
            }
            if !allow {
                if let Some(bad) = addrs.iter().find(|a| !is_public(a.ip())) {
                    return Err(format!("{host}: {}", refusal(bad.ip())).into());
                }
            }
            let addrs: Addrs = Box::new(addrs.into_iter());
            Ok(addrs)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn private_addresses_are_not_public() {
        for bad in [
            "127.0.0.1",
            "10.1.2.3",
            "172.16.0.1",
            "192.168.1.1",
            "169.254.169.254",
            "0.0.0.0",
            "100.64.0.1",
            "::1",
            "::",
            "fe80::1",
            "fc00::1",
            "fd12::1",
            "::ffff:127.0.0.1",
            "::ffff:10.0.0.1",
            "64:ff9b::a00:1",
            "224.0.0.1",
            "255.255.255.255",
        ] {
            assert!(
                !is_public(bad.parse().unwrap_or(IpAddr::V4(Ipv4Addr::LOCALHOST))),
                "{bad}"
            );
        }
        for good in ["93.184.216.34", "1.1.1.1", "2606:4700:4700::1111"] {
            assert!(
                is_public(good.parse().unwrap_or(IpAddr::V4(Ipv4Addr::LOCALHOST))),
                "{good}"
            );
        }
    }

    #[test]
    fn literal_urls_are_checked() {
        let url = |s: &str| reqwest::Url::parse(s).unwrap_or_else(|_| panic!("{s}"));
        assert!(check_url(&url("http://127.0.0.1:8080/x"), false).is_err());
        assert!(check_url(&url("http://[::1]/x"), false).is_err());
        assert!(check_url(&url("http://127.0.0.1:8080/x"), true).is_ok());
        assert!(check_url(&url("https://example.com/x"), false).is_ok());
    }
}
