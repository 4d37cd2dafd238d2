//! The storefront's templates (`templates/`, compiled into the binary) and how a
//! rendered page is answered: `ETag` from its bytes, `304` to a matching
//! `If-None-Match`, `Cache-Control` by kind of page.

use std::sync::LazyLock;

use axum::body::Bytes;
use axum::http::header::{CACHE_CONTROL, CONTENT_LANGUAGE, CONTENT_TYPE, ETAG, VARY};
use axum::http::{HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use minijinja::{AutoEscape, Environment, Error, ErrorKind, Output, State, Value};

use crate::http::caching::{CACHE_TAG, etag_of, matches_etag, tags};

/// Every template, by the name pages render it with.
const TEMPLATES: &[(&str, &str)] = &[
    ("base.html", include_str!("../../../templates/base.html")),
    ("list.html", include_str!("../../../templates/list.html")),
    ("cards.html", include_str!("../../../templates/cards.html")),
    ("forms.html", include_str!("../../../templates/forms.html")),
    ("shop.html", include_str!("../../../templates/shop.html")),
    (
        "product.html",
        include_str!("../../../templates/product.html"),
    ),
    ("error.html", include_str!("../../../templates/error.html")),
    (
        "account.html",
        include_str!("../../../templates/account.html"),
    ),
    (
        "sitemap.xml",
        include_str!("../../../templates/sitemap.xml"),
    ),
];

/// The storefront's stylesheet: the design tokens the dashboard uses, then its own rules.
pub static STYLESHEET: LazyLock<String> = LazyLock::new(|| {
    [
        include_str!("../../../web/src/styles/tokens.css"),
        include_str!("../../../templates/storefront.css"),
    ]
    .concat()
});

static ENVIRONMENT: LazyLock<Environment<'static>> = LazyLock::new(|| {
    let mut env = Environment::new();
    env.set_formatter(escape);
    for (name, source) in TEMPLATES {
        // The templates are part of the binary; a test renders each of them.
        if let Err(e) = env.add_template(name, source) {
            tracing::error!(template = name, error = %e, "a storefront template does not compile");
        }
    }
    env
});

/// HTML and XML escaping of the characters that end an attribute or start markup.
/// minijinja's own also escapes `/`, which turns every URL into `&#x2f;` soup that
/// browsers read alike but people and some preview crawlers do not.
fn escape(out: &mut Output, state: &State, value: &Value) -> Result<(), Error> {
    let text = match value.as_str() {
        Some(text) if state.auto_escape() != AutoEscape::None && !value.is_safe() => text,
        _ => return minijinja::escape_formatter(out, state, value),
    };
    let mut rest = text;
    while let Some(at) = rest.find(['&', '<', '>', '"', '\'']) {
        let entity = match rest.as_bytes()[at] {
            b'&' => "&amp;",
            b'<' => "&lt;",
            b'>' => "&gt;",
            b'"' => "&quot;",
            _ => "&#x27;",
        };
        out.write_str(&rest[..at])
            .and_then(|()| out.write_str(entity))
            .map_err(write_failed)?;
        rest = &rest[at + 1..];
    }
    out.write_str(rest).map_err(write_failed)
}

fn write_failed(_: std::fmt::Error) -> Error {
    Error::new(ErrorKind::WriteFailure, "writing the page failed")
}

/// How long caches may keep an answer.
#[derive(Debug, Clone, Copy)]
pub enum Freshness {
    /// Catalogue pages: a minute, then served stale while revalidating (prices and
    /// sale windows change; a minute late is acceptable on a storefront).
    Page,
    /// Missing pages and bad addresses: briefly, so that a product made active shows up.
    Error,
    /// The stylesheet and robots.txt.
    Static,
    /// Account pages: what they show depends on the address and the browser.
    Private,
}

impl Freshness {
    /// Whether shared caches keep it, to be forgotten when the catalogue changes.
    fn is_shared(self) -> bool {
        matches!(self, Freshness::Page | Freshness::Error)
    }

    fn header(self) -> HeaderValue {
        HeaderValue::from_static(match self {
            Freshness::Page => "public, max-age=60, stale-while-revalidate=600",
            Freshness::Error => "public, max-age=30",
            Freshness::Static => "public, max-age=3600",
            Freshness::Private => "private, no-store",
        })
    }
}

/// `template` rendered with `context`; a failure is logged and becomes `None`.
pub fn render(template: &str, context: minijinja::Value) -> Option<String> {
    let rendered = ENVIRONMENT
        .get_template(template)
        .and_then(|t| t.render(context));
    match rendered {
        Ok(body) => Some(body),
        Err(e) => {
            tracing::error!(template, error = %format!("{e:#}"), "rendering a storefront page failed");
            None
        }
    }
}

/// A rendered answer with the `ETag` of its bytes, as it is sent and remembered.
#[derive(Clone)]
pub struct Rendered {
    status: StatusCode,
    content_type: &'static str,
    language: Option<&'static str>,
    freshness: Freshness,
    body: Bytes,
    etag: HeaderValue,
}

impl Rendered {
    /// `body` with its validator.
    pub fn new(
        status: StatusCode,
        content_type: &'static str,
        language: Option<&'static str>,
        freshness: Freshness,
        body: String,
    ) -> Rendered {
        let etag = etag_of(body.as_bytes());
        Rendered {
            status,
            content_type,
            language,
            freshness,
            body: Bytes::from(body),
            etag,
        }
    }

    /// How many bytes it holds (for the memory budget of remembered pages).
    pub fn bytes(&self) -> usize {
        self.body.len()
    }

    /// The answer to `request`: `304` when it already has these bytes.
    pub fn respond(&self, request: &HeaderMap) -> Response {
        let mut headers = HeaderMap::new();
        headers.insert(CACHE_CONTROL, self.freshness.header());
        headers.insert(VARY, HeaderValue::from_static("Accept-Encoding"));
        headers.insert(ETAG, self.etag.clone());
        if let Some(tags) = tags(&super::FOLLOWS).filter(|_| self.freshness.is_shared()) {
            headers.insert(CACHE_TAG, tags);
        }
        if let Some(language) = self.language {
            headers.insert(CONTENT_LANGUAGE, HeaderValue::from_static(language));
        }
        let etag = self.etag.to_str().unwrap_or_default();
        if self.status == StatusCode::OK && matches_etag(request, etag) {
            return (StatusCode::NOT_MODIFIED, headers).into_response();
        }
        headers.insert(CONTENT_TYPE, HeaderValue::from_static(self.content_type));
        (self.status, headers, self.body.clone()).into_response()
    }
}

/// An answer with an `ETag` of its bytes; `304` when the client already has them.
pub fn respond(
    request: &HeaderMap,
    status: StatusCode,
    content_type: &'static str,
    language: Option<&'static str>,
    freshness: Freshness,
    body: String,
) -> Response {
    Rendered::new(status, content_type, language, freshness, body).respond(request)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_template_compiles() {
        for (name, _) in TEMPLATES {
            assert!(ENVIRONMENT.get_template(name).is_ok(), "{name}");
        }
    }

    #[test]
    fn markup_is_escaped_and_urls_stay_readable() {
        let mut env = Environment::new();
        env.set_formatter(escape);
        env.add_template("t.html", "<a href=\"{{ url }}\">{{ name }}</a>")
            .unwrap();
        let html = env
            .get_template("t.html")
            .and_then(|t| {
                t.render(minijinja::context! { url => "/urun/a?b=1&c=2", name => "<b>'x\"</b>" })
            })
            .unwrap();
        assert_eq!(
            html,
            "<a href=\"/urun/a?b=1&amp;c=2\">&lt;b&gt;&#x27;x&quot;&lt;/b&gt;</a>"
        );
    }
}
