//! HTTP routes and the layers around them.

pub mod caching;
pub mod client_ip;
pub mod graphql;
pub mod media_files;
pub mod pages;
pub mod persisted;
pub mod public_answers;
pub mod remembered;
pub mod request;
pub mod server;
pub mod sign_in;
pub mod storefront;
pub mod uploads;
pub mod web;
pub mod ws;

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use axum::Router;
use axum::extract::{MatchedPath, Request, State};
use axum::http::header::{
    ACCEPT, CACHE_CONTROL, CONTENT_TYPE, STRICT_TRANSPORT_SECURITY, X_CONTENT_TYPE_OPTIONS,
};
use axum::http::{HeaderName, HeaderValue, Method, StatusCode};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::cors::{Any, CorsLayer};
use tower_http::request_id::{
    MakeRequestId, PropagateRequestIdLayer, RequestId, SetRequestIdLayer,
};
use tower_http::set_header::SetResponseHeaderLayer;
use tower_http::trace::{DefaultOnResponse, TraceLayer};
use tracing::Level;

use crate::app::AppState;
use crate::error::ErrorCode;
use crate::schema::VitrinSchema;
use crate::slots::Slots;

/// What every handler can reach.
#[derive(Clone)]
pub struct HttpState {
    pub app: AppState,
    pub schema: VitrinSchema,
    pub public_answers: Arc<public_answers::PublicAnswers>,
    /// Documents of automatic persisted queries, by hash.
    pub persisted: Arc<persisted::PersistedQueries>,
    /// Storefront pages, remembered like public answers.
    pub pages: Arc<storefront::Pages>,
    /// Open websockets, per client network and in all.
    pub sockets: Slots,
    /// Running websocket operations per client network (over all its sockets).
    pub socket_operations: Slots,
}

const REQUEST_ID: HeaderName = HeaderName::from_static("x-request-id");

/// The whole HTTP surface of one instance.
pub fn router(app: AppState, schema: VitrinSchema) -> Router {
    let https = app.config().is_https();
    let web = web::routes(&app.config().web_dir);
    let limits = app.config().connections;
    let state = HttpState {
        app,
        schema,
        public_answers: Arc::new(public_answers::store()),
        persisted: Arc::new(persisted::PersistedQueries::new()),
        pages: Arc::new(storefront::pages()),
        sockets: Slots::new(
            limits.ws_max_connections_per_client,
            limits.ws_max_connections,
        ),
        // Each socket bounds its own operations; the total follows from the socket cap.
        socket_operations: Slots::new(limits.ws_max_operations_per_client, usize::MAX),
    };
    let router = Router::new()
        .route(
            "/graphql",
            get(graphql::get).post(graphql::post).layer(public_cors()),
        )
        .route("/graphql/ws", get(ws::upgrade))
        .route("/healthz", get(pages::healthz))
        .route("/readyz", get(pages::readyz))
        .route("/metrics", get(pages::metrics))
        .route("/media/{dir}/{file}", get(media_files::serve))
        .merge(web)
        .merge(storefront::routes())
        .merge(sign_in::routes())
        .layer(middleware::from_fn_with_state(
            state.clone(),
            count_responses,
        ))
        .with_state(state);
    let router = if https {
        router.layer(SetResponseHeaderLayer::if_not_present(
            STRICT_TRANSPORT_SECURITY,
            HeaderValue::from_static("max-age=63072000; includeSubDomains"),
        ))
    } else {
        router
    };
    router
        .layer(SetResponseHeaderLayer::if_not_present(
            CACHE_CONTROL,
            caching::PRIVATE,
        ))
        .layer(SetResponseHeaderLayer::if_not_present(
            X_CONTENT_TYPE_OPTIONS,
            HeaderValue::from_static("nosniff"),
        ))
        .layer(CatchPanicLayer::custom(|_| {
            request::HttpError::new(
                StatusCode::INTERNAL_SERVER_ERROR,
                ErrorCode::Internal,
                crate::error::INTERNAL_MESSAGE,
            )
            .into_response()
        }))
        .layer(PropagateRequestIdLayer::new(REQUEST_ID))
        .layer(
            TraceLayer::new_for_http()
                .make_span_with(|request: &Request| {
                    let id = request
                        .headers()
                        .get(REQUEST_ID)
                        .and_then(|v| v.to_str().ok())
                        .unwrap_or("-");
                    tracing::info_span!("request", id, method = %request.method(), path = request.uri().path())
                })
                .on_response(DefaultOnResponse::new().level(Level::INFO)),
        )
        .layer(SetRequestIdLayer::new(REQUEST_ID, RequestIds::default()))
}

/// Widgets on other sites call the public API: any origin may, but never with
/// credentials (so a cross-site page cannot act with an admin's cookie).
fn public_cors() -> CorsLayer {
    CorsLayer::new()
        .allow_origin(Any)
        .allow_methods([Method::GET, Method::POST])
        .allow_headers([CONTENT_TYPE, ACCEPT])
        .max_age(std::time::Duration::from_secs(3600))
}

async fn count_responses(State(state): State<HttpState>, request: Request, next: Next) -> Response {
    let route = request
        .extensions()
        .get::<MatchedPath>()
        .map_or_else(|| "unmatched".to_owned(), |p| p.as_str().to_owned());
    let response = next.run(request).await;
    state
        .app
        .services
        .metrics
        .observe_http(&route, response.status().as_u16());
    response
}

/// Request ids: a random per-process prefix and a counter, short enough to read in logs.
#[derive(Clone)]
struct RequestIds {
    prefix: Arc<str>,
    next: Arc<AtomicU64>,
}

impl Default for RequestIds {
    fn default() -> Self {
        RequestIds {
            prefix: format!("{:08x}", rand::random::<u32>()).into(),
            next: Arc::new(AtomicU64::new(1)),
        }
    }
}

impl MakeRequestId for RequestIds {
    fn make_request_id<B>(&mut self, _: &axum::http::Request<B>) -> Option<RequestId> {
        let n = self.next.fetch_add(1, Ordering::Relaxed);
        HeaderValue::from_str(&format!("{}-{n}", self.prefix))
            .ok()
            .map(RequestId::new)
    }
}
