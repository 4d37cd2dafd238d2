//! Multipart requests per the GraphQL multipart request specification: `operations`,
//! then `map`, then the files. Files stream to unnamed temporary files; each is cut off
//! (413) as soon as it passes the limit for the kind its first bytes announce.

use std::collections::HashMap;

use async_graphql::{Request as GqlRequest, UploadValue};
use axum::body::Body;
use axum::http::header::CONTENT_TYPE;
use axum::http::{HeaderMap, StatusCode};
use tokio::io::AsyncWriteExt;

use super::HttpState;
use super::request::{HttpError, request_from_json};
use crate::error::ErrorCode;
use crate::media::sniff::{self, Detected};

/// How many variables one file may fill: each is an open descriptor of its own.
pub const MAX_PATHS_PER_FILE: usize = 10;
/// How many variables the files of one request may fill in all.
pub const MAX_PATHS: usize = 100;

/// A file received so far.
struct Received {
    file: std::fs::File,
    filename: String,
    content_type: Option<String>,
}

fn too_large(what: &str, limit: u64) -> HttpError {
    HttpError::new(
        StatusCode::PAYLOAD_TOO_LARGE,
        ErrorCode::BadUserInput,
        format!(
            "The {what} is larger than the {} allowed.",
            crate::media::mebibytes(limit)
        ),
    )
}

/// What one multipart request may carry.
#[derive(Debug, Clone, Copy)]
pub struct Allowance {
    pub files: usize,
    pub image_bytes: u64,
    pub video_bytes: u64,
}

impl Allowance {
    /// Administrators' uploads to the media library: the configured limits.
    pub fn library(config: &crate::config::Config) -> Allowance {
        Allowance {
            files: config.media.max_uploads_per_request,
            image_bytes: config.media.max_image_bytes,
            video_bytes: config.media.max_video_bytes,
        }
    }

    /// A customer's upload: one photo of at most [`crate::media::PHOTO_MAX_BYTES`],
    /// read no further than that whatever it is.
    pub fn customer_photo() -> Allowance {
        Allowance {
            files: 1,
            image_bytes: crate::media::PHOTO_MAX_BYTES,
            video_bytes: crate::media::PHOTO_MAX_BYTES,
        }
    }
}

/// Reads a multipart GraphQL request within `allowance`.
pub async fn read_multipart_request(
    state: &HttpState,
    headers: &HeaderMap,
    body: Body,
    allowance: Allowance,
) -> Result<GqlRequest, HttpError> {
    let config = state.app.config();
    let content_type = headers
        .get(CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    let boundary = multer::parse_boundary(content_type)
        .map_err(|_| HttpError::bad_request("The multipart request has no boundary."))?;
    let mut multipart = multer::Multipart::new(body.into_data_stream(), boundary);
    let malformed = |e: multer::Error| {
        HttpError::bad_request(format!("The multipart request is malformed: {e}."))
    };
    let text_limit = config.graphql.max_body_bytes;
    let tmp_dir = config.data_dir.join("tmp");
    let mut operations: Option<GqlRequest> = None;
    let mut map: Option<HashMap<String, Vec<String>>> = None;
    let mut files: HashMap<String, Received> = HashMap::new();
    while let Some(mut field) = multipart.next_field().await.map_err(malformed)? {
        let name = field.name().unwrap_or("").to_owned();
        match name.as_str() {
            "operations" | "map" => {
                let mut text = Vec::new();
                while let Some(chunk) = field.chunk().await.map_err(malformed)? {
                    text.extend_from_slice(&chunk);
                    if text.len() > text_limit {
                        return Err(too_large(&format!("“{name}” field"), text_limit as u64));
                    }
                }
                let value: serde_json::Value = serde_json::from_slice(&text).map_err(|e| {
                    HttpError::bad_request(format!("The “{name}” field is not valid JSON: {e}."))
                })?;
                if name == "operations" {
                    if value.is_array() {
                        return Err(HttpError::bad_request(
                            "Batched requests are not supported: send one operation per request.",
                        ));
                    }
                    operations = Some(request_from_json(value)?);
                } else {
                    let parsed: HashMap<String, Vec<String>> = serde_json::from_value(value)
                        .map_err(|_| {
                            HttpError::bad_request(
                                "The “map” field must map file names to lists of variable paths.",
                            )
                        })?;
                    if parsed.len() > allowance.files {
                        return Err(HttpError::new(
                            StatusCode::PAYLOAD_TOO_LARGE,
                            ErrorCode::BadUserInput,
                            format!(
                                "At most {} files may be uploaded in one request.",
                                allowance.files
                            ),
                        ));
                    }
                    let paths: usize = parsed.values().map(Vec::len).sum();
                    if parsed.values().any(|p| p.len() > MAX_PATHS_PER_FILE) || paths > MAX_PATHS {
                        return Err(HttpError::bad_request(format!(
                            "The “map” may give a file at most {MAX_PATHS_PER_FILE} variables, \
                             and all files at most {MAX_PATHS}."
                        )));
                    }
                    map = Some(parsed);
                }
            }
            _ => {
                let (Some(_), Some(map)) = (&operations, &map) else {
                    return Err(HttpError::bad_request(
                        "“operations” and “map” must come before the files.",
                    ));
                };
                if !map.contains_key(&name) {
                    return Err(HttpError::bad_request(format!(
                        "The file “{name}” is not in the map."
                    )));
                }
                if files.contains_key(&name) {
                    return Err(HttpError::bad_request(format!(
                        "The file “{name}” was sent twice."
                    )));
                }
                let filename = field.file_name().unwrap_or("upload").to_owned();
                let declared = field.content_type().map(ToString::to_string);
                let std_file = tempfile_in(&tmp_dir).await?;
                let mut file = tokio::fs::File::from_std(std_file);
                let mut head: Vec<u8> = Vec::with_capacity(sniff::SNIFF_LEN);
                let (mut what, mut limit) = ("image", allowance.image_bytes);
                let mut received = 0u64;
                while let Some(chunk) = field.chunk().await.map_err(malformed)? {
                    if sniff::extend_head(&mut head, &chunk)
                        && matches!(sniff::detect(&head), Detected::Mp4 | Detected::Webm)
                    {
                        (what, limit) = ("video", allowance.video_bytes);
                    }
                    received += chunk.len() as u64;
                    if received > limit {
                        return Err(too_large(what, limit));
                    }
                    file.write_all(&chunk)
                        .await
                        .map_err(|e| storage_error(&e))?;
                }
                file.flush().await.map_err(|e| storage_error(&e))?;
                files.insert(
                    name,
                    Received {
                        file: file.into_std().await,
                        filename,
                        content_type: declared,
                    },
                );
            }
        }
    }
    let mut request = operations.ok_or_else(|| {
        HttpError::bad_request("The multipart request has no “operations” field.")
    })?;
    let map =
        map.ok_or_else(|| HttpError::bad_request("The multipart request has no “map” field."))?;
    for (name, paths) in map {
        let received = files.get(&name).ok_or_else(|| {
            HttpError::bad_request(format!("The file “{name}” named in the map was not sent."))
        })?;
        for path in paths {
            let content = received.file.try_clone().map_err(|e| storage_error(&e))?;
            request.set_upload(
                &path,
                UploadValue {
                    filename: received.filename.clone(),
                    content_type: received.content_type.clone(),
                    content,
                },
            );
        }
    }
    Ok(request)
}

async fn tempfile_in(dir: &std::path::Path) -> Result<std::fs::File, HttpError> {
    let dir = dir.to_path_buf();
    tokio::task::spawn_blocking(move || {
        std::fs::create_dir_all(&dir)?;
        // Unnamed: the file disappears when the last handle closes, whatever happens.
        tempfile::tempfile_in(&dir)
    })
    .await
    .map_err(|e| storage_error(&e))?
    .map_err(|e| storage_error(&e))
}

fn storage_error(e: &dyn std::fmt::Display) -> HttpError {
    tracing::error!(error = %e, "storing an upload failed");
    HttpError::new(
        StatusCode::INTERNAL_SERVER_ERROR,
        ErrorCode::Internal,
        crate::error::INTERNAL_MESSAGE,
    )
}
