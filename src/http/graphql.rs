//! `POST /graphql` and `GET /graphql` per the GraphQL over HTTP specification: content
//! negotiation, request errors as 4xx under `application/graphql-response+json`,
//! mutations refused over GET, no batching, a body limit, and CSRF rules for cookies.

use std::net::SocketAddr;
use std::time::Instant;

use async_graphql::parser::types::OperationType;
use async_graphql::{Request as GqlRequest, Response as GqlResponse, Value};
use axum::body::{Body, Bytes};
use axum::extract::{ConnectInfo, RawQuery, State};
use axum::http::header::{CACHE_CONTROL, CONTENT_TYPE, ETAG, SET_COOKIE, VARY};
use axum::http::{HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use chrono::{DateTime, Utc};
use serde_json::json;

use super::client_ip::client_ip;
use super::request::{
    APPLICATION_JSON, HttpError, ResponseFormat, negotiate, read_limited, request_from_json,
};
use super::uploads::Allowance;
use super::{HttpState, caching, public_answers, remembered};
use crate::auth::Viewer;
use crate::auth::cookies::{self, Credentials};
use crate::error::ErrorCode;
use crate::graphql::context::{AnswerHorizon, CartToken, request_data};

fn not_acceptable() -> Response {
    HttpError::new(
        StatusCode::NOT_ACCEPTABLE,
        ErrorCode::BadUserInput,
        "Accept must allow application/graphql-response+json or application/json.",
    )
    .into_response()
}

/// `POST /graphql`.
pub async fn post(
    State(state): State<HttpState>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    body: Body,
) -> Response {
    let Some(format) = negotiate(&headers) else {
        return not_acceptable();
    };
    let media_type = headers
        .get(CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .map(|v| {
            v.split(';')
                .next()
                .unwrap_or("")
                .trim()
                .to_ascii_lowercase()
        })
        .unwrap_or_default();
    let credentials = Credentials::from_headers(&headers, state.app.config());
    // Known before the body only for uploads; other requests look the session up once
    // their body has passed the cheap checks.
    let mut uploader = None;
    let mut request = match media_type.as_str() {
        APPLICATION_JSON => match read_json_request(&state, &headers, body).await {
            Ok(request) => request,
            Err(error) => return error.into_response(),
        },
        "multipart/form-data"
            if !matches!(credentials, Credentials::Cookie(_)) || has_preflight_header(&headers) =>
        {
            // Only administrators upload: nobody else gets to make the server spool
            // files to disk.
            let viewer = match viewer(&state, &credentials).await {
                Ok(viewer) => viewer,
                Err(error) => return error.into_response(),
            };
            let allowance = match may_upload(&state, &viewer) {
                Ok(allowance) => allowance,
                Err(error) => return error.into_response(),
            };
            uploader = Some(viewer);
            match super::uploads::read_multipart_request(&state, &headers, body, allowance).await {
                Ok(request) => request,
                Err(error) => return error.into_response(),
            }
        }
        "multipart/form-data" => {
            return HttpError::new(
                StatusCode::FORBIDDEN,
                ErrorCode::Forbidden,
                "A multipart request authenticated by cookie must carry the x-vitrin-csrf (or apollo-require-preflight) header.",
            )
            .into_response();
        }
        _ => {
            return HttpError::new(
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                ErrorCode::BadUserInput,
                "Send GraphQL requests as application/json (or multipart/form-data for uploads).",
            )
            .into_response();
        }
    };
    if let Err(refusal) = state.persisted.resolve(&mut request, format) {
        return refusal.into_response();
    }
    let viewer = match uploader {
        Some(viewer) => viewer,
        None => match viewer(&state, &credentials).await {
            Ok(viewer) => viewer,
            Err(error) => return error.into_response(),
        },
    };
    let renewed = renewed_cookie(&state, &credentials, &viewer);
    with_cookie(
        execute(&state, request, viewer, peer, &headers, format).await,
        renewed,
    )
}

/// The session cookie again, with its new lifetime, when this request extended the
/// session it holds (a Bearer token's holder learns the end from `mySessions`).
fn renewed_cookie(
    state: &HttpState,
    credentials: &Credentials,
    viewer: &Viewer,
) -> Option<HeaderValue> {
    let until = viewer.renewed_until()?;
    let Credentials::Cookie(token) = credentials else {
        return None;
    };
    let max_age = (until - state.app.services.clock.now()).num_seconds();
    HeaderValue::from_str(&cookies::session(state.app.config(), token, max_age)).ok()
}

/// Adds the renewed cookie unless the operation set one itself (signing in or out wins).
fn with_cookie(mut response: Response, cookie: Option<HeaderValue>) -> Response {
    if let Some(cookie) = cookie.filter(|_| !response.headers().contains_key(SET_COOKIE)) {
        response.headers_mut().append(SET_COOKIE, cookie);
    }
    response
}

/// What the viewer may upload: administrators the media library's files, customers one
/// review photo at a time (the resolvers decide what each upload is for).
fn may_upload(state: &HttpState, viewer: &Viewer) -> Result<Allowance, HttpError> {
    match viewer {
        Viewer::SignedIn { user, .. } if user.role == crate::auth::Role::Admin => {
            Ok(Allowance::library(state.app.config()))
        }
        Viewer::SignedIn { .. } => Ok(Allowance::customer_photo()),
        Viewer::SessionEnded => Err(HttpError::new(
            StatusCode::UNAUTHORIZED,
            ErrorCode::Unauthenticated,
            "Your session has ended. Sign in again.",
        )),
        Viewer::Anonymous => Err(HttpError::new(
            StatusCode::UNAUTHORIZED,
            ErrorCode::Unauthenticated,
            "Sign in to upload files.",
        )),
    }
}

/// `GET /graphql`: queries only.
pub async fn get(
    State(state): State<HttpState>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    RawQuery(query): RawQuery,
) -> Response {
    let Some(format) = negotiate(&headers) else {
        return not_acceptable();
    };
    let mut request = match parse_get_request(query.as_deref().unwrap_or("")) {
        Ok(request) => request,
        Err(message) => {
            return HttpError::bad_request(message).into_response();
        }
    };
    if let Err(refusal) = state.persisted.resolve(&mut request, format) {
        return refusal.into_response();
    }
    if operation_type(&mut request) == Some(OperationType::Mutation) {
        return HttpError::new(
            StatusCode::METHOD_NOT_ALLOWED,
            ErrorCode::BadUserInput,
            "Mutations must be sent with POST.",
        )
        .allow("POST")
        .into_response();
    }
    let credentials = Credentials::from_headers(&headers, state.app.config());
    let viewer = match viewer(&state, &credentials).await {
        Ok(viewer) => viewer,
        Err(error) => return error.into_response(),
    };
    let renewed = renewed_cookie(&state, &credentials, &viewer);
    with_cookie(
        execute(&state, request, viewer, peer, &headers, format).await,
        renewed,
    )
}

fn has_preflight_header(headers: &HeaderMap) -> bool {
    headers.contains_key("x-vitrin-csrf") || headers.contains_key("apollo-require-preflight")
}

async fn read_json_request(
    state: &HttpState,
    headers: &HeaderMap,
    body: Body,
) -> Result<GqlRequest, HttpError> {
    let config = state.app.config();
    let (limit, within) = (
        config.graphql.max_body_bytes,
        config.connections.body_timeout,
    );
    let bytes = read_limited(headers, body, limit, within).await?;
    let value: serde_json::Value = serde_json::from_slice(&bytes)
        .map_err(|e| HttpError::bad_request(format!("The request body is not valid JSON: {e}.")))?;
    if value.is_array() {
        return Err(HttpError::bad_request(
            "Batched requests are not supported: send one operation per request.",
        ));
    }
    request_from_json(value)
}

fn parse_get_request(raw: &str) -> Result<GqlRequest, String> {
    let mut query = None;
    let mut operation_name = None;
    let mut variables = None;
    let mut extensions = None;
    for (key, value) in url::form_urlencoded::parse(raw.as_bytes()) {
        let slot = match key.as_ref() {
            "query" => &mut query,
            "operationName" => &mut operation_name,
            "variables" => &mut variables,
            "extensions" => &mut extensions,
            other => return Err(format!("Unknown request parameter {other:?}.")),
        };
        // A cache in front could read another copy than we do.
        if slot.replace(value.into_owned()).is_some() {
            return Err(format!(
                "The request parameter {key:?} is given more than once."
            ));
        }
    }
    // A persisted query's document may be left out (`persisted` fills it in).
    let query = match (query, &extensions) {
        (Some(query), _) => query,
        (None, Some(_)) => String::new(),
        (None, None) => return Err("The request has no \"query\" parameter.".to_owned()),
    };
    let mut request = GqlRequest::new(query);
    if let Some(name) = operation_name.filter(|n| !n.is_empty()) {
        request = request.operation_name(name);
    }
    if let Some(raw) = variables.filter(|v| !v.is_empty()) {
        let json: serde_json::Value = serde_json::from_str(&raw)
            .map_err(|e| format!("\"variables\" is not valid JSON: {e}."))?;
        if !json.is_object() {
            return Err("\"variables\" must be a JSON object.".to_owned());
        }
        request = request.variables(async_graphql::Variables::from_json(json));
    }
    if let Some(raw) = extensions.filter(|v| !v.is_empty()) {
        let json: serde_json::Value = serde_json::from_str(&raw)
            .map_err(|e| format!("\"extensions\" is not valid JSON: {e}."))?;
        request.extensions = serde_json::from_value(json)
            .map_err(|_| "\"extensions\" must be a JSON object.".to_owned())?;
    }
    Ok(request)
}

/// The type of the operation a request will run, when its document parses (parsed
/// once: execution reuses the document).
fn operation_type(request: &mut GqlRequest) -> Option<OperationType> {
    let name = request.operation_name.clone();
    let document = request.parsed_query().ok()?;
    let mut operations = document.operations.iter();
    match &name {
        Some(name) => operations.find(|(n, _)| n.is_some_and(|n| n.as_str() == name)),
        None => operations.next(),
    }
    .map(|(_, op)| op.node.ty)
}

/// Resolves who is asking: a token that names no live session is remembered as such,
/// so guarded fields can say "your session has ended" instead of "sign in".
pub async fn viewer(state: &HttpState, credentials: &Credentials) -> Result<Viewer, HttpError> {
    match credentials.token() {
        None => Ok(Viewer::Anonymous),
        Some(token) => state.app.auth.resolve_session(token).await.map_err(|e| {
            tracing::error!(error = ?e, "resolving a session failed");
            HttpError::new(
                StatusCode::SERVICE_UNAVAILABLE,
                ErrorCode::Internal,
                crate::error::INTERNAL_MESSAGE,
            )
        }),
    }
}

/// Runs a request as `viewer`. Anonymous answers that read only the public statistics
/// are remembered ([`public_answers`]).
async fn execute(
    state: &HttpState,
    mut request: GqlRequest,
    viewer: Viewer,
    peer: SocketAddr,
    headers: &HeaderMap,
    format: ResponseFormat,
) -> Response {
    // Before anything here parses the document (the parser's recursion has no bound of
    // its own).
    if let Err(e) = crate::schema::limits::check_text(&request.query) {
        return graphql_response(GqlResponse::from_errors(vec![e]), format);
    }
    let key = matches!(viewer, Viewer::Anonymous)
        .then(|| public_answers::key(&request, format))
        .flatten();
    let svc = &state.app.services;
    let started = Instant::now();
    if let Some(answer) = key
        .as_deref()
        .and_then(|key| state.public_answers.get(&svc.events, svc.clock.now(), key))
    {
        svc.metrics
            .observe_graphql(&answer.operation, "ok", started.elapsed());
        return public_response(&answer, format, headers, svc.clock.now());
    }
    // Decided on the parsed document, which execution then reuses.
    let remember_as = key.and_then(|key| {
        let cacheable = public_answers::cacheable(request.parsed_query().ok()?)?;
        let generations = remembered::generations(&svc.events, &cacheable.topics);
        Some((key, cacheable, generations))
    });
    let client = client_ip(peer.ip(), headers, &svc.config.trusted_proxies);
    let is_mutation = operation_type(&mut request) == Some(OperationType::Mutation);
    request.data = request_data(&state.app, viewer, client);
    request.data.insert(CartToken(cookies::cart_value(
        headers,
        &state.app.services.config,
    )));
    // Only an answer that may be remembered needs to know when it stops being true
    // (finding out can cost a query).
    let horizon = AnswerHorizon::default();
    if remember_as.is_some() {
        request.data.insert(horizon.clone());
    }
    let schema = state.schema.clone();
    let response = if is_mutation {
        // Executed in its own task: a client that disconnects must not cut a mutation off
        // between its commit and what follows it (cache invalidation, e-mail, file cleanup).
        match tokio::spawn(async move { schema.execute(request).await }).await {
            Ok(response) => response,
            Err(e) => {
                tracing::error!(error = %e, "executing a GraphQL mutation failed");
                return HttpError::new(
                    StatusCode::INTERNAL_SERVER_ERROR,
                    ErrorCode::Internal,
                    crate::error::INTERNAL_MESSAGE,
                )
                .into_response();
            }
        }
    } else {
        // A query runs in the request's own future: when the client goes, the connection
        // drops it and its work ends; past the budget it ends too.
        let budget = svc.config.graphql.request_timeout;
        match tokio::time::timeout(budget, schema.execute(request)).await {
            Ok(response) => response,
            Err(_) => {
                tracing::warn!(
                    ?budget,
                    "a GraphQL query ran past its time budget and was stopped"
                );
                return HttpError::new(
                    StatusCode::SERVICE_UNAVAILABLE,
                    ErrorCode::Internal,
                    format!(
                        "The request took longer than {} s and was stopped.",
                        budget.as_secs()
                    ),
                )
                .into_response();
            }
        }
    };
    match remember_as {
        Some((key, cacheable, generations))
            if response.errors.is_empty() && response.http_headers.is_empty() =>
        {
            let (_, body) = render(&response, format);
            let answer = public_answers::Answer {
                etag: caching::etag_of(&body),
                body,
                operation: cacheable.operation.into(),
                tags: caching::tags(&cacheable.topics),
                expires: horizon.get(),
            };
            let response = public_response(&answer, format, headers, svc.clock.now());
            state
                .public_answers
                .remember(key, generations, answer.expires, answer);
            response
        }
        _ => graphql_response(response, format),
    }
}

/// A GraphQL response body with the negotiated media type, never cached.
fn json_response(status: StatusCode, body: Bytes, format: ResponseFormat) -> Response {
    let mut http = (status, body).into_response();
    let headers = http.headers_mut();
    headers.insert(
        CONTENT_TYPE,
        HeaderValue::from_static(format.content_type()),
    );
    headers.insert(CACHE_CONTROL, caching::PRIVATE);
    http
}

/// How long shared caches keep a public answer: the edge is told at once when one
/// changes, so this only bounds what a lost purge can cost.
const SHARED_SECONDS: i64 = 300;
/// How long past that the edge may answer with it while it asks again.
const STALE_SECONDS: i64 = 60;

/// A public answer: kept by shared caches (never by browsers, which would not hear of
/// changes) until it stops being true, under the tags of the topics it follows; `304`
/// when the client already has it.
fn public_response(
    answer: &public_answers::Answer,
    format: ResponseFormat,
    request: &HeaderMap,
    now: DateTime<Utc>,
) -> Response {
    let status = if caching::matches_etag(request, answer.etag.to_str().unwrap_or_default()) {
        StatusCode::NOT_MODIFIED
    } else {
        StatusCode::OK
    };
    let body = if status == StatusCode::OK {
        answer.body.clone()
    } else {
        Bytes::new()
    };
    let mut http = json_response(status, body, format);
    // An answer that ends at a sale's start or end is not served past it.
    let (shared, stale) = match answer.expires {
        Some(expires) => ((expires - now).num_seconds().clamp(0, SHARED_SECONDS), 0),
        None => (SHARED_SECONDS, STALE_SECONDS),
    };
    if shared == 0 {
        return http;
    }
    let headers = http.headers_mut();
    if let Ok(value) = HeaderValue::from_str(&format!(
        "public, max-age=0, s-maxage={shared}, stale-while-revalidate={stale}"
    )) {
        headers.insert(CACHE_CONTROL, value);
    }
    headers.insert(ETAG, answer.etag.clone());
    // The same document answers in two media types.
    headers.insert(VARY, HeaderValue::from_static("Accept"));
    if let Some(tags) = &answer.tags {
        headers.insert(caching::CACHE_TAG, tags.clone());
    }
    http
}

/// Serialises a GraphQL response with the status the negotiated format calls for.
pub fn graphql_response(response: GqlResponse, format: ResponseFormat) -> Response {
    let (status, body) = render(&response, format);
    let mut http = json_response(status, body, format);
    let headers = http.headers_mut();
    for (name, value) in response.http_headers.iter() {
        headers.append(name.clone(), value.clone());
    }
    http
}

/// The status and body of a GraphQL response.
fn render(response: &GqlResponse, format: ResponseFormat) -> (StatusCode, Bytes) {
    // Errors raised before execution carry no path and leave no data: a request error.
    let request_error = response.data == Value::Null
        && !response.errors.is_empty()
        && response.errors.iter().all(|e| e.path.is_empty());
    let status = match format {
        ResponseFormat::GraphqlResponse if request_error => StatusCode::BAD_REQUEST,
        _ => StatusCode::OK,
    };
    let body = if request_error {
        json!({ "errors": response.errors }).to_string()
    } else {
        serde_json::to_string(response).unwrap_or_else(|_| {
            json!({ "errors": [{ "message": crate::error::INTERNAL_MESSAGE }] }).to_string()
        })
    };
    (status, Bytes::from(body))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn get_parameters_parse_and_mutations_are_recognised() {
        let mut request = parse_get_request("query=mutation%7Blogout%7D").unwrap();
        assert_eq!(operation_type(&mut request), Some(OperationType::Mutation));
        let mut request = parse_get_request("query=%7Bme%7Bid%7D%7D&variables=%7B%7D").unwrap();
        assert_eq!(operation_type(&mut request), Some(OperationType::Query));
        assert!(parse_get_request("variables=%7B%7D").is_err());
        assert!(parse_get_request("query=x&variables=%5B%5D").is_err());
    }
}
