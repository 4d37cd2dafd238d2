//! The media library: upload, crop, delete, list; crop presets.

use async_graphql::dataloader::{DataLoader, NoCache};
use async_graphql::{Context, Enum, ID, InputObject, Object, Result, SimpleObject, Upload};
use chrono::{DateTime, Utc};

use crate::graphql::context::ContextExt;
use crate::graphql::guards::AdminOnly;
use crate::graphql::loaders::{MediaId, VariantLoader};
use crate::graphql::pagination::{Listing, id_cursor, id_page, listing};
use crate::graphql::scalars::BigInt;
use crate::graphql::scalars::parse_id;
use crate::media::{Media, MediaSection, RequestedRect, Variant};

/// Image or video.
#[derive(Enum, Copy, Clone, Eq, PartialEq)]
#[graphql(name = "MediaKind", remote = "crate::media::MediaKind")]
pub enum MediaKindGql {
    Image,
    Video,
}

/// Where on the site a picture is meant to appear (it decides the first crop preset).
#[derive(Enum, Copy, Clone, Eq, PartialEq)]
#[graphql(name = "MediaSection", remote = "crate::media::MediaSection")]
pub enum MediaSectionGql {
    Gallery,
    Product,
    Carousel,
    Other,
}

/// Makes a stored URL absolute (local files are served by this site).
fn absolute(ctx: &Context<'_>, url: &str) -> String {
    if url.starts_with('/') {
        ctx.app().config().public_link(url)
    } else {
        url.to_owned()
    }
}

/// An uploaded image or video, with its variants when they were fetched together with
/// it (a product page's pictures), else loaded in batches.
pub struct MediaGql {
    media: Media,
    variants: Option<Vec<Variant>>,
}

impl From<Media> for MediaGql {
    fn from(media: Media) -> Self {
        MediaGql {
            media,
            variants: None,
        }
    }
}

impl MediaGql {
    /// An item whose variants are already at hand.
    pub fn with_variants(media: Media, variants: Vec<Variant>) -> Self {
        MediaGql {
            media,
            variants: Some(variants),
        }
    }
}

#[Object(name = "Media")]
impl MediaGql {
    async fn id(&self) -> ID {
        ID(self.media.id.to_string())
    }
    async fn kind(&self) -> MediaKindGql {
        self.media.kind.into()
    }
    /// The stored original (re-encoded for images: upright, without metadata).
    async fn url(&self, ctx: &Context<'_>) -> String {
        absolute(ctx, self.media.url())
    }
    async fn width(&self) -> i32 {
        i32::try_from(self.media.width).unwrap_or(i32::MAX)
    }
    async fn height(&self) -> i32 {
        i32::try_from(self.media.height).unwrap_or(i32::MAX)
    }
    /// Videos only.
    async fn duration_seconds(&self) -> Option<f64> {
        self.media.duration_ms.map(|ms| ms as f64 / 1000.0)
    }
    /// Size of the stored original.
    async fn bytes(&self) -> BigInt {
        BigInt(self.media.bytes)
    }
    async fn content_type(&self) -> &str {
        &self.media.content_type
    }
    /// Text for people who cannot see the picture.
    async fn alt(&self) -> Option<&str> {
        self.media.alt.as_deref()
    }
    async fn section(&self) -> MediaSectionGql {
        self.media.section.into()
    }
    async fn created_at(&self) -> DateTime<Utc> {
        self.media.created_at
    }
    /// Cropped sizes, by preset.
    async fn variants(&self, ctx: &Context<'_>) -> Result<Vec<MediaVariantGql>> {
        if let Some(variants) = &self.variants {
            return Ok(variants.iter().cloned().map(MediaVariantGql).collect());
        }
        let loader = ctx.data::<DataLoader<VariantLoader, NoCache>>()?;
        let variants = loader
            .load_one(MediaId(self.media.id))
            .await?
            .unwrap_or_default();
        Ok(variants.into_iter().map(MediaVariantGql).collect())
    }
}

/// One cropped size of an image in one format.
pub struct MediaVariantGql(Variant);

#[Object(name = "MediaVariant")]
impl MediaVariantGql {
    async fn preset(&self) -> &str {
        &self.0.preset
    }
    /// The preset's size name (e.g. main, zoom, thumb).
    async fn size(&self) -> &str {
        &self.0.size
    }
    async fn width(&self) -> i32 {
        i32::try_from(self.0.width).unwrap_or(i32::MAX)
    }
    async fn height(&self) -> i32 {
        i32::try_from(self.0.height).unwrap_or(i32::MAX)
    }
    /// JPEG, WEBP, or AUTO (Cloudinary picks the best format per browser).
    async fn format(&self) -> &str {
        &self.0.format
    }
    async fn url(&self, ctx: &Context<'_>) -> String {
        absolute(ctx, &self.0.url)
    }
    /// A `srcset` of this picture: the file at its width and, behind the edge worker
    /// (`VITRIN_EDGE_URL`), the edge's resized JPEG copies at the allowed widths below
    /// it (320, 480, 640, 800), narrowest first.
    async fn srcset(&self, ctx: &Context<'_>) -> String {
        let v = &self.0;
        let edge = ctx.app().config().edge.as_ref();
        crate::edge::srcset(edge, &v.url, &absolute(ctx, &v.url), &v.format, v.width)
    }
    /// Size of the stored file; null when the provider derives the variant on request.
    async fn bytes(&self) -> Option<BigInt> {
        self.0.bytes.map(BigInt)
    }
    /// The crop rectangle, in original-image pixels.
    async fn crop(&self) -> CropRectGql {
        CropRectGql {
            x: i32::try_from(self.0.crop.x).unwrap_or(0),
            y: i32::try_from(self.0.crop.y).unwrap_or(0),
            width: i32::try_from(self.0.crop.width).unwrap_or(0),
            height: i32::try_from(self.0.crop.height).unwrap_or(0),
        }
    }
}

/// A rectangle in original-image pixels.
#[derive(SimpleObject)]
#[graphql(name = "CropRect")]
pub struct CropRectGql {
    x: i32,
    y: i32,
    width: i32,
    height: i32,
}

/// A crop rectangle in original-image pixels (what Cropper.js reports).
#[derive(InputObject)]
pub struct CropRectInput {
    x: i32,
    y: i32,
    width: i32,
    height: i32,
}

/// One output size of a crop preset.
#[derive(SimpleObject)]
pub struct CropSize {
    name: String,
    width: i32,
    height: i32,
}

/// A named crop: aspect ratio and output sizes.
#[derive(SimpleObject)]
pub struct CropPreset {
    name: String,
    /// Width / height.
    aspect_ratio: f64,
    aspect_width: i32,
    aspect_height: i32,
    /// The section whose uploads open this preset first.
    section: Option<MediaSectionGql>,
    sizes: Vec<CropSize>,
}

/// Reading the media library.
#[derive(Default)]
pub struct MediaQuery;

#[Object]
impl MediaQuery {
    /// One media item.
    #[graphql(guard = "AdminOnly")]
    async fn media(&self, ctx: &Context<'_>, id: ID) -> Result<Option<MediaGql>> {
        Ok(ctx
            .app()
            .media
            .get(parse_id(&id)?)
            .await?
            .map(MediaGql::from))
    }

    /// Media, newest first, optionally of one kind and section.
    #[graphql(
        guard = "AdminOnly",
        complexity = "first.unwrap_or(20).max(1) as usize * child_complexity"
    )]
    async fn media_list(
        &self,
        ctx: &Context<'_>,
        kind: Option<MediaKindGql>,
        section: Option<MediaSectionGql>,
        first: Option<i32>,
        after: Option<String>,
    ) -> Result<Listing<MediaGql>> {
        let app = ctx.app();
        let page = id_page(first, after.as_deref(), app.config().graphql.max_page_size)?;
        let (items, total) = app
            .media
            .list(kind.map(Into::into), section.map(Into::into), page)
            .await?;
        Ok(listing(
            items,
            page.limit,
            total,
            |m| id_cursor(m.id),
            MediaGql::from,
        ))
    }

    /// The crop presets.
    #[graphql(guard = "AdminOnly")]
    async fn crop_presets(&self, ctx: &Context<'_>) -> Vec<CropPreset> {
        ctx.app()
            .media
            .presets()
            .iter()
            .map(|p| CropPreset {
                name: p.name.clone(),
                aspect_ratio: p.ratio(),
                aspect_width: i32::try_from(p.aspect_width).unwrap_or(i32::MAX),
                aspect_height: i32::try_from(p.aspect_height).unwrap_or(i32::MAX),
                section: p.section.map(Into::into),
                sizes: p
                    .sizes
                    .iter()
                    .map(|s| CropSize {
                        name: s.name.clone(),
                        width: i32::try_from(s.width).unwrap_or(i32::MAX),
                        height: i32::try_from(s.height).unwrap_or(i32::MAX),
                    })
                    .collect(),
            })
            .collect()
    }
}

/// Changing the media library.
#[derive(Default)]
pub struct MediaMutation;

#[Object]
impl MediaMutation {
    /// Uploads an image (JPEG, PNG, WebP) or video (MP4, WebM); the type is decided by
    /// the file's content. The same file uploaded again returns the existing item.
    #[graphql(guard = "AdminOnly")]
    async fn upload_media(
        &self,
        ctx: &Context<'_>,
        file: Upload,
        alt: Option<String>,
        section: Option<MediaSectionGql>,
    ) -> Result<MediaGql> {
        let upload = file.value(ctx).map_err(crate::error::AppError::internal)?;
        let section = section.map_or(MediaSection::Other, Into::into);
        Ok(MediaGql::from(
            ctx.app().media.upload(upload.content, alt, section).await?,
        ))
    }

    /// Produces the variants of a preset from a crop rectangle (or, without one, the
    /// largest centred rectangle of the preset's ratio), replacing earlier ones.
    #[graphql(guard = "AdminOnly")]
    async fn crop_media(
        &self,
        ctx: &Context<'_>,
        id: ID,
        preset: String,
        rect: Option<CropRectInput>,
    ) -> Result<MediaGql> {
        let rect = rect.map(|r| RequestedRect {
            x: i64::from(r.x),
            y: i64::from(r.y),
            width: i64::from(r.width),
            height: i64::from(r.height),
        });
        Ok(MediaGql::from(
            ctx.app().media.crop(parse_id(&id)?, &preset, rect).await?,
        ))
    }

    /// Deletes a media item, its stored file and every variant.
    #[graphql(guard = "AdminOnly")]
    async fn delete_media(&self, ctx: &Context<'_>, id: ID) -> Result<bool> {
        ctx.app().media.delete(parse_id(&id)?).await?;
        Ok(true)
    }
}
