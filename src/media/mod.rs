//! The media library: uploads checked by content and re-encoded, crop variants per
//! preset, storage on the local disk or Cloudinary, and exact storage usage.

pub mod crop;
pub mod image;
pub mod sniff;
pub mod store;
pub mod usage;
pub mod video;

use std::io::{Read, Seek};
use std::sync::Arc;

use chrono::{DateTime, Utc};
use sha2::{Digest, Sha256};

use self::crop::{CropRect, centred_rect, output_size, validate_rect};
use self::image::{StillFormat, VariantFormat};
use self::sniff::Detected;
use self::store::{Object, Source, Stored};
use self::usage::StorageHub;
use crate::blocking::BoundedBlocking;
use crate::config::MediaConfig;
use crate::db::media::{self as rows, MediaRow, NewMedia, NewVariant, VariantRow};
pub use crate::db::media::{MediaKind, MediaSection};
use crate::db::{self, DbError, Page};
use crate::error::{AppError, AppResult};
use crate::events::Topic;
use crate::services::Services;

/// Announced whenever stored media changes (uploads, crops, deletes).
pub const STORAGE_TOPIC: Topic = Topic::new("storage");

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
            kind: row.kind,
            section: row.section,
            alt: row.alt,
            content_type: row.content_type,
            width: u32::try_from(row.width).unwrap_or(0),
            height: u32::try_from(row.height).unwrap_or(0),
            duration_ms: row.duration_ms,
            bytes: row.bytes,
            created_at: row.created_at.into(),
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
        Some(a) => crate::text::clean_text("alt", a, 300, false).map(Some),
    }
}

fn sha256_hex(bytes: &[u8]) -> String {
    hex::encode(Sha256::digest(bytes))
}

/// The whole of an upload of `len` bytes (on a blocking thread).
fn read_upload(mut file: std::fs::File, len: u64) -> Result<Vec<u8>, String> {
    let mut bytes = Vec::with_capacity(usize::try_from(len).unwrap_or(0));
    file.read_to_end(&mut bytes)
        .map_err(|e| format!("The upload could not be read: {e}"))?;
    Ok(bytes)
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

/// The media library: uploads, crops, deletes and storage usage.
#[derive(Clone)]
pub struct MediaLibrary {
    svc: Services,
    settings: Arc<MediaConfig>,
    store: SharedStore,
    images: Arc<ImageWorker>,
    storage: Arc<StorageHub>,
}

impl MediaLibrary {
    /// The media domain on `store`; starts the live storage figures.
    pub fn new(svc: Services, store: SharedStore) -> Self {
        let settings = Arc::new(svc.config.media.clone());
        let usage_ttl = settings
            .cloudinary
            .as_ref()
            .map_or(std::time::Duration::from_secs(600), |c| c.usage_ttl);
        let library = MediaLibrary {
            images: Arc::new(ImageWorker::new(settings.image_concurrency)),
            storage: Arc::new(StorageHub::new(usage_ttl)),
            settings,
            store,
            svc,
        };
        usage::spawn_pusher(library.clone());
        library
    }

    /// The crop presets.
    pub fn presets(&self) -> &[crate::config::presets::CropPreset] {
        &self.settings.presets
    }

    /// Stores image bytes under their content hash.
    async fn put_image(&self, bytes: &[u8], extension: &str) -> Result<Stored, store::StoreError> {
        let hash = sha256_hex(bytes);
        self.store
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
        &self,
        file: std::fs::File,
        alt: Option<String>,
        section: MediaSection,
    ) -> AppResult<Media> {
        let alt = clean_alt(alt)?;
        let mut file = file;
        let (len, source_hash, head, file) = self
            .images
            .run(move || {
                let (len, hash, head) = fingerprint(&mut file)
                    .map_err(|e| format!("The upload could not be read: {e}"))?;
                Ok((len, hash, head, file))
            })
            .await?;
        if let Some(existing) =
            rows::find_by_source_hash(&mut self.svc.db.read().await?.conn(), &source_hash).await?
        {
            return Ok(existing.into());
        }
        let detected = sniff::detect(&head);
        let limits = &self.settings;
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
        let account_limits = self.account_limits().await;
        let (kind, width, height, duration_ms, stored_bytes, stored) = match still {
            Some(format) => {
                let max = account_limits
                    .image_max_bytes
                    .map_or(limits.max_image_bytes, |m| m.min(limits.max_image_bytes));
                if len > max {
                    return Err(too_big("image", len, max));
                }
                let max_pixels = limits.max_image_pixels;
                let prepared = self
                    .images
                    .run(move || {
                        let bytes = read_upload(file, len)?;
                        self::image::prepare_original(&bytes, format, max_pixels)
                    })
                    .await?;
                let stored = self.put_image(&prepared.bytes, extension).await?;
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
                let (info, file) = self
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
                let stored = self.store.put(object).await?;
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
        let now = self.svc.clock.now().into();
        let new = NewMedia {
            kind,
            section,
            alt: alt.as_deref(),
            source_hash: &source_hash,
            content_type,
            width: i32::try_from(width).unwrap_or(i32::MAX),
            height: i32::try_from(height).unwrap_or(i32::MAX),
            duration_ms,
            bytes: stored_bytes,
            provider: self.store.provider(),
            storage_key: &stored.key,
            url: &stored.url,
            version: stored.version,
            created_at: now,
        };
        let events = &self.svc.events;
        let inserted = self
            .svc
            .db
            .transaction(async |tx| {
                let row = rows::insert(&mut tx.conn(), &new).await?;
                events.publish_on_commit(tx, STORAGE_TOPIC).await?;
                Ok::<_, DbError>(row)
            })
            .await;
        match inserted {
            Ok(row) => Ok(row.into()),
            Err(DbError::Query(e)) if db::is_unique_violation(&e) => {
                // The same bytes were uploaded concurrently: the other upload won.
                let existing =
                    rows::find_by_source_hash(&mut self.svc.db.read().await?.conn(), &source_hash)
                        .await?;
                self.release(&[&stored.key], kind).await;
                existing
                    .map(Media::from)
                    .ok_or_else(|| AppError::internal(anyhow::anyhow!("duplicate upload vanished")))
            }
            Err(e) => {
                self.release(&[&stored.key], kind).await;
                Err(e.into())
            }
        }
    }

    /// Deletes the stored files no media item uses any more. Failures are logged: the
    /// files are left behind, never a record without its file.
    async fn release(&self, keys: &[&str], kind: MediaKind) {
        if keys.is_empty() {
            return;
        }
        let in_use = async {
            let mut pooled = self.svc.db.read().await?;
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
        let mut deleted = Vec::new();
        for key in keys.iter().filter(|key| !in_use.contains(**key)) {
            match self.store.delete(key, kind).await {
                Ok(()) => deleted.push(*key),
                Err(e) => {
                    tracing::error!(key, error = %e, "a media file could not be deleted; it is left behind");
                }
            }
        }
        crate::edge::forget_files(&self.svc, &deleted).await;
    }

    /// Produces the variants of one preset for an image, replacing earlier ones of that
    /// preset. Without a rectangle, the largest centred one of the preset's ratio is used.
    pub async fn crop(
        &self,
        id: i64,
        preset_name: &str,
        rect: Option<RequestedRect>,
    ) -> AppResult<Media> {
        let media: Media = rows::find(&mut self.svc.db.read().await?.conn(), id)
            .await?
            .ok_or_else(|| AppError::not_found("There is no media item with this id."))?
            .into();
        if media.kind != MediaKind::Image {
            return Err(AppError::bad_input("Only images can be cropped."));
        }
        let presets = &self.settings.presets;
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
        let now = self.svc.clock.now().into();
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
                self.store
                    .derived_variant_url(&media.stored, extension, rect, *w, *h)
            })
            .collect();
        if let Some(urls) = derived {
            for ((name, w, h), url) in sizes.iter().zip(urls) {
                new.push(variant(name, *w, *h, "AUTO", url, None, None));
            }
        } else {
            let original = self.store.get(&media.stored.key).await?;
            let max_pixels = self.settings.max_image_pixels;
            let render_sizes = sizes.clone();
            let rendered = self
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
                match self.put_image(&r.bytes, extension).await {
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
                        self.discard_variants(&new).await;
                        return Err(e.into());
                    }
                }
            }
        }
        let events = &self.svc.events;
        let replaced = self
            .svc
            .db
            .transaction(async |tx| {
                let old =
                    rows::replace_variants(&mut tx.conn(), media.id, &preset.name, &new).await?;
                events.publish_on_commit(tx, STORAGE_TOPIC).await?;
                Ok::<_, DbError>(old)
            })
            .await;
        match replaced {
            Ok(old) => {
                let replaced: Vec<&str> = old
                    .iter()
                    .filter_map(|v| v.storage_key.as_deref())
                    .collect();
                self.release(&replaced, MediaKind::Image).await;
                Ok(media)
            }
            Err(e) => {
                self.discard_variants(&new).await;
                Err(e.into())
            }
        }
    }

    async fn discard_variants(&self, variants: &[NewVariant]) {
        let keys: Vec<&str> = variants
            .iter()
            .filter_map(|v| v.storage_key.as_deref())
            .collect();
        self.release(&keys, MediaKind::Image).await;
    }

    /// Deletes a media item with its file and every variant (locally or at the provider).
    pub async fn delete(&self, id: i64) -> AppResult<()> {
        let (media, variants, shared) = {
            let mut pooled = self.svc.db.read().await?;
            let mut conn = pooled.conn();
            let media: Media = rows::find(&mut conn, id)
                .await?
                .ok_or_else(|| AppError::not_found("There is no media item with this id."))?
                .into();
            let products = crate::db::product_media::products_using(&mut conn, id).await?;
            if !products.is_empty() {
                return Err(AppError::conflict(format!(
                    "This item is shown on {}; take it off the product first.",
                    products
                        .iter()
                        .map(|name| format!("“{name}”"))
                        .collect::<Vec<_>>()
                        .join(", ")
                )));
            }
            let variants = rows::variants_of(&mut conn, &[id]).await?;
            let shared = !rows::keys_in_use(&mut conn, &[&media.stored.key], Some(id))
                .await?
                .is_empty();
            (media, variants, shared)
        };
        // The original first: if the provider cannot delete it, nothing has changed yet.
        if !shared {
            self.store.delete(&media.stored.key, media.kind).await?;
            crate::edge::forget_files(&self.svc, &[&media.stored.key]).await;
        }
        let events = &self.svc.events;
        self.svc
            .db
            .transaction(async |tx| {
                rows::delete(&mut tx.conn(), id).await?;
                events.publish_on_commit(tx, STORAGE_TOPIC).await
            })
            .await?;
        let variant_keys: Vec<&str> = variants
            .iter()
            .filter_map(|v| v.storage_key.as_deref())
            .collect();
        self.release(&variant_keys, MediaKind::Image).await;
        Ok(())
    }

    /// One media item.
    pub async fn get(&self, id: i64) -> AppResult<Option<Media>> {
        Ok(rows::find(&mut self.svc.db.read().await?.conn(), id)
            .await?
            .map(Media::from))
    }

    /// A page of media (newest first) and the total.
    pub async fn list(
        &self,
        kind: Option<MediaKind>,
        section: Option<MediaSection>,
        page: Page,
    ) -> AppResult<(Vec<Media>, i64)> {
        let mut pooled = self.svc.db.read().await?;
        let mut conn = pooled.conn();
        let items = rows::list(&mut conn, kind, section, page).await?;
        let total = rows::count(&mut conn, kind, section).await?;
        Ok((items.into_iter().map(Media::from).collect(), total))
    }

    /// The variants of several media items at once (for the per-request loader).
    pub async fn variants_of(&self, ids: &[i64]) -> AppResult<Vec<Variant>> {
        Ok(
            rows::variants_of(&mut self.svc.db.read().await?.conn(), ids)
                .await?
                .into_iter()
                .map(Variant::from)
                .collect(),
        )
    }
}

/// The largest photo file a customer may upload.
pub const PHOTO_MAX_BYTES: u64 = 5 << 20;
/// The longest side a customer's photo is kept at.
pub const PHOTO_MAX_SIDE: u32 = 1600;
/// The most pixels a customer's photo may declare (a phone's 24 MP; decoding takes
/// four bytes a pixel, and customers are many).
pub const PHOTO_MAX_PIXELS: u64 = 24_000_000;

/// A customer's photo as stored (always a JPEG).
#[derive(Debug, Clone)]
pub struct StoredPhoto {
    pub key: String,
    pub url: String,
    pub width: u32,
    pub height: u32,
    pub bytes: i64,
}

impl MediaLibrary {
    /// Stores a customer's photo (a review's): JPEG, PNG or WebP of at most
    /// [`PHOTO_MAX_BYTES`], re-encoded as an upright JPEG without metadata, at most
    /// [`PHOTO_MAX_SIDE`] pixels each way. It is kept apart from the library: its name
    /// can never be one of the library's files, and no section lists it.
    pub async fn store_photo(&self, file: std::fs::File) -> AppResult<StoredPhoto> {
        let mut file = file;
        let (len, head, file) = self
            .images
            .run(move || {
                let (len, _, head) = fingerprint(&mut file)
                    .map_err(|e| format!("The upload could not be read: {e}"))?;
                Ok((len, head, file))
            })
            .await?;
        if len > PHOTO_MAX_BYTES {
            return Err(too_big("photo", len, PHOTO_MAX_BYTES));
        }
        let Some(format) = sniff::detect(&head).still() else {
            return Err(AppError::bad_input(
                "Only JPEG, PNG or WebP photos are accepted.",
            ));
        };
        let max_pixels = self.settings.max_image_pixels.min(PHOTO_MAX_PIXELS);
        let prepared = self
            .images
            .run(move || {
                let bytes = read_upload(file, len)?;
                self::image::prepare_photo(&bytes, format, max_pixels, PHOTO_MAX_SIDE)
            })
            .await?;
        let hash = sha256_hex(&[b"customer-photo\0".as_slice(), &prepared.bytes].concat());
        let stored = self
            .store
            .put(Object {
                source: Source::Bytes(&prepared.bytes),
                hash: &hash,
                extension: "jpg",
                kind: MediaKind::Image,
                len: prepared.bytes.len() as u64,
            })
            .await?;
        Ok(StoredPhoto {
            key: stored.key,
            url: stored.url,
            width: prepared.width,
            height: prepared.height,
            bytes: prepared.bytes.len() as i64,
        })
    }

    /// Deletes customers' photo files no longer used; failures are logged and the files
    /// left behind (never a record without its file).
    pub async fn delete_photo_files(&self, keys: &[String]) {
        let mut deleted = Vec::new();
        for key in keys {
            match self.store.delete(key, MediaKind::Image).await {
                Ok(()) => deleted.push(key.as_str()),
                Err(e) => {
                    tracing::error!(key, error = %e, "a photo file could not be deleted; it is left behind");
                }
            }
        }
        crate::edge::forget_files(&self.svc, &deleted).await;
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
