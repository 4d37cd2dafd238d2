//! The media library: uploads checked by content and re-encoded, crop variants per
//! preset, storage on the local disk or Cloudinary, and exact storage usage.

pub mod image;
pub mod presets;
pub mod sniff;
pub mod store;
pub mod usage;
pub mod video;

use std::io::{Read, Seek};
use std::sync::Arc;

use chrono::{DateTime, Utc};
use sha2::{Digest, Sha256};

use self::image::{StillFormat, VariantFormat};
use self::presets::{CropRect, centred_rect, output_size, validate_rect};
use self::sniff::Detected;
use self::store::{Object, Source, Stored};
use crate::app::App;
use crate::auth::from_millis;
use crate::blocking::BoundedBlocking;
use crate::db::media::{self as rows, MediaRow, NewMedia, NewVariant, VariantRow};
use crate::db::{self, DbError, Page, stats as events};
use crate::error::{AppError, AppResult};
use crate::stats::bus::STORAGE_TOPIC;

/// Image or video.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum MediaKind {
    Image,
    Video,
}

impl MediaKind {
    /// The stored value.
    pub fn as_db(self) -> &'static str {
        match self {
            MediaKind::Image => "IMAGE",
            MediaKind::Video => "VIDEO",
        }
    }

    /// Parses a stored value.
    pub fn from_db(value: &str) -> Self {
        if value == "VIDEO" {
            MediaKind::Video
        } else {
            MediaKind::Image
        }
    }
}

/// Where on the site a picture is meant to appear.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MediaSection {
    Gallery,
    Product,
    Carousel,
    Other,
}

impl MediaSection {
    /// The stored value.
    pub fn as_db(self) -> &'static str {
        match self {
            MediaSection::Gallery => "GALLERY",
            MediaSection::Product => "PRODUCT",
            MediaSection::Carousel => "CAROUSEL",
            MediaSection::Other => "OTHER",
        }
    }

    /// Parses a stored value.
    pub fn from_db(value: &str) -> Option<Self> {
        match value {
            "GALLERY" => Some(MediaSection::Gallery),
            "PRODUCT" => Some(MediaSection::Product),
            "CAROUSEL" => Some(MediaSection::Carousel),
            "OTHER" => Some(MediaSection::Other),
            _ => None,
        }
    }
}

/// An uploaded image or video.
#[derive(Debug, Clone)]
pub struct Media {
    pub id: i64,
    pub kind: MediaKind,
    pub section: MediaSection,
    pub alt: Option<String>,
    pub content_type: String,
    pub width: u32,
    pub height: u32,
    pub duration_ms: Option<i64>,
    pub bytes: i64,
    pub created_at: DateTime<Utc>,
    stored: Stored,
}

impl Media {
    /// Where the original is served.
    pub fn url(&self) -> &str {
        &self.stored.url
    }
}

impl From<MediaRow> for Media {
    fn from(row: MediaRow) -> Self {
        Media {
            id: row.id,
            kind: MediaKind::from_db(&row.kind),
            section: MediaSection::from_db(&row.section).unwrap_or(MediaSection::Other),
            alt: row.alt,
            content_type: row.content_type,
            width: u32::try_from(row.width).unwrap_or(0),
            height: u32::try_from(row.height).unwrap_or(0),
            duration_ms: row.duration_ms,
            bytes: row.bytes,
            created_at: from_millis(row.created_at),
            stored: Stored {
                key: row.storage_key,
                url: row.url,
                version: row.version,
            },
        }
    }
}

/// A cropped size of an image in one format.
#[derive(Debug, Clone)]
pub struct Variant {
    pub media_id: i64,
    pub preset: String,
    pub size: String,
    pub width: u32,
    pub height: u32,
    /// `JPEG`, `WEBP`, or `AUTO` (the provider picks per browser).
    pub format: String,
    pub url: String,
    /// Bytes of the stored file; `None` when the provider derives it on request.
    pub bytes: Option<i64>,
    pub crop: CropRect,
}

impl From<VariantRow> for Variant {
    fn from(row: VariantRow) -> Self {
        let px = |v: i32| u32::try_from(v).unwrap_or(0);
        Variant {
            media_id: row.media_id,
            preset: row.preset,
            size: row.size,
            width: px(row.width),
            height: px(row.height),
            format: row.format,
            url: row.url,
            bytes: row.bytes,
            crop: CropRect {
                x: px(row.crop_x),
                y: px(row.crop_y),
                width: px(row.crop_width),
                height: px(row.crop_height),
            },
        }
    }
}

/// Runs CPU-heavy image work on blocking threads, a bounded number at a time; a panic
/// in one image becomes an error for that upload, never a crashed server.
pub struct ImageWorker {
    pool: BoundedBlocking,
}

impl ImageWorker {
    /// At most `concurrency` jobs at once.
    pub fn new(concurrency: usize) -> Self {
        ImageWorker {
            pool: BoundedBlocking::new(concurrency),
        }
    }

    /// Runs `job`; its `Err(text)` becomes BAD_USER_INPUT with that text.
    pub async fn run<T: Send + 'static>(
        &self,
        job: impl FnOnce() -> Result<T, String> + Send + 'static,
    ) -> AppResult<T> {
        match self.pool.run(job).await? {
            Ok(Ok(value)) => Ok(value),
            Ok(Err(message)) => Err(AppError::bad_input(message)),
            Err(e) if e.is_panic() => {
                tracing::error!("image processing panicked; the file was refused");
                Err(AppError::bad_input(
                    "The file could not be processed; it may be damaged.",
                ))
            }
            Err(e) => Err(AppError::internal(e)),
        }
    }
}

const ACCEPTED: &str = "JPEG, PNG or WebP images and MP4 or WebM videos are accepted";

fn clean_alt(alt: Option<String>) -> AppResult<Option<String>> {
    match alt.as_deref().map(str::trim).filter(|a| !a.is_empty()) {
        None => Ok(None),
        Some(a) => crate::reviews::clean_text("alt", a, 300, false).map(Some),
    }
}

fn sha256_hex(bytes: &[u8]) -> String {
    hex::encode(Sha256::digest(bytes))
}

/// Reads what an upload needs up front: its length, SHA-256 and first bytes.
fn fingerprint(file: &mut std::fs::File) -> std::io::Result<(u64, String, Vec<u8>)> {
    file.rewind()?;
    let mut hasher = Sha256::new();
    let mut head = Vec::with_capacity(sniff::SNIFF_LEN);
    let mut buf = vec![0u8; 1 << 16];
    let mut len = 0u64;
    loop {
        let n = file.read(&mut buf)?;
        if n == 0 {
            break;
        }
        sniff::extend_head(&mut head, &buf[..n]);
        hasher.update(&buf[..n]);
        len += n as u64;
    }
    file.rewind()?;
    Ok((len, hex::encode(hasher.finalize()), head))
}

/// Stores image bytes under their content hash.
async fn put_image(app: &App, bytes: &[u8], extension: &str) -> Result<Stored, store::StoreError> {
    let hash = sha256_hex(bytes);
    app.store
        .put(Object {
            source: Source::Bytes(bytes),
            hash: &hash,
            extension,
            kind: MediaKind::Image,
            len: bytes.len() as u64,
        })
        .await
}

/// Stores an upload: checked by content, images re-encoded (orientation applied,
/// metadata dropped), videos verified. The same bytes uploaded again return the
/// existing item. Nothing is recorded unless the file is stored, and nothing stays
/// stored when it cannot be recorded.
pub async fn upload(
    app: &App,
    file: std::fs::File,
    alt: Option<String>,
    section: MediaSection,
) -> AppResult<Media> {
    let alt = clean_alt(alt)?;
    let mut file = file;
    let (len, source_hash, head, file) = app
        .images
        .run(move || {
            let (len, hash, head) =
                fingerprint(&mut file).map_err(|e| format!("The upload could not be read: {e}"))?;
            Ok((len, hash, head, file))
        })
        .await?;
    if let Some(existing) =
        rows::find_by_source_hash(&mut app.db.read().await?.conn(), &source_hash).await?
    {
        return Ok(existing.into());
    }
    let detected = sniff::detect(&head);
    let limits = &app.config.media;
    let (content_type, extension) = match &detected {
        Detected::Refused(what) if len == 0 => return Err(AppError::bad_input(what.clone())),
        Detected::Refused(what) => {
            return Err(AppError::bad_input(format!(
                "This file type is not accepted ({ACCEPTED}): {what}"
            )));
        }
        accepted => accepted.mime_and_extension().ok_or_else(|| {
            AppError::internal(anyhow::anyhow!("an accepted format has no MIME type"))
        })?,
    };
    let still = detected.still();
    let account_limits = usage::account_limits(app).await;
    let (kind, width, height, duration_ms, stored_bytes, stored) = match still {
        Some(format) => {
            let max = account_limits
                .image_max_bytes
                .map_or(limits.max_image_bytes, |m| m.min(limits.max_image_bytes));
            if len > max {
                return Err(too_big("image", len, max));
            }
            let max_pixels = limits.max_image_pixels;
            let prepared = app
                .images
                .run(move || {
                    let mut bytes = Vec::with_capacity(usize::try_from(len).unwrap_or(0));
                    let mut file = file;
                    file.read_to_end(&mut bytes)
                        .map_err(|e| format!("The upload could not be read: {e}"))?;
                    self::image::prepare_original(&bytes, format, max_pixels)
                })
                .await?;
            let stored = put_image(app, &prepared.bytes, extension).await?;
            (
                MediaKind::Image,
                prepared.width,
                prepared.height,
                None,
                prepared.bytes.len() as i64,
                stored,
            )
        }
        None => {
            let max = account_limits
                .video_max_bytes
                .map_or(limits.max_video_bytes, |m| m.min(limits.max_video_bytes));
            if len > max {
                return Err(too_big("video", len, max));
            }
            let is_mp4 = detected == Detected::Mp4;
            let (info, file) = app
                .images
                .run(move || {
                    let mut file = file;
                    let info = if is_mp4 {
                        video::inspect_mp4(&mut file, len)
                    } else {
                        video::inspect_webm(&mut file, len)
                    }?;
                    Ok((info, file))
                })
                .await?;
            let object = Object {
                source: Source::File(&file),
                hash: &source_hash,
                extension,
                kind: MediaKind::Video,
                len,
            };
            let stored = app.store.put(object).await?;
            (
                MediaKind::Video,
                info.width,
                info.height,
                Some(info.duration_ms),
                i64::try_from(len).unwrap_or(i64::MAX),
                stored,
            )
        }
    };
    let now = app.clock.now().timestamp_millis();
    let new = NewMedia {
        kind: kind.as_db(),
        section: section.as_db(),
        alt: alt.as_deref(),
        source_hash: &source_hash,
        content_type,
        width: i32::try_from(width).unwrap_or(i32::MAX),
        height: i32::try_from(height).unwrap_or(i32::MAX),
        duration_ms,
        bytes: stored_bytes,
        provider: app.store.provider().as_db(),
        storage_key: &stored.key,
        url: &stored.url,
        version: stored.version,
        created_at: now,
    };
    let mut tx = app.db.begin().await?;
    let result = async {
        let row = rows::insert(&mut tx.conn(), &new).await?;
        events::notify(&mut tx.conn(), STORAGE_TOPIC).await?;
        Ok::<_, DbError>(row)
    }
    .await;
    match tx.finish(result).await {
        Ok(row) => {
            app.storage.changed();
            Ok(row.into())
        }
        Err(DbError::Query(e)) if db::is_unique_violation(&e) => {
            // The same bytes were uploaded concurrently: the other upload won.
            let existing =
                rows::find_by_source_hash(&mut app.db.read().await?.conn(), &source_hash).await?;
            release(app, &[&stored.key], kind).await;
            existing
                .map(Media::from)
                .ok_or_else(|| AppError::internal(anyhow::anyhow!("duplicate upload vanished")))
        }
        Err(e) => {
            release(app, &[&stored.key], kind).await;
            Err(e.into())
        }
    }
}

fn too_big(what: &str, len: u64, max: u64) -> AppError {
    AppError::bad_input(format!(
        "The {what} is {}; at most {} is accepted.",
        mebibytes(len),
        mebibytes(max)
    ))
}

/// A size in MiB for messages, in the unit the limits are configured in.
pub fn mebibytes(bytes: u64) -> String {
    let mib = bytes as f64 / f64::from(1 << 20);
    if mib.fract() == 0.0 {
        format!("{mib:.0} MiB")
    } else {
        format!("{mib:.1} MiB")
    }
}

/// Deletes the stored files no media item uses any more. Failures are logged: the
/// files are left behind, never a record without its file.
async fn release(app: &App, keys: &[&str], kind: MediaKind) {
    if keys.is_empty() {
        return;
    }
    let in_use = async {
        let mut pooled = app.db.read().await?;
        Ok::<_, AppError>(rows::keys_in_use(&mut pooled.conn(), keys, None).await?)
    }
    .await;
    let in_use = match in_use {
        Ok(in_use) => in_use,
        Err(e) => {
            tracing::error!(?keys, error = ?e, "could not tell whether media files are still used; kept");
            return;
        }
    };
    for key in keys.iter().filter(|key| !in_use.contains(**key)) {
        if let Err(e) = app.store.delete(key, kind).await {
            tracing::error!(key, error = %e, "a media file could not be deleted; it is left behind");
        }
    }
}

/// A crop rectangle as the client sent it (unchecked).
#[derive(Debug, Clone, Copy)]
pub struct RequestedRect {
    pub x: i64,
    pub y: i64,
    pub width: i64,
    pub height: i64,
}

/// Produces the variants of one preset for an image, replacing earlier ones of that
/// preset. Without a rectangle, the largest centred one of the preset's ratio is used.
pub async fn crop(
    app: &App,
    id: i64,
    preset_name: &str,
    rect: Option<RequestedRect>,
) -> AppResult<Media> {
    let media: Media = rows::find(&mut app.db.read().await?.conn(), id)
        .await?
        .ok_or_else(|| AppError::not_found("There is no media item with this id."))?
        .into();
    if media.kind != MediaKind::Image {
        return Err(AppError::bad_input("Only images can be cropped."));
    }
    let presets = &app.config.media.presets;
    let preset = presets
        .iter()
        .find(|p| p.name == preset_name)
        .ok_or_else(|| {
            let names: Vec<&str> = presets.iter().map(|p| p.name.as_str()).collect();
            AppError::bad_input(format!(
                "There is no crop preset {preset_name:?}; the presets are {}.",
                names.join(", ")
            ))
        })?;
    let image_size = (media.width, media.height);
    let rect = match rect {
        Some(r) => validate_rect(preset, r.x, r.y, r.width, r.height, image_size)
            .map_err(AppError::bad_input)?,
        None => centred_rect(preset, image_size),
    };
    let sizes: Vec<(String, u32, u32)> = preset
        .sizes
        .iter()
        .map(|s| {
            let (w, h) = output_size(s, rect);
            (s.name.clone(), w, h)
        })
        .collect();
    let format = StillFormat::from_mime(&media.content_type).ok_or_else(|| {
        AppError::internal(anyhow::anyhow!(
            "media {} has the unknown type {}",
            media.id,
            media.content_type
        ))
    })?;
    let extension = format.extension();
    let now = app.clock.now().timestamp_millis();
    let variant = |size: &str,
                   width: u32,
                   height: u32,
                   format: &str,
                   url: String,
                   bytes: Option<i64>,
                   key: Option<String>| NewVariant {
        media_id: media.id,
        preset: preset.name.clone(),
        size: size.to_owned(),
        format: format.to_owned(),
        width: i32::try_from(width).unwrap_or(i32::MAX),
        height: i32::try_from(height).unwrap_or(i32::MAX),
        bytes,
        storage_key: key,
        url,
        crop_x: i32::try_from(rect.x).unwrap_or(0),
        crop_y: i32::try_from(rect.y).unwrap_or(0),
        crop_width: i32::try_from(rect.width).unwrap_or(0),
        crop_height: i32::try_from(rect.height).unwrap_or(0),
        created_at: now,
    };
    let mut new = Vec::new();
    let derived: Option<Vec<String>> = sizes
        .iter()
        .map(|(_, w, h)| {
            app.store
                .derived_variant_url(&media.stored, extension, rect, *w, *h)
        })
        .collect();
    if let Some(urls) = derived {
        for ((name, w, h), url) in sizes.iter().zip(urls) {
            new.push(variant(name, *w, *h, "AUTO", url, None, None));
        }
    } else {
        let original = app.store.get(&media.stored.key).await?;
        let max_pixels = app.config.media.max_image_pixels;
        let render_sizes = sizes.clone();
        let rendered = app
            .images
            .run(move || {
                self::image::render_variants(&original, format, max_pixels, rect, &render_sizes)
            })
            .await?;
        for r in rendered {
            let (format, extension) = match r.format {
                VariantFormat::Jpeg => ("JPEG", "jpg"),
                VariantFormat::Webp => ("WEBP", "webp"),
            };
            match put_image(app, &r.bytes, extension).await {
                Ok(stored) => new.push(variant(
                    &r.size,
                    r.width,
                    r.height,
                    format,
                    stored.url,
                    Some(r.bytes.len() as i64),
                    Some(stored.key),
                )),
                Err(e) => {
                    discard_variants(app, &new).await;
                    return Err(e.into());
                }
            }
        }
    }
    let mut tx = app.db.begin().await?;
    let result = async {
        let old = rows::replace_variants(&mut tx.conn(), media.id, &preset.name, &new).await?;
        events::notify(&mut tx.conn(), STORAGE_TOPIC).await?;
        Ok::<_, DbError>(old)
    }
    .await;
    match tx.finish(result).await {
        Ok(old) => {
            let replaced: Vec<&str> = old
                .iter()
                .filter_map(|v| v.storage_key.as_deref())
                .collect();
            release(app, &replaced, MediaKind::Image).await;
            app.storage.changed();
            Ok(media)
        }
        Err(e) => {
            discard_variants(app, &new).await;
            Err(e.into())
        }
    }
}

async fn discard_variants(app: &App, variants: &[NewVariant]) {
    let keys: Vec<&str> = variants
        .iter()
        .filter_map(|v| v.storage_key.as_deref())
        .collect();
    release(app, &keys, MediaKind::Image).await;
}

/// Deletes a media item with its file and every variant (locally or at the provider).
pub async fn delete(app: &App, id: i64) -> AppResult<()> {
    let (media, variants, shared) = {
        let mut pooled = app.db.read().await?;
        let mut conn = pooled.conn();
        let media: Media = rows::find(&mut conn, id)
            .await?
            .ok_or_else(|| AppError::not_found("There is no media item with this id."))?
            .into();
        let variants = rows::variants_of(&mut conn, &[id]).await?;
        let shared = !rows::keys_in_use(&mut conn, &[&media.stored.key], Some(id))
            .await?
            .is_empty();
        (media, variants, shared)
    };
    // The original first: if the provider cannot delete it, nothing has changed yet.
    if !shared {
        app.store.delete(&media.stored.key, media.kind).await?;
    }
    let mut tx = app.db.begin().await?;
    let result = async {
        rows::delete(&mut tx.conn(), id).await?;
        events::notify(&mut tx.conn(), STORAGE_TOPIC).await?;
        Ok::<_, DbError>(())
    }
    .await;
    tx.finish(result).await?;
    let variant_keys: Vec<&str> = variants
        .iter()
        .filter_map(|v| v.storage_key.as_deref())
        .collect();
    release(app, &variant_keys, MediaKind::Image).await;
    app.storage.changed();
    Ok(())
}

/// One media item.
pub async fn get(app: &App, id: i64) -> AppResult<Option<Media>> {
    Ok(rows::find(&mut app.db.read().await?.conn(), id)
        .await?
        .map(Media::from))
}

/// A page of media (newest first) and the total.
pub async fn list(
    app: &App,
    kind: Option<MediaKind>,
    section: Option<MediaSection>,
    page: Page,
) -> AppResult<(Vec<Media>, i64)> {
    let (kind, section) = (kind.map(MediaKind::as_db), section.map(MediaSection::as_db));
    let mut pooled = app.db.read().await?;
    let mut conn = pooled.conn();
    let items = rows::list(&mut conn, kind, section, page).await?;
    let total = rows::count(&mut conn, kind, section).await?;
    Ok((items.into_iter().map(Media::from).collect(), total))
}

/// The variants of several media items at once (for the per-request loader).
pub async fn variants_of(app: &App, ids: &[i64]) -> AppResult<Vec<Variant>> {
    Ok(rows::variants_of(&mut app.db.read().await?.conn(), ids)
        .await?
        .into_iter()
        .map(Variant::from)
        .collect())
}

/// A media fixture's bytes (`tests/fixtures/media/<name>`), for unit tests.
#[cfg(test)]
pub(crate) fn fixture(name: &str) -> Vec<u8> {
    std::fs::read(format!(
        "{}/tests/fixtures/media/{name}",
        env!("CARGO_MANIFEST_DIR")
    ))
    .unwrap_or_default()
}

/// The store in use, shared.
pub type SharedStore = Arc<dyn store::MediaStore>;
