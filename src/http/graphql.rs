//! `POST /graphql` and `GET /graphql` per the GraphQL over HTTP specification: content
//! negotiation, request errors as 4xx under `application/graphql-response+json`,
//! mutations refused over GET, no batching, a body limit, and CSRF rules for cookies.

use std::net::SocketAddr;

use async_graphql::parser::types::OperationType;
use async_graphql::{Request as GqlRequest, Response as GqlResponse, Value};
use axum::body::{Body, Bytes};
use axum::extract::{ConnectInfo, RawQuery, State};
use axum::http::header::{ACCEPT, ALLOW, CACHE_CONTROL, CONTENT_LENGTH, CONTENT_TYPE};
use axum::http::{HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use http_body_util::{BodyExt, Limited};
use serde_json::json;

use super::client_ip::client_ip;
use super::cookies::Credentials;
use super::{HttpState, public_answers};
use crate::auth::{self, Viewer};
use crate::error::ErrorCode;
use crate::schema::context::RequestContext;

const GRAPHQL_RESPONSE_JSON: &str = "application/graphql-response+json";
const APPLICATION_JSON: &str = "application/json";

/// The media type of the response body.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ResponseFormat {
    /// `application/graphql-response+json`: request errors get 4xx statuses.
    GraphqlResponse,
    /// `application/json`: every well-formed request gets 200.
    Json,
}

impl ResponseFormat {
    fn content_type(self) -> &'static str {
        match self {
            ResponseFormat::GraphqlResponse => "application/graphql-response+json; charset=utf-8",
            ResponseFormat::Json => "application/json; charset=utf-8",
        }
    }
}

/// Picks the response format from `Accept` (highest q wins, the spec's type on ties);
/// `None` when the client accepts neither.
pub fn negotiate(headers: &HeaderMap) -> Option<ResponseFormat> {
    let Some(accept) = headers.get(ACCEPT).and_then(|v| v.to_str().ok()) else {
        return Some(ResponseFormat::Json);
    };
    let mut best: Option<(f32, ResponseFormat)> = None;
    for part in accept.split(',') {
        let mut pieces = part.split(';').map(str::trim);
        let media = pieces.next().unwrap_or("").to_ascii_lowercase();
        let q = pieces
            .filter_map(|p| p.strip_prefix("q="))
            .find_map(|q| q.parse::<f32>().ok())
            .unwrap_or(1.0);
        let format = match media.as_str() {
            GRAPHQL_RESPONSE_JSON | "application/*" | "*/*" => ResponseFormat::GraphqlResponse,
            APPLICATION_JSON => ResponseFormat::Json,
            _ => continue,
        };
        if q <= 0.0 {
            continue;
        }
        let better = match best {
            None => true,
            Some((bq, bf)) => {
                q > bq
                    || (q == bq
                        && bf == ResponseFormat::Json
                        && format == ResponseFormat::GraphqlResponse)
            }
        };
        if better {
            best = Some((q, format));
        }
    }
    if accept.trim().is_empty() {
        return Some(ResponseFormat::Json);
    }
    best.map(|(_, f)| f)
}

/// An error answered before GraphQL runs, in the GraphQL response shape.
#[derive(Debug)]
pub struct HttpError {
    status: StatusCode,
    code: ErrorCode,
    message: String,
    allow: Option<&'static str>,
}

impl HttpError {
    /// An error with this status, code and message.
    pub fn new(status: StatusCode, code: ErrorCode, message: impl Into<String>) -> Self {
        HttpError {
            status,
            code,
            message: message.into(),
            allow: None,
        }
    }

    /// A 400 BAD_USER_INPUT.
    pub fn bad_request(message: impl Into<String>) -> Self {
        Self::new(StatusCode::BAD_REQUEST, ErrorCode::BadUserInput, message)
    }
}

impl IntoResponse for HttpError {
    fn into_response(self) -> Response {
        let body = json!({
            "errors": [{ "message": self.message, "extensions": { "code": self.code.as_str() } }]
        });
        let mut response = (
            self.status,
            [(
                CONTENT_TYPE,
                HeaderValue::from_static("application/json; charset=utf-8"),
            )],
            body.to_string(),
        )
            .into_response();
        if let Some(allow) = self.allow {
            response
                .headers_mut()
                .insert(ALLOW, HeaderValue::from_static(allow));
        }
        response
    }
}

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
    let credentials = Credentials::from_headers(&headers, &state.app.config);
    // Known before the body only for uploads; other requests look the session up once
    // their body has passed the cheap checks.
    let mut uploader = None;
    let request = match media_type.as_str() {
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
            if let Err(error) = may_upload(&viewer) {
                return error.into_response();
            }
            uploader = Some(viewer);
            match super::uploads::read_multipart_request(&state, &headers, body).await {
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
    let viewer = match uploader {
        Some(viewer) => viewer,
        None => match viewer(&state, &credentials).await {
            Ok(viewer) => viewer,
            Err(error) => return error.into_response(),
        },
    };
    execute(&state, request, viewer, peer, &headers, format).await
}

fn may_upload(viewer: &Viewer) -> Result<(), HttpError> {
    match viewer {
        Viewer::SignedIn { user, .. } if user.role == crate::auth::Role::Admin => Ok(()),
        Viewer::SignedIn { .. } => Err(HttpError::new(
            StatusCode::FORBIDDEN,
            ErrorCode::Forbidden,
            "Only administrators may upload files.",
        )),
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
    if operation_type(&mut request) == Some(OperationType::Mutation) {
        let mut error = HttpError::new(
            StatusCode::METHOD_NOT_ALLOWED,
            ErrorCode::BadUserInput,
            "Mutations must be sent with POST.",
        );
        error.allow = Some("POST");
        return error.into_response();
    }
    let credentials = Credentials::from_headers(&headers, &state.app.config);
    let viewer = match viewer(&state, &credentials).await {
        Ok(viewer) => viewer,
        Err(error) => return error.into_response(),
    };
    execute(&state, request, viewer, peer, &headers, format).await
}

fn has_preflight_header(headers: &HeaderMap) -> bool {
    headers.contains_key("x-vitrin-csrf") || headers.contains_key("apollo-require-preflight")
}

async fn read_json_request(
    state: &HttpState,
    headers: &HeaderMap,
    body: Body,
) -> Result<GqlRequest, HttpError> {
    let limit = state.app.config.graphql.max_body_bytes;
    let bytes = read_limited(headers, body, limit).await?;
    let value: serde_json::Value = serde_json::from_slice(&bytes)
        .map_err(|e| HttpError::bad_request(format!("The request body is not valid JSON: {e}.")))?;
    if value.is_array() {
        return Err(HttpError::bad_request(
            "Batched requests are not supported: send one operation per request.",
        ));
    }
    request_from_json(value)
}

/// Turns a JSON request object into a GraphQL request, refusing wrong shapes clearly.
pub fn request_from_json(value: serde_json::Value) -> Result<GqlRequest, HttpError> {
    let bad = |message: String| HttpError::bad_request(message);
    let serde_json::Value::Object(map) = value else {
        return Err(bad(
            "The request body must be a JSON object with a \"query\".".to_owned(),
        ));
    };
    if let Some(unknown) = map.keys().find(|k| {
        !matches!(
            k.as_str(),
            "query" | "operationName" | "variables" | "extensions"
        )
    }) {
        return Err(bad(format!("Unknown request parameter {unknown:?}.")));
    }
    match map.get("query") {
        Some(serde_json::Value::String(_)) => {}
        Some(_) => return Err(bad("\"query\" must be a string.".to_owned())),
        None => return Err(bad("The request has no \"query\".".to_owned())),
    }
    if map
        .get("variables")
        .is_some_and(|v| !v.is_object() && !v.is_null())
    {
        return Err(bad("\"variables\" must be an object.".to_owned()));
    }
    if map
        .get("operationName")
        .is_some_and(|v| !v.is_string() && !v.is_null())
    {
        return Err(bad("\"operationName\" must be a string.".to_owned()));
    }
    serde_json::from_value(serde_json::Value::Object(map))
        .map_err(|e| bad(format!("Malformed request: {e}.")))
}

/// Reads a body up to `limit` bytes; past it, 413 without reading the rest.
pub async fn read_limited(
    headers: &HeaderMap,
    body: Body,
    limit: usize,
) -> Result<Bytes, HttpError> {
    let too_large = || {
        HttpError::new(
            StatusCode::PAYLOAD_TOO_LARGE,
            ErrorCode::BadUserInput,
            format!("The request body is larger than {limit} bytes."),
        )
    };
    let declared = headers
        .get(CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<usize>().ok());
    if declared.is_some_and(|n| n > limit) {
        return Err(too_large());
    }
    match Limited::new(body, limit).collect().await {
        Ok(collected) => Ok(collected.to_bytes()),
        Err(e) if e.is::<http_body_util::LengthLimitError>() => Err(too_large()),
        Err(_) => Err(HttpError::bad_request(
            "The request body could not be read.",
        )),
    }
}

fn parse_get_request(raw: &str) -> Result<GqlRequest, String> {
    let mut query = None;
    let mut operation_name = None;
    let mut variables = None;
    let mut extensions = None;
    for (key, value) in url::form_urlencoded::parse(raw.as_bytes()) {
        match key.as_ref() {
            "query" => query = Some(value.into_owned()),
            "operationName" => operation_name = Some(value.into_owned()),
            "variables" => variables = Some(value.into_owned()),
            "extensions" => extensions = Some(value.into_owned()),
            other => return Err(format!("Unknown request parameter {other:?}.")),
        }
    }
    let query = query.ok_or("The request has no \"query\" parameter.")?;
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
        Some(token) => auth::resolve_session(&state.app, token).await.map_err(|e| {
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
    let key = matches!(viewer, Viewer::Anonymous)
        .then(|| public_answers::key(&request, format))
        .flatten();
    if let Some(answer) = key
        .as_deref()
        .and_then(|key| state.public_answers.get(&state.app, key))
    {
        return json_response(StatusCode::OK, answer.body, format);
    }
    // Decided on the parsed document, which execution then reuses.
    let remember_as = key.and_then(|key| {
        let operation = public_answers::cacheable(request.parsed_query().ok()?)?;
        Some((key, operation, state.app.stats.generation()))
    });
    let context = RequestContext {
        viewer,
        client_ip: client_ip(peer.ip(), headers, &state.app.config.trusted_proxies),
    };
    let is_mutation = operation_type(&mut request) == Some(OperationType::Mutation);
    let request = request
        .data(context)
        .data(crate::schema::loaders::variants(&state.app));
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
        let budget = state.app.config.graphql.request_timeout;
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
        Some((key, operation, generation))
            if response.errors.is_empty() && response.http_headers.is_empty() =>
        {
            let (status, body) = render(&response, format);
            state
                .public_answers
                .remember(key, operation, generation, body.clone());
            json_response(status, body, format)
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
    headers.insert(CACHE_CONTROL, HeaderValue::from_static("no-store"));
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

    fn accept(value: &str) -> HeaderMap {
        let mut h = HeaderMap::new();
        h.insert(ACCEPT, value.parse().unwrap());
        h
    }

    #[test]
    fn negotiation_prefers_the_graphql_response_type() {
        assert_eq!(negotiate(&HeaderMap::new()), Some(ResponseFormat::Json));
        assert_eq!(
            negotiate(&accept("application/json")),
            Some(ResponseFormat::Json)
        );
        assert_eq!(
            negotiate(&accept(
                "application/graphql-response+json, application/json;q=0.9"
            )),
            Some(ResponseFormat::GraphqlResponse)
        );
        assert_eq!(
            negotiate(&accept(
                "application/json, application/graphql-response+json"
            )),
            Some(ResponseFormat::GraphqlResponse)
        );
        assert_eq!(
            negotiate(&accept("*/*")),
            Some(ResponseFormat::GraphqlResponse)
        );
        assert_eq!(negotiate(&accept("text/html")), None);
    }

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
