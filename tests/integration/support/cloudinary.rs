//! A local stand-in for Cloudinary implementing the documented endpoints our client
//! uses — signed upload (whole and chunked), signed destroy, the Admin API usage report —
//! and checking what Cloudinary checks: the API key, the timestamp's age, the SHA-1
//! signature over the sorted parameters, Basic auth on the Admin API. Failures (5xx,
//! 420/429 with `X-FeatureRateLimit-*`) and a slow usage report can be scripted.

use std::collections::{HashMap, VecDeque};
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::Router;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use base64::Engine as _;
use serde_json::json;
use sha1::{Digest, Sha1};

pub const CLOUD: &str = "demo-cloud";
pub const API_KEY: &str = "123456789012345";
pub const API_SECRET: &str = "s3cr3t-Xy_z";

/// A scripted answer for the next matching request.
#[derive(Debug, Clone, Copy)]
pub enum Failure {
    ServerError,
    RateLimited { status: u16, reset_in: Duration },
}

/// An asset the fake holds.
#[derive(Debug, Clone)]
pub struct Asset {
    pub resource_type: String,
    pub bytes: Vec<u8>,
}

/// The chunks of one chunked upload so far, by start offset.
type Chunks = Vec<(u64, Vec<u8>)>;

/// A refusal: status and message.
type Refusal = (StatusCode, String);

#[derive(Default)]
pub struct FakeState {
    pub assets: Mutex<HashMap<String, Asset>>,
    pub chunks: Mutex<HashMap<String, Chunks>>,
    pub failures: Mutex<VecDeque<(&'static str, Failure)>>,
    pub calls: Mutex<Vec<String>>,
    pub usage_delay: Mutex<Duration>,
    /// Usage requests received, before their delay (`calls` counts those answered).
    pub usage_started: std::sync::atomic::AtomicUsize,
}

/// The running fake.
pub struct FakeCloudinary {
    pub addr: SocketAddr,
    pub state: Arc<FakeState>,
}

impl FakeCloudinary {
    pub async fn start() -> FakeCloudinary {
        let state = Arc::new(FakeState::default());
        let router = Router::new()
            .route("/v1_1/{cloud}/{rtype}/upload", post(upload))
            .route("/v1_1/{cloud}/{rtype}/destroy", post(destroy))
            .route("/v1_1/{cloud}/usage", get(usage))
            .with_state(state.clone());
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        tokio::spawn(async move {
            axum::serve(listener, router).await.unwrap();
        });
        FakeCloudinary { addr, state }
    }

    /// The `VITRIN_*` settings that point vitrin at this fake.
    pub fn env(&self) -> Vec<(&'static str, String)> {
        vec![
            (
                "VITRIN_CLOUDINARY_URL",
                format!("cloudinary://{API_KEY}:{API_SECRET}@{CLOUD}"),
            ),
            (
                "VITRIN_CLOUDINARY_API_BASE",
                format!("http://{}", self.addr),
            ),
            (
                "VITRIN_CLOUDINARY_DELIVERY_BASE",
                "https://res.cloudinary.com".to_owned(),
            ),
            ("VITRIN_CLOUDINARY_RETRY_DELAY", "50ms".to_owned()),
        ]
    }

    /// Makes the next `endpoint` request (upload, destroy, usage) fail this way.
    pub fn fail_next(&self, endpoint: &'static str, failure: Failure) {
        self.state
            .failures
            .lock()
            .unwrap()
            .push_back((endpoint, failure));
    }

    /// How many requests reached `endpoint`.
    pub fn calls(&self, endpoint: &str) -> usize {
        self.state
            .calls
            .lock()
            .unwrap()
            .iter()
            .filter(|c| *c == endpoint)
            .count()
    }

    pub fn assets(&self) -> HashMap<String, Asset> {
        self.state.assets.lock().unwrap().clone()
    }
}

fn error(status: StatusCode, message: &str) -> Response {
    (
        status,
        axum::Json(json!({ "error": { "message": message } })),
    )
        .into_response()
}

fn scripted(state: &FakeState, endpoint: &'static str) -> Option<Response> {
    state.calls.lock().unwrap().push(endpoint.to_owned());
    let mut failures = state.failures.lock().unwrap();
    let at = failures.iter().position(|(e, _)| *e == endpoint)?;
    let (_, failure) = failures.remove(at)?;
    Some(match failure {
        Failure::ServerError => error(StatusCode::BAD_GATEWAY, "upstream trouble"),
        Failure::RateLimited { status, reset_in } => {
            let reset = (chrono::Utc::now() + chrono::Duration::from_std(reset_in).unwrap())
                .to_rfc2822()
                .replace("+0000", "GMT");
            let mut response = error(StatusCode::from_u16(status).unwrap(), "Rate Limit Exceeded");
            let headers = response.headers_mut();
            headers.insert("x-featureratelimit-limit", "500".parse().unwrap());
            headers.insert("x-featureratelimit-remaining", "0".parse().unwrap());
            headers.insert("x-featureratelimit-reset", reset.parse().unwrap());
            response
        }
    })
}

/// Cloudinary's rule, implemented independently of vitrin's client.
fn expected_signature(params: &HashMap<String, String>) -> String {
    let mut keys: Vec<&String> = params
        .keys()
        .filter(|k| {
            !matches!(
                k.as_str(),
                "file" | "cloud_name" | "resource_type" | "api_key" | "signature"
            )
        })
        .filter(|k| !params[*k].is_empty())
        .collect();
    keys.sort();
    let joined: Vec<String> = keys.iter().map(|k| format!("{k}={}", params[*k])).collect();
    hex::encode(Sha1::digest(
        format!("{}{API_SECRET}", joined.join("&")).as_bytes(),
    ))
}

/// Reads a multipart body into its text fields and the file.
async fn read_form(
    headers: &HeaderMap,
    body: Bytes,
) -> Result<(HashMap<String, String>, Option<(String, Vec<u8>)>), Refusal> {
    let content_type = headers
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    let boundary = multer::parse_boundary(content_type).map_err(|_| {
        (
            StatusCode::BAD_REQUEST,
            "expected multipart/form-data".to_owned(),
        )
    })?;
    let stream = futures_util::stream::once(async move { Ok::<_, std::io::Error>(body) });
    let mut multipart = multer::Multipart::new(stream, boundary);
    let mut params = HashMap::new();
    let mut file = None;
    while let Some(field) = multipart
        .next_field()
        .await
        .map_err(|_| (StatusCode::BAD_REQUEST, "bad multipart".to_owned()))?
    {
        let name = field.name().unwrap_or("").to_owned();
        if name == "file" {
            let filename = field.file_name().unwrap_or("file").to_owned();
            file = Some((filename, field.bytes().await.unwrap().to_vec()));
        } else {
            params.insert(name, field.text().await.unwrap());
        }
    }
    Ok((params, file))
}

fn check_signed(params: &HashMap<String, String>) -> Result<(), Refusal> {
    if params.get("api_key").map(String::as_str) != Some(API_KEY) {
        return Err((StatusCode::UNAUTHORIZED, "Invalid api_key".to_owned()));
    }
    let timestamp: i64 = params
        .get("timestamp")
        .and_then(|t| t.parse().ok())
        .ok_or((
            StatusCode::BAD_REQUEST,
            "Missing required parameter - timestamp".to_owned(),
        ))?;
    if (chrono::Utc::now().timestamp() - timestamp).abs() > 3600 {
        return Err((
            StatusCode::BAD_REQUEST,
            "Stale request - reported time is more than 1 hour ago".to_owned(),
        ));
    }
    let expected = expected_signature(params);
    if params.get("signature") != Some(&expected) {
        return Err((
            StatusCode::UNAUTHORIZED,
            format!(
                "Invalid Signature {:?}. String to sign - expected {expected}",
                params.get("signature")
            ),
        ));
    }
    Ok(())
}

/// Reads a signed form, or the refusal Cloudinary would answer.
async fn signed_form(
    headers: &HeaderMap,
    body: Bytes,
) -> Result<(HashMap<String, String>, Option<(String, Vec<u8>)>), Response> {
    let form = read_form(headers, body)
        .await
        .map_err(|(status, message)| error(status, &message))?;
    check_signed(&form.0).map_err(|(status, message)| error(status, &message))?;
    Ok(form)
}

fn dimensions(bytes: &[u8]) -> (u32, u32) {
    image::load_from_memory(bytes)
        .map(|i| (i.width(), i.height()))
        .unwrap_or((640, 360))
}

async fn upload(
    State(state): State<Arc<FakeState>>,
    Path((cloud, rtype)): Path<(String, String)>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    if let Some(failure) = scripted(&state, "upload") {
        return failure;
    }
    if cloud != CLOUD || !matches!(rtype.as_str(), "image" | "video" | "raw" | "auto") {
        return error(StatusCode::NOT_FOUND, "unknown cloud or resource type");
    }
    let (params, file) = match signed_form(&headers, body).await {
        Ok(form) => form,
        Err(response) => return response,
    };
    let Some((filename, bytes)) = file else {
        return error(StatusCode::BAD_REQUEST, "Missing required parameter - file");
    };
    let public_id = params
        .get("public_id")
        .cloned()
        .unwrap_or_else(|| format!("{:x}", rand::random::<u64>()));
    let bytes = match headers.get("content-range").and_then(|v| v.to_str().ok()) {
        None => bytes,
        Some(range) => {
            // "bytes a-b/total"
            let upload_id = headers
                .get("x-unique-upload-id")
                .and_then(|v| v.to_str().ok())
                .unwrap_or("")
                .to_owned();
            let (span, total) = range.trim_start_matches("bytes ").split_once('/').unwrap();
            let (start, end) = span.split_once('-').unwrap();
            let (start, end, total): (u64, u64, u64) = (
                start.parse().unwrap(),
                end.parse().unwrap(),
                total.parse().unwrap(),
            );
            if end - start + 1 != bytes.len() as u64 || upload_id.is_empty() {
                return error(
                    StatusCode::BAD_REQUEST,
                    "chunk does not match Content-Range",
                );
            }
            let mut chunks = state.chunks.lock().unwrap();
            let parts = chunks.entry(upload_id.clone()).or_default();
            parts.push((start, bytes));
            let received: u64 = parts.iter().map(|(_, b)| b.len() as u64).sum();
            if received < total {
                return axum::Json(json!({ "done": false })).into_response();
            }
            let mut parts = chunks.remove(&upload_id).unwrap();
            parts.sort_by_key(|(s, _)| *s);
            parts.into_iter().flat_map(|(_, b)| b).collect()
        }
    };
    let version = chrono::Utc::now().timestamp_millis();
    let (width, height) = dimensions(&bytes);
    let format = filename.rsplit('.').next().unwrap_or("bin").to_owned();
    let url =
        format!("http://res.cloudinary.com/{CLOUD}/{rtype}/upload/v{version}/{public_id}.{format}");
    let etag = hex::encode(Sha1::digest(&bytes));
    let answer = json!({
        "asset_id": hex::encode(rand::random::<[u8; 16]>()),
        "public_id": public_id,
        "version": version,
        "version_id": hex::encode(rand::random::<[u8; 16]>()),
        "signature": hex::encode(Sha1::digest(base64::engine::general_purpose::STANDARD.encode(&bytes).as_bytes())),
        "width": width,
        "height": height,
        "format": format,
        "resource_type": rtype,
        "created_at": chrono::Utc::now().to_rfc3339(),
        "tags": [],
        "bytes": bytes.len(),
        "type": "upload",
        "etag": etag,
        "url": url,
        "secure_url": url.replace("http://", "https://"),
        "original_filename": filename.rsplit('.').next_back().unwrap_or("file"),
    });
    state.assets.lock().unwrap().insert(
        public_id,
        Asset {
            resource_type: rtype,
            bytes,
        },
    );
    axum::Json(answer).into_response()
}

async fn destroy(
    State(state): State<Arc<FakeState>>,
    Path((cloud, rtype)): Path<(String, String)>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    if let Some(failure) = scripted(&state, "destroy") {
        return failure;
    }
    if cloud != CLOUD {
        return error(StatusCode::NOT_FOUND, "unknown cloud");
    }
    let (params, _) = match signed_form(&headers, body).await {
        Ok(form) => form,
        Err(response) => return response,
    };
    let public_id = params.get("public_id").cloned().unwrap_or_default();
    let mut assets = state.assets.lock().unwrap();
    // The resource type in the path matters: an image id under /video/ is not found.
    let found = assets
        .get(&public_id)
        .is_some_and(|a| a.resource_type == rtype);
    if found {
        assets.remove(&public_id);
    }
    axum::Json(json!({ "result": if found { "ok" } else { "not found" } })).into_response()
}

async fn usage(
    State(state): State<Arc<FakeState>>,
    Path(cloud): Path<String>,
    headers: HeaderMap,
) -> Response {
    state
        .usage_started
        .fetch_add(1, std::sync::atomic::Ordering::SeqCst);
    let delay = *state.usage_delay.lock().unwrap();
    tokio::time::sleep(delay).await;
    if let Some(failure) = scripted(&state, "usage") {
        return failure;
    }
    let expected = format!(
        "Basic {}",
        base64::engine::general_purpose::STANDARD.encode(format!("{API_KEY}:{API_SECRET}"))
    );
    if cloud != CLOUD
        || headers.get("authorization").and_then(|v| v.to_str().ok()) != Some(expected.as_str())
    {
        return error(StatusCode::UNAUTHORIZED, "Invalid credentials");
    }
    let stored: usize = state
        .assets
        .lock()
        .unwrap()
        .values()
        .map(|a| a.bytes.len())
        .sum();
    let mut response = axum::Json(json!({
        "plan": "Free",
        "last_updated": chrono::Utc::now().format("%Y-%m-%d").to_string(),
        "transformations": { "usage": 12, "credits_usage": 0.01 },
        "objects": { "usage": 3 },
        "bandwidth": { "usage": 0, "credits_usage": 0.0 },
        "storage": { "usage": 139172203u64 + stored as u64, "credits_usage": 0.13 },
        "credits": { "usage": 4.73, "limit": 25.0, "used_percent": 18.92 },
        "requests": 1000,
        "resources": 3,
        "derived_resources": 0,
        "media_limits": { "image_max_size_bytes": 10485760, "video_max_size_bytes": 104857600, "raw_max_size_bytes": 10485760, "image_max_px": 25000000 }
    }))
    .into_response();
    let headers = response.headers_mut();
    headers.insert("x-featureratelimit-limit", "500".parse().unwrap());
    headers.insert("x-featureratelimit-remaining", "499".parse().unwrap());
    response
}
