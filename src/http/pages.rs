//! GraphiQL, the health check and the metrics endpoint.

use async_graphql::http::GraphiQLSource;
use axum::extract::State;
use axum::http::StatusCode;
use axum::http::header::CONTENT_TYPE;
use axum::response::{Html, IntoResponse, Response};
use serde_json::json;

use super::HttpState;

/// GraphiQL, wired to `/graphql` and to the websocket for subscriptions.
pub async fn graphiql() -> Html<String> {
    Html(
        GraphiQLSource::build()
            .endpoint("/graphql")
            .subscription_endpoint("/graphql/ws")
            .title("Vitrin GraphiQL")
            .finish(),
    )
}

/// `GET /healthz`: 200 when the database answers, 503 otherwise.
pub async fn healthz(State(state): State<HttpState>) -> Response {
    match state.app.db.ping().await {
        Ok(()) => (
            StatusCode::OK,
            axum::Json(json!({ "status": "ok", "database": "ok" })),
        )
            .into_response(),
        Err(e) => {
            tracing::error!(error = %e, "health check: database unreachable");
            (
                StatusCode::SERVICE_UNAVAILABLE,
                axum::Json(json!({ "status": "unavailable", "database": "unreachable" })),
            )
                .into_response()
        }
    }
}

/// `GET /metrics` in the Prometheus text format.
pub async fn metrics(State(state): State<HttpState>) -> Response {
    (
        [(CONTENT_TYPE, "text/plain; version=0.0.4; charset=utf-8")],
        state.app.metrics.render(),
    )
        .into_response()
}
