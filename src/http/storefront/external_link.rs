//! `/go/{slug}`: the "buy" link of a product sold through an external link. It counts
//! the click and answers `302` to the link stored with the product — never to an
//! address from the request — while its host is on the shop's allow-list.

use std::net::SocketAddr;

use axum::extract::{ConnectInfo, Path, RawQuery, State};
use axum::http::header::{CACHE_CONTROL, LOCATION, REFERER};
use axum::http::{HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};

use super::{Failure, failure_page};
use crate::http::HttpState;
use crate::http::client_ip::client_ip;
use crate::locale::Locale;
use crate::shop::external::{Click, Destination};

/// Follows a product's external link.
pub async fn follow(
    State(state): State<HttpState>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    Path(slug): Path<String>,
    headers: HeaderMap,
    RawQuery(query): RawQuery,
) -> Response {
    let config = state.app.config();
    // The widget's anonymous visitor id, which the product page adds as `?v=`.
    let visitor_id = url::form_urlencoded::parse(query.as_deref().unwrap_or_default().as_bytes())
        .find(|(name, _)| name == "v")
        .map(|(_, value)| value.into_owned());
    let click = Click {
        visitor_id: visitor_id.as_deref(),
        referrer: headers.get(REFERER).and_then(|v| v.to_str().ok()),
        client: client_ip(peer.ip(), &headers, &config.trusted_proxies),
    };
    let (status, location) = match state.app.shop.follow_external_link(&slug, click).await {
        Ok(Some(Destination::Outside(link))) => (StatusCode::FOUND, link),
        Ok(Some(Destination::Renamed(slug))) => {
            (StatusCode::MOVED_PERMANENTLY, format!("/go/{slug}"))
        }
        Ok(None) => {
            return failure_page(&headers, Failure::NotFound, Locale::Tr, &config.site_name);
        }
        Err(e) => return failure_page(&headers, Failure::from(e), Locale::Tr, &config.site_name),
    };
    let Ok(location) = HeaderValue::from_str(&location) else {
        return failure_page(&headers, Failure::NotFound, Locale::Tr, &config.site_name);
    };
    (
        status,
        [
            (LOCATION, location),
            (CACHE_CONTROL, HeaderValue::from_static("no-store")),
        ],
    )
        .into_response()
}
