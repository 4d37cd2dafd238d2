//! The session cookie and where a request's credentials come from.

use axum::http::HeaderMap;
use axum::http::header::{AUTHORIZATION, COOKIE};

use crate::config::Config;

/// The cookie's name over HTTPS: the `__Host-` prefix pins it to this host and path.
const SECURE_NAME: &str = "__Host-vitrin_session";
/// The cookie's name on plain-http localhost, where browsers refuse `__Host-`.
const PLAIN_NAME: &str = "vitrin_session";

/// The session cookie's name: `__Host-` wherever cookies are `Secure`.
fn name(config: &Config) -> &'static str {
    if config.secure_cookies() {
        SECURE_NAME
    } else {
        PLAIN_NAME
    }
}

/// The sign-in-with-a-provider cookie's names (HTTPS, plain localhost).
const FLOW_SECURE_NAME: &str = "__Host-vitrin_sign_in";
const FLOW_PLAIN_NAME: &str = "vitrin_sign_in";

/// The `Set-Cookie` value for a session token (`max_age` 0 clears it).
pub fn session(config: &Config, token: &str, max_age: i64) -> String {
    set_cookie(config, name(config), token, max_age)
}

/// The `Set-Cookie` value of a provider sign-in in progress (`max_age` 0 clears it).
/// SameSite=Lax: the provider's redirect back is a top-level navigation, which carries it.
pub fn sign_in_flow(config: &Config, value: &str, max_age: i64) -> String {
    set_cookie(config, flow_name(config), value, max_age)
}

/// The provider sign-in in progress in this browser.
pub fn sign_in_flow_value(headers: &HeaderMap, config: &Config) -> Option<String> {
    session_cookie(headers, flow_name(config))
}

/// The guest cart cookie's names (HTTPS, plain localhost).
const CART_SECURE_NAME: &str = "__Host-vitrin_cart";
const CART_PLAIN_NAME: &str = "vitrin_cart";

fn cart_name(config: &Config) -> &'static str {
    if config.secure_cookies() {
        CART_SECURE_NAME
    } else {
        CART_PLAIN_NAME
    }
}

/// The `Set-Cookie` value of a guest's cart token (`max_age` 0 clears it).
pub fn cart(config: &Config, token: &str, max_age: i64) -> String {
    set_cookie(config, cart_name(config), token, max_age)
}

/// The guest cart token this browser holds.
pub fn cart_value(headers: &HeaderMap, config: &Config) -> Option<String> {
    session_cookie(headers, cart_name(config))
}

fn flow_name(config: &Config) -> &'static str {
    if config.secure_cookies() {
        FLOW_SECURE_NAME
    } else {
        FLOW_PLAIN_NAME
    }
}

fn set_cookie(config: &Config, name: &str, value: &str, max_age: i64) -> String {
    let max_age = max_age.max(0);
    let secure = if config.secure_cookies() {
        "; Secure"
    } else {
        ""
    };
    format!("{name}={value}; Path=/; Max-Age={max_age}; HttpOnly; SameSite=Lax{secure}")
}

/// How a request presents a session token.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Credentials {
    None,
    Bearer(String),
    Cookie(String),
}

impl Credentials {
    /// Reads `Authorization: Bearer …` (preferred) or the session cookie. Only the name
    /// this server sets counts: over HTTPS a plain `vitrin_session` cookie, which a sibling
    /// subdomain could plant, is ignored.
    pub fn from_headers(headers: &HeaderMap, config: &Config) -> Self {
        if let Some(token) = headers
            .get(AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| {
                v.strip_prefix("Bearer ")
                    .or_else(|| v.strip_prefix("bearer "))
            })
        {
            return Credentials::Bearer(token.trim().to_owned());
        }
        match session_cookie(headers, name(config)) {
            Some(token) => Credentials::Cookie(token),
            None => Credentials::None,
        }
    }

    /// The token, however it came.
    pub fn token(&self) -> Option<&str> {
        match self {
            Credentials::None => None,
            Credentials::Bearer(t) | Credentials::Cookie(t) => Some(t),
        }
    }
}

/// The value of cookie `wanted`. Read as bytes: the site's other cookies may carry
/// UTF-8 (which `HeaderValue::to_str` refuses), and must not hide ours.
fn session_cookie(headers: &HeaderMap, wanted: &str) -> Option<String> {
    headers
        .get_all(COOKIE)
        .iter()
        .flat_map(|v| v.as_bytes().split(|&b| b == b';'))
        .filter_map(|pair| {
            let at = pair.iter().position(|&b| b == b'=')?;
            Some((pair[..at].trim_ascii(), pair[at + 1..].trim_ascii()))
        })
        .find(|(name, value)| *name == wanted.as_bytes() && !value.is_empty())
        .and_then(|(_, value)| std::str::from_utf8(value).ok())
        .map(str::to_owned)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn config(public_url: &str) -> Config {
        Config::from_lookup(|name| (name == "VITRIN_PUBLIC_URL").then(|| public_url.to_owned()))
            .unwrap()
    }

    #[test]
    fn bearer_wins_over_cookie() {
        let local = config("http://localhost:8080");
        let mut h = HeaderMap::new();
        h.insert(COOKIE, "theme=dark; vitrin_session=abc".parse().unwrap());
        assert_eq!(
            Credentials::from_headers(&h, &local),
            Credentials::Cookie("abc".into())
        );
        h.insert(AUTHORIZATION, "Bearer xyz".parse().unwrap());
        assert_eq!(
            Credentials::from_headers(&h, &local),
            Credentials::Bearer("xyz".into())
        );
    }

    #[test]
    fn over_https_only_the_host_prefixed_cookie_counts() {
        let https = config("https://vitrin.example");
        let mut h = HeaderMap::new();
        h.insert(
            COOKIE,
            "vitrin_session=planted; __Host-vitrin_session=real"
                .parse()
                .unwrap(),
        );
        assert_eq!(
            Credentials::from_headers(&h, &https),
            Credentials::Cookie("real".into())
        );
        h.insert(COOKIE, "vitrin_session=planted".parse().unwrap());
        assert_eq!(Credentials::from_headers(&h, &https), Credentials::None);
    }

    #[test]
    fn other_cookies_in_utf8_do_not_hide_the_session() {
        let local = config("http://localhost:8080");
        let mut h = HeaderMap::new();
        let header = axum::http::HeaderValue::from_bytes(
            "şehir=İstanbul; vitrin_session=abc; dil=türkçe".as_bytes(),
        )
        .unwrap();
        h.insert(COOKIE, header);
        assert_eq!(
            Credentials::from_headers(&h, &local),
            Credentials::Cookie("abc".into())
        );
    }
}
