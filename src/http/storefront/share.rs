//! Sharing a product: the product page's share links (each carries `utm_source`, so
//! the owner sees shares in analytics) and the page that stops shared-product e-mails.

use axum::Router;
use axum::extract::{Form, Query, State};
use axum::http::HeaderMap;
use axum::response::Response;
use axum::routing::get;
use minijinja::context;
use serde::{Deserialize, Serialize};

use super::shop::page;
use crate::http::HttpState;
use crate::sharing::OPT_OUT_PATH;

/// A link to share a product on one network.
#[derive(Serialize)]
pub struct ShareLink {
    pub network: &'static str,
    pub label: &'static str,
    pub url: String,
    /// Opens in a new tab (everything but `mailto:`).
    pub new_tab: bool,
}

/// `url` tagged with where it was shared.
pub fn tagged(url: &str, source: &str) -> String {
    let mark = if url.contains('?') { '&' } else { '?' };
    format!("{url}{mark}utm_source={source}&utm_medium=share")
}

fn encode(text: &str) -> String {
    url::form_urlencoded::byte_serialize(text.as_bytes()).collect()
}

/// The share links of a product page at `url` named `name`.
pub fn links(url: &str, name: &str) -> Vec<ShareLink> {
    let link = |network, label, to: String| ShareLink {
        network,
        label,
        url: to,
        new_tab: network != "email",
    };
    vec![
        link(
            "whatsapp",
            "WhatsApp",
            format!(
                "https://wa.me/?text={}",
                encode(&format!("{name} {}", tagged(url, "whatsapp")))
            ),
        ),
        link(
            "facebook",
            "Facebook",
            format!(
                "https://www.facebook.com/sharer/sharer.php?u={}",
                encode(&tagged(url, "facebook"))
            ),
        ),
        link(
            "x",
            "X",
            format!(
                "https://x.com/intent/post?url={}&text={}",
                encode(&tagged(url, "x")),
                encode(name)
            ),
        ),
        link(
            "telegram",
            "Telegram",
            format!(
                "https://t.me/share/url?url={}&text={}",
                encode(&tagged(url, "telegram")),
                encode(name)
            ),
        ),
        link(
            "email",
            "E-posta",
            format!(
                "mailto:?subject={}&body={}",
                encode(name).replace('+', "%20"),
                encode(&tagged(url, "email")).replace('+', "%20")
            ),
        ),
    ]
}

/// The opt-out page.
pub fn routes() -> Router<HttpState> {
    Router::new().route(OPT_OUT_PATH, get(confirm).post(stop))
}

#[derive(Deserialize)]
struct Token {
    #[serde(default)]
    t: String,
}

/// Asks before stopping: mail scanners open links, and a GET must not change anything.
async fn confirm(
    State(state): State<HttpState>,
    headers: HeaderMap,
    Query(token): Query<Token>,
) -> Response {
    page(
        &state,
        &headers,
        "share-opt-out",
        "Paylaşım e-postalarını durdur",
        context! { token => token.t, done => false, unknown => false },
    )
}

async fn stop(
    State(state): State<HttpState>,
    headers: HeaderMap,
    Form(token): Form<Token>,
) -> Response {
    let stopped = state.app.sharing.opt_out(&token.t).await;
    let (done, unknown) = match stopped {
        Ok(true) => (true, false),
        Ok(false) => (false, true),
        Err(e) => {
            tracing::error!(error = ?e, "an opt-out could not be recorded");
            (false, true)
        }
    };
    page(
        &state,
        &headers,
        "share-opt-out",
        "Paylaşım e-postalarını durdur",
        context! { token => token.t, done, unknown },
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_share_link_names_its_source() {
        let links = links("https://shop.example/urun/canta", "Deri çanta");
        let whatsapp = &links[0].url;
        assert!(whatsapp.starts_with("https://wa.me/?text=Deri+%C3%A7anta+https"));
        assert!(whatsapp.contains("utm_source%3Dwhatsapp"));
        for (link, source) in links
            .iter()
            .zip(["whatsapp", "facebook", "x", "telegram", "email"])
        {
            assert!(
                link.url.contains(&format!("utm_source%3D{source}")),
                "{}",
                link.url
            );
        }
        assert!(
            links[4]
                .url
                .starts_with("mailto:?subject=Deri%20%C3%A7anta&body=")
        );
        assert!(!links[4].new_tab);
    }
}
