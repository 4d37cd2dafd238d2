//! The built web client (`web/dist`): the dashboard SPA under `/dashboard/` and the
//! embeddable widgets under `/widgets/`, with the security headers these pages need.

use std::path::{Path, PathBuf};

use axum::Router;
use axum::extract::State;
use axum::http::header::{
    ACCESS_CONTROL_ALLOW_ORIGIN, CACHE_CONTROL, CONTENT_SECURITY_POLICY, REFERRER_POLICY,
    X_FRAME_OPTIONS,
};
use axum::http::{HeaderValue, StatusCode, Uri};
use axum::middleware;
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::get;
use tower_http::services::{ServeDir, ServeFile};
use tower_http::set_header::SetResponseHeaderLayer;

/// No inline scripts or styles, nothing from elsewhere but Cloudinary's media, never framed.
const CSP: &str = "default-src 'self'; script-src 'self'; style-src 'self'; \
    img-src 'self' data: blob: https://res.cloudinary.com; media-src 'self' blob: https://res.cloudinary.com; \
    connect-src 'self'; frame-ancestors 'none'; base-uri 'self'; form-action 'self'; object-src 'none'";

/// Routes for the dashboard and the widgets, served from `web_dir`.
pub fn routes<S: Clone + Send + Sync + 'static>(web_dir: &Path) -> Router<S> {
    let index = web_dir.join("dashboard/index.html");
    let dashboard: Router<S> = if index.is_file() {
        // Paths keep their /dashboard/ prefix, so the files are looked up from web_dir;
        // unknown paths are the SPA's own routes and get its index.html.
        let files = ServeDir::new(web_dir).fallback(ServeFile::new(&index));
        Router::new()
            .route_service("/dashboard/", files.clone())
            .route_service("/dashboard/{*path}", files)
            .layer(middleware::map_response_with_state((), cache_by_path))
    } else {
        let web_dir = web_dir.to_path_buf();
        let page = get(move || not_built(web_dir.clone()));
        Router::new()
            .route("/dashboard/", page.clone())
            .route("/dashboard/{*path}", page)
    };
    let widgets_dir = web_dir.join("widgets");
    let widgets = Router::new()
        .route_service(
            "/widgets/demo",
            ServeFile::new(widgets_dir.join("demo.html")),
        )
        .nest_service("/widgets", ServeDir::new(&widgets_dir))
        // Other sites load the widget as a module script, which is fetched with CORS.
        .layer(SetResponseHeaderLayer::overriding(
            ACCESS_CONTROL_ALLOW_ORIGIN,
            HeaderValue::from_static("*"),
        ));
    Router::new()
        .route(
            "/dashboard",
            get(|| async { Redirect::permanent("/dashboard/") }),
        )
        .merge(dashboard)
        .merge(widgets)
        .layer(SetResponseHeaderLayer::overriding(
            CONTENT_SECURITY_POLICY,
            HeaderValue::from_static(CSP),
        ))
        .layer(SetResponseHeaderLayer::overriding(
            X_FRAME_OPTIONS,
            HeaderValue::from_static("DENY"),
        ))
        // The reset page carries a token in its fragment: never leak the URL in Referer.
        .layer(SetResponseHeaderLayer::overriding(
            REFERRER_POLICY,
            HeaderValue::from_static("no-referrer"),
        ))
}

/// Hashed assets never change; the app's HTML must be revalidated to pick up new builds.
async fn cache_by_path(State(()): State<()>, uri: Uri, mut response: Response) -> Response {
    let value = if uri.path().starts_with("/dashboard/assets/") {
        "public, max-age=31536000, immutable"
    } else {
        "no-cache"
    };
    response
        .headers_mut()
        .insert(CACHE_CONTROL, HeaderValue::from_static(value));
    response
}

async fn not_built(web_dir: PathBuf) -> Response {
    (
        StatusCode::SERVICE_UNAVAILABLE,
        Html(format!(
            "<!doctype html><html lang=\"tr\"><head><meta charset=\"utf-8\"><title>Vitrin</title></head><body>\
             <h1>Yönetim paneli henüz derlenmedi / The dashboard has not been built</h1>\
             <p>The web client was not found in <code>{}</code>. Build it with <code>make run</code> \
             (or <code>npm --prefix web ci &amp;&amp; npm --prefix web run build</code>) and reload this page. \
             The API and GraphiQL (<a href=\"/graphiql\">/graphiql</a>) work without it.</p></body></html>",
            crate::mail::templates::escape(&web_dir.display().to_string())
        )),
    )
        .into_response()
}
