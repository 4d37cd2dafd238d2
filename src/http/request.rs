//! The shapes of GraphQL over HTTP shared by every handler: the response format a client
//! accepts, errors answered before GraphQL runs, and request bodies read within limits.

use std::time::Duration;

use async_graphql::Request as GqlRequest;
use axum::body::{Body, Bytes};
use axum::http::header::{ACCEPT, ALLOW, CONTENT_LENGTH, CONTENT_TYPE};
use axum::http::{HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use http_body_util::{BodyExt, Limited};
use serde_json::json;

use crate::error::ErrorCode;

const GRAPHQL_RESPONSE_JSON: &str = "application/graphql-response+json";
/// The plain JSON media type.
pub const APPLICATION_JSON: &str = "application/json";

/// The media type of the response body.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ResponseFormat {
    /// `application/graphql-response+json`: request errors get 4xx statuses.
    GraphqlResponse,
    /// `application/json`: every well-formed request gets 200.
    Json,
}

impl ResponseFormat {
    /// The `Content-Type` of a body in this format.
    pub fn content_type(self) -> &'static str {
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

    /// Names the methods the resource does allow (for a 405).
    pub fn allow(mut self, methods: &'static str) -> Self {
        self.allow = Some(methods);
        self
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

/// Reads a body of up to `limit` bytes arriving `within` a time; past the size, 413
/// without reading the rest; past the time, 408.
pub async fn read_limited(
    headers: &HeaderMap,
    body: Body,
    limit: usize,
    within: Duration,
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
    // The connection's body timeout bounds each pause; this bounds the whole body, which
    // a client trickling a byte at a time would otherwise stretch over hours.
    match tokio::time::timeout(within, Limited::new(body, limit).collect()).await {
        Ok(Ok(collected)) => Ok(collected.to_bytes()),
        Ok(Err(e)) if e.is::<http_body_util::LengthLimitError>() => Err(too_large()),
        Ok(Err(_)) => Err(HttpError::bad_request(
            "The request body could not be read.",
        )),
        Err(_) => Err(HttpError::new(
            StatusCode::REQUEST_TIMEOUT,
            ErrorCode::BadUserInput,
            format!(
                "The request body took longer than {} s to arrive.",
                within.as_secs()
            ),
        )),
    }
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
}
