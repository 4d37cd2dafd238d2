//! The built web client (`web/dist`): the dashboard SPA under `/dashboard/`, GraphiQL
//! at `/graphiql` and the embeddable widgets under `/widgets/`, with the security
//! headers these pages need. Everything is served from here: no page loads script or
//! style from another host.

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

/// No inline scripts or styles, nothing from elsewhere but Cloudinary's media, never
/// framed. Fonts may be `data:` URLs: GraphiQL's stylesheet embeds its fonts so (a font
/// cannot run script).
pub const CSP: &str = "default-src 'self'; script-src 'self'; style-src 'self'; \
    img-src 'self' data: blob: https://res.cloudinary.com; media-src 'self' blob: https://res.cloudinary.com; \
    font-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; base-uri 'self'; \
    form-action 'self'; object-src 'none'";

/// Where GraphiQL's page carries the nonce of its response's policy.
const NONCE_PLACEHOLDER: &str = "__CSP_NONCE__";

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
        let page = not_built_page(web_dir);
        Router::new()
            .route("/dashboard/", page.clone())
            .route("/dashboard/{*path}", page)
    };
    let graphiql_index = web_dir.join("graphiql/index.html");
    let graphiql: Router<S> = if graphiql_index.is_file() {
        Router::new()
            .route(
                "/graphiql",
                get(move || graphiql_page(graphiql_index.clone())),
            )
            .nest_service(
                "/graphiql/assets",
                ServeDir::new(web_dir.join("graphiql/assets")),
            )
            .layer(middleware::map_response_with_state((), cache_by_path))
    } else {
        Router::new().route("/graphiql", not_built_page(web_dir))
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
        .merge(graphiql)
        .merge(widgets)
        .layer(SetResponseHeaderLayer::if_not_present(
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

/// GraphiQL's page under the same policy, plus a fresh nonce for the `<style>` elements
/// its dialogs insert to lock scrolling (Radix's react-remove-scroll takes the nonce from
/// the page); no other inline style or script is allowed.
async fn graphiql_page(index: PathBuf) -> Response {
    let html = match tokio::fs::read_to_string(&index).await {
        Ok(html) => html,
        Err(e) => {
            tracing::error!(error = %e, path = %index.display(), "reading GraphiQL's page failed");
            return StatusCode::INTERNAL_SERVER_ERROR.into_response();
        }
    };
    let nonce = crate::auth::tokens::generate().raw;
    let policy = CSP.replacen(
        "style-src 'self'",
        &format!("style-src 'self' 'nonce-{nonce}'"),
        1,
    );
    let Ok(policy) = HeaderValue::from_str(&policy) else {
        return StatusCode::INTERNAL_SERVER_ERROR.into_response();
    };
    (
        [
            (CONTENT_SECURITY_POLICY, policy),
            (CACHE_CONTROL, HeaderValue::from_static("no-store")),
        ],
        Html(html.replace(NONCE_PLACEHOLDER, &nonce)),
    )
        .into_response()
}

/// Hashed assets never change; the app's HTML must be revalidated to pick up new builds.
async fn cache_by_path(State(()): State<()>, uri: Uri, mut response: Response) -> Response {
    let path = uri.path();
    let value = if path.starts_with("/dashboard/assets/") || path.starts_with("/graphiql/assets/") {
        "public, max-age=31536000, immutable"
    } else {
        "no-cache"
    };
    response
        .headers_mut()
        .insert(CACHE_CONTROL, HeaderValue::from_static(value));
    response
}

/// The page answering where the web client has not been built.
fn not_built_page<S: Clone + Send + Sync + 'static>(
    web_dir: &Path,
) -> axum::routing::MethodRouter<S> {
    let web_dir = web_dir.to_path_buf();
    get(move || not_built(web_dir.clone()))
}

async fn not_built(web_dir: PathBuf) -> Response {
    (
        StatusCode::SERVICE_UNAVAILABLE,
        Html(format!(
            "<!doctype html><html lang=\"tr\"><head><meta charset=\"utf-8\"><title>Vitrin</title></head><body>\
             <h1>Web istemcisi henüz derlenmedi / The web client has not been built</h1>\
             <p>The dashboard and GraphiQL were not found in <code>{}</code>. Build them with <code>make run</code> \
             (or <code>npm --prefix web ci &amp;&amp; npm --prefix web run build</code>) and reload this page. \
             The API works without them at <code>POST /graphql</code>.</p></body></html>",
            crate::mail::templates::escape(&web_dir.display().to_string())
        )),
    )
        .into_response()
}
