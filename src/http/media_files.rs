//! `/media/…`: locally stored media, named by content hash, so cached forever; with
//! `ETag`, `nosniff` and HTTP Range (video seeking).

use axum::body::Body;
use axum::extract::{Path, State};
use axum::http::header::{CACHE_CONTROL, ETAG};
use axum::http::{HeaderMap, HeaderValue, Request, StatusCode};
use axum::response::{IntoResponse, Response};
use tower::ServiceExt;
use tower_http::services::ServeFile;

use super::HttpState;
use super::caching::{CACHE_TAG, matches_etag};
use crate::media::store::local::valid_key;

/// The tag of every stored file at the edge (with each file's own, which the server
/// purges when it deletes the file).
const MEDIA_TAG: &str = "media";

/// Serves one stored file.
pub async fn serve(
    State(state): State<HttpState>,
    Path((dir, file)): Path<(String, String)>,
    headers: HeaderMap,
    request: Request<Body>,
) -> Response {
    let key = format!("{dir}/{file}");
    if !valid_key(&key) {
        return StatusCode::NOT_FOUND.into_response();
    }
    let hash = file.split('.').next().unwrap_or_default();
    let etag = format!("\"{hash}\"");
    if matches_etag(&headers, &etag) {
        return with_cache_headers(StatusCode::NOT_MODIFIED.into_response(), &etag, &key);
    }
    let path = state.app.config().media_dir().join(&key);
    match ServeFile::new(path).oneshot(request).await {
        Ok(response)
            if response.status().is_success()
                || response.status() == StatusCode::PARTIAL_CONTENT =>
        {
            with_cache_headers(response.map(Body::new), &etag, &key)
        }
        Ok(response) => response.map(Body::new).into_response(),
        Err(never) => match never {},
    }
}

fn with_cache_headers(mut response: Response, etag: &str, key: &str) -> Response {
    let headers = response.headers_mut();
    headers.insert(
        CACHE_CONTROL,
        HeaderValue::from_static("public, max-age=31536000, immutable"),
    );
    if let Ok(tags) = HeaderValue::from_str(&format!("{MEDIA_TAG},{}", crate::edge::file_tag(key)))
    {
        headers.insert(CACHE_TAG, tags);
    }
    if let Ok(value) = HeaderValue::from_str(etag) {
        headers.insert(ETAG, value);
    }
    response
}
