//! The session cookie and where a request's credentials come from.

use axum::http::HeaderMap;
use axum::http::header::{AUTHORIZATION, COOKIE};

use crate::config::Config;

/// The cookie's name over HTTPS: the `__Host-` prefix pins it to this host and path.
const SECURE_NAME: &str = "__Host-vitrin_session";
/// The cookie's name on plain-http localhost, where browsers refuse `__Host-`.
const PLAIN_NAME: &str = "vitrin_session";

/// The `Set-Cookie` value for a session token (`max_age` 0 clears it).
pub fn session(config: &Config, token: &str, max_age: i64) -> String {
    let max_age = max_age.max(0);
    if config.secure_cookies() {
        format!("{SECURE_NAME}={token}; Path=/; Max-Age={max_age}; HttpOnly; SameSite=Lax; Secure")
    } else {
        format!("{PLAIN_NAME}={token}; Path=/; Max-Age={max_age}; HttpOnly; SameSite=Lax")
    }
}

/// How a request presents a session token.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Credentials {
    None,
    Bearer(String),
    Cookie(String),
}

impl Credentials {
    /// Reads `Authorization: Bearer …` (preferred) or the session cookie.
    pub fn from_headers(headers: &HeaderMap) -> Self {
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
        match session_cookie(headers) {
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

fn session_cookie(headers: &HeaderMap) -> Option<String> {
    headers
        .get_all(COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(name, value)| (*name == SECURE_NAME || *name == PLAIN_NAME) && !value.is_empty())
        .map(|(_, value)| value.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bearer_wins_over_cookie() {
        let mut h = HeaderMap::new();
        h.insert(COOKIE, "theme=dark; vitrin_session=abc".parse().unwrap());
        assert_eq!(
            Credentials::from_headers(&h),
            Credentials::Cookie("abc".into())
        );
        h.insert(AUTHORIZATION, "Bearer xyz".parse().unwrap());
        assert_eq!(
            Credentials::from_headers(&h),
            Credentials::Bearer("xyz".into())
        );
    }
}
