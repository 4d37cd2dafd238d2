//! Where media files live: a local folder (the default) or Cloudinary.

pub mod cloudinary;
pub mod local;

use std::time::Duration;

use async_trait::async_trait;

use super::crop::CropRect;
use crate::db::media::MediaKind;
use crate::error::{AppError, ErrorCode};

pub use crate::db::media::Provider;

/// The bytes to store: in memory, or an open file (large videos).
#[derive(Debug, Clone, Copy)]
pub enum Source<'a> {
    Bytes(&'a [u8]),
    File(&'a std::fs::File),
}

/// A file to store.
#[derive(Debug, Clone, Copy)]
pub struct Object<'a> {
    pub source: Source<'a>,
    /// The SHA-256 (hex) of the bytes: the name they are stored under.
    pub hash: &'a str,
    pub extension: &'a str,
    pub kind: MediaKind,
    pub len: u64,
}

/// Where a stored file is.
#[derive(Debug, Clone)]
pub struct Stored {
    pub key: String,
    pub url: String,
    pub version: Option<i64>,
}

/// The provider's own account figures (Cloudinary's usage report).
#[derive(Debug, Clone, PartialEq)]
pub struct AccountUsage {
    pub plan: Option<String>,
    pub storage_bytes: i64,
    pub credits_used: f64,
    pub credits_limit: Option<f64>,
    pub credits_used_percent: Option<f64>,
    /// The date the provider last refreshed its figures.
    pub last_updated: Option<String>,
    /// The plan's largest image upload, when the provider reports it.
    pub image_max_bytes: Option<u64>,
    /// The plan's largest video upload.
    pub video_max_bytes: Option<u64>,
}

/// Why storing, deleting or asking failed.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// The provider asks us to slow down.
    #[error("rate limited for {0:?}")]
    RateLimited(Duration),
    /// The provider refused the request; the text explains why.
    #[error("refused: {0}")]
    Refused(String),
    /// The provider did not answer properly after retries.
    #[error("unavailable: {0:#}")]
    Unavailable(anyhow::Error),
    /// Local input/output failed.
    #[error("{0:#}")]
    Io(#[from] anyhow::Error),
}

impl From<StoreError> for AppError {
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::RateLimited(wait) => AppError::rate_limited(
                format!(
                    "The media storage service is busy; try again in {} second(s).",
                    wait.as_secs().max(1)
                ),
                wait.as_secs().max(1),
            ),
            StoreError::Refused(message) => AppError::bad_input(format!(
                "The media storage service refused the file: {message}"
            )),
            StoreError::Unavailable(cause) => {
                tracing::error!(error = format!("{cause:#}"), "media storage unavailable");
                AppError::Client {
                    code: ErrorCode::Internal,
                    message: "The media storage service is not answering; nothing was changed. Try again later."
                        .to_owned(),
                    field: None,
                }
            }
            StoreError::Io(cause) => AppError::Internal(cause),
        }
    }
}

/// A place to keep media files.
#[async_trait]
pub trait MediaStore: Send + Sync {
    /// Which provider this is.
    fn provider(&self) -> Provider;

    /// Stores a file under its content hash.
    async fn put(&self, object: Object<'_>) -> Result<Stored, StoreError>;

    /// Reads a stored original back (to render variants locally).
    async fn get(&self, key: &str) -> Result<Vec<u8>, StoreError>;

    /// Removes a file (and whatever the provider derived from it); absent is fine.
    async fn delete(&self, key: &str, kind: MediaKind) -> Result<(), StoreError>;

    /// A URL at which the provider derives a crop variant itself, when it can.
    fn derived_variant_url(
        &self,
        stored: &Stored,
        extension: &str,
        rect: CropRect,
        width: u32,
        height: u32,
    ) -> Option<String>;

    /// The provider's account figures, when it has any.
    async fn account_usage(&self) -> Result<Option<AccountUsage>, StoreError>;
}
