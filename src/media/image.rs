//! Image work, synchronous and CPU-bound (run on blocking threads): checking and
//! re-encoding uploads (orientation applied, every byte of metadata dropped), and
//! producing crop variants.
//!
//! The parts are chosen by speed, measured by benches/image_pipeline.rs against
//! libvips: zune-jpeg decodes JPEG, fast_image_resize crops and downscales in one SIMD
//! Lanczos3 pass (the crop is a source window: no copy), jpeg-encoder writes 4:2:0 JPEG
//! and libwebp lossy WebP. photon-rs was dropped: its crop clones the whole frame and
//! copies pixel by pixel (204 ms of a 12 MP product crop, against none here).

use std::io::Cursor;

use fast_image_resize::images::{Image as FirImage, ImageRef};
use fast_image_resize::{FilterType, PixelType, ResizeAlg, ResizeOptions, Resizer};
use image::{DynamicImage, ImageFormat, ImageReader, Limits, RgbaImage};
use jpeg_encoder::{ColorType, Encoder as JpegEncoder, SamplingFactor};
use zune_core::bytestream::ZCursor;
use zune_core::colorspace::ColorSpace;
use zune_core::options::DecoderOptions;

use super::crop::CropRect;

/// Quality of re-encoded JPEG originals.
const ORIGINAL_JPEG_QUALITY: u8 = 90;
/// Quality of re-encoded WebP originals.
const ORIGINAL_WEBP_QUALITY: f32 = 85.0;
/// Quality of JPEG variants.
pub const VARIANT_JPEG_QUALITY: u8 = 85;
/// Quality of WebP variants.
pub const VARIANT_WEBP_QUALITY: f32 = 80.0;
/// libwebp's effort (0–6) for originals: its default, for the best size.
const ORIGINAL_WEBP_METHOD: i32 = 4;
/// libwebp's effort for variants: on the 2000×2000 product zoom size, method 2 makes
/// files the size libvips makes at its default effort 4, 2.5× faster (the bench shows it).
const VARIANT_WEBP_METHOD: i32 = 2;

/// Why an image was refused, in words for people.
pub type ImageError = String;

/// The still-image formats we accept.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StillFormat {
    Jpeg,
    Png,
    Webp,
}

impl StillFormat {
    /// The MIME type files of this format are stored and served with.
    pub fn mime(self) -> &'static str {
        match self {
            StillFormat::Jpeg => "image/jpeg",
            StillFormat::Png => "image/png",
            StillFormat::Webp => "image/webp",
        }
    }

    /// The file extension of this format.
    pub fn extension(self) -> &'static str {
        match self {
            StillFormat::Jpeg => "jpg",
            StillFormat::Png => "png",
            StillFormat::Webp => "webp",
        }
    }

    /// The format stored with this MIME type.
    pub fn from_mime(mime: &str) -> Option<Self> {
        [StillFormat::Jpeg, StillFormat::Png, StillFormat::Webp]
            .into_iter()
            .find(|f| f.mime() == mime)
    }

    fn image_format(self) -> ImageFormat {
        match self {
            StillFormat::Jpeg => ImageFormat::Jpeg,
            StillFormat::Png => ImageFormat::Png,
            StillFormat::Webp => ImageFormat::WebP,
        }
    }
}

/// A re-encoded original ready to store.
#[derive(Debug)]
pub struct PreparedImage {
    pub bytes: Vec<u8>,
    pub width: u32,
    pub height: u32,
}

/// The dimensions an image's header declares, read without decoding.
pub fn header_dimensions(bytes: &[u8], format: StillFormat) -> Result<(u32, u32), ImageError> {
    ImageReader::with_format(Cursor::new(bytes), format.image_format())
        .into_dimensions()
        .map_err(|_| "The image header is damaged; the file cannot be read.".to_owned())
}

/// Checks, decodes, orients and re-encodes an upload in its own format.
pub fn prepare_original(
    bytes: &[u8],
    format: StillFormat,
    max_pixels: u64,
) -> Result<PreparedImage, ImageError> {
    let (width, height) = header_dimensions(bytes, format)?;
    let pixels = u64::from(width) * u64::from(height);
    if width == 0 || height == 0 {
        return Err("The image has no pixels.".to_owned());
    }
    if pixels > max_pixels {
        return Err(format!(
            "The image is {width}×{height} ({:.1} megapixels); at most {:.1} megapixels are accepted.",
            pixels as f64 / 1e6,
            max_pixels as f64 / 1e6
        ));
    }
    let mut image = decode(bytes, format, max_pixels, false)?;
    if let Some(orientation) = exif_orientation(bytes) {
        image.apply_orientation(orientation);
    }
    let (width, height) = (image.width(), image.height());
    let encoded = match format {
        StillFormat::Jpeg => encode_jpeg(
            &image.into_rgb8(),
            width,
            height,
            ColorType::Rgb,
            ORIGINAL_JPEG_QUALITY,
        )?,
        StillFormat::Png => {
            let mut out = Vec::new();
            image
                .write_to(&mut Cursor::new(&mut out), ImageFormat::Png)
                .map_err(|e| format!("The image could not be re-encoded: {e}"))?;
            out
        }
        StillFormat::Webp => encode_webp(
            &image.into_rgba8(),
            width,
            height,
            ORIGINAL_WEBP_QUALITY,
            ORIGINAL_WEBP_METHOD,
        )?,
    };
    Ok(PreparedImage {
        bytes: encoded,
        width,
        height,
    })
}

/// The quality customers' photos are stored in.
const PHOTO_JPEG_QUALITY: u8 = 82;

/// A customer's photo: decoded strictly, turned upright, flattened onto white, made to
/// fit `max_side` and re-encoded as JPEG, so nothing of the uploaded file (metadata,
/// trailing bytes, other formats' tricks) is kept.
pub fn prepare_photo(
    bytes: &[u8],
    format: StillFormat,
    max_pixels: u64,
    max_side: u32,
) -> Result<PreparedImage, ImageError> {
    let (width, height) = header_dimensions(bytes, format)?;
    if width == 0 || height == 0 {
        return Err("The image has no pixels.".to_owned());
    }
    if u64::from(width) * u64::from(height) > max_pixels {
        return Err(format!(
            "The image is {width}×{height}; at most {:.1} megapixels are accepted.",
            max_pixels as f64 / 1e6
        ));
    }
    let mut image = decode(bytes, format, max_pixels, true)?;
    if let Some(orientation) = exif_orientation(bytes) {
        image.apply_orientation(orientation);
    }
    let mut rgba = image.into_rgba8();
    for pixel in rgba.pixels_mut() {
        let [r, g, b, a] = pixel.0;
        let over_white = |c: u8| {
            let c = u16::from(c) * u16::from(a) + 255 * (255 - u16::from(a));
            u8::try_from(c / 255).unwrap_or(255)
        };
        pixel.0 = [over_white(r), over_white(g), over_white(b), 255];
    }
    let (w, h) = rgba.dimensions();
    let scale = f64::from(max_side) / f64::from(w.max(h));
    if scale < 1.0 {
        let fit = |side: u32| ((f64::from(side) * scale).round() as u32).max(1);
        rgba = resize(&rgba, None, fit(w), fit(h), true)?;
    }
    let (width, height) = rgba.dimensions();
    let rgb = DynamicImage::ImageRgba8(rgba).into_rgb8();
    let bytes = encode_jpeg(&rgb, width, height, ColorType::Rgb, PHOTO_JPEG_QUALITY)?;
    Ok(PreparedImage {
        bytes,
        width,
        height,
    })
}

/// Decodes a whole image, strictly: a truncated or corrupt file is an error, never a
/// partly grey picture. JPEGs decode straight to RGBA when `rgba` is asked for.
pub fn decode(
    bytes: &[u8],
    format: StillFormat,
    max_pixels: u64,
    rgba: bool,
) -> Result<DynamicImage, ImageError> {
    let damaged = |e: &dyn std::fmt::Display| {
        format!("The image is damaged or incomplete and cannot be decoded ({e}).")
    };
    match format {
        StillFormat::Jpeg => {
            let options = DecoderOptions::default()
                .set_strict_mode(true)
                .set_max_width(1 << 16)
                .set_max_height(1 << 16)
                .jpeg_set_out_colorspace(if rgba {
                    ColorSpace::RGBA
                } else {
                    ColorSpace::RGB
                });
            let mut decoder =
                zune_jpeg::JpegDecoder::new_with_options(ZCursor::new(bytes), options);
            let pixels = decoder.decode().map_err(|e| damaged(&format!("{e:?}")))?;
            let info = decoder.info().ok_or_else(|| damaged(&"no header"))?;
            ends_with_eoi(bytes)
                .then_some(())
                .ok_or_else(|| damaged(&"the end of the image is missing"))?;
            let (width, height) = (u32::from(info.width), u32::from(info.height));
            let image = if rgba {
                RgbaImage::from_raw(width, height, pixels).map(DynamicImage::ImageRgba8)
            } else {
                image::RgbImage::from_raw(width, height, pixels).map(DynamicImage::ImageRgb8)
            };
            image.ok_or_else(|| damaged(&"size mismatch"))
        }
        StillFormat::Png | StillFormat::Webp => {
            let mut reader = ImageReader::with_format(Cursor::new(bytes), format.image_format());
            let mut limits = Limits::default();
            limits.max_alloc = Some(max_pixels.saturating_mul(8));
            reader.limits(limits);
            reader.decode().map_err(|e| damaged(&e))
        }
    }
}

/// A complete JPEG ends with the EOI marker (allowing trailing padding).
fn ends_with_eoi(bytes: &[u8]) -> bool {
    let trimmed = bytes
        .iter()
        .rposition(|b| *b != 0)
        .map_or(&bytes[..0], |end| &bytes[..=end]);
    trimmed.ends_with(&[0xFF, 0xD9])
}

fn exif_orientation(bytes: &[u8]) -> Option<image::metadata::Orientation> {
    let exif = exif::Reader::new()
        .read_from_container(&mut Cursor::new(bytes))
        .ok()?;
    let field = exif.get_field(exif::Tag::Orientation, exif::In::PRIMARY)?;
    let value = field.value.get_uint(0)?;
    image::metadata::Orientation::from_exif(u8::try_from(value).ok()?)
}

/// Encodes baseline JPEG with 4:2:0 chroma subsampling.
pub fn encode_jpeg(
    pixels: &[u8],
    width: u32,
    height: u32,
    color: ColorType,
    quality: u8,
) -> Result<Vec<u8>, ImageError> {
    let (w, h) = (u16::try_from(width), u16::try_from(height));
    let (Ok(w), Ok(h)) = (w, h) else {
        return Err("The image is too large for JPEG (at most 65535 pixels each way).".to_owned());
    };
    let mut out = Vec::with_capacity(pixels.len() / 8);
    let mut encoder = JpegEncoder::new(&mut out, quality);
    encoder.set_sampling_factor(SamplingFactor::R_4_2_0);
    encoder
        .encode(pixels, w, h, color)
        .map_err(|e| format!("The image could not be encoded as JPEG: {e}"))?;
    Ok(out)
}

/// Encodes lossy WebP with libwebp's effort `method` (0–6).
pub fn encode_webp(
    rgba: &[u8],
    width: u32,
    height: u32,
    quality: f32,
    method: i32,
) -> Result<Vec<u8>, ImageError> {
    let mut config =
        webp::WebPConfig::new().map_err(|_| "The WebP encoder could not start.".to_owned())?;
    config.lossless = 0;
    config.quality = quality;
    config.method = method;
    // libwebp writes no alpha plane when every pixel is opaque.
    webp::Encoder::from_rgba(rgba, width, height)
        .encode_advanced(&config)
        .map(|m| m.to_vec())
        .map_err(|e| format!("The image could not be encoded as WebP: {e:?}"))
}

/// The encodings every variant is written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum VariantFormat {
    Jpeg,
    Webp,
}

/// One produced variant file.
#[derive(Debug)]
pub struct RenderedVariant {
    pub size: String,
    pub width: u32,
    pub height: u32,
    pub format: VariantFormat,
    pub bytes: Vec<u8>,
}

/// Downscales `window` of `rgba` (the whole image without one) to `width`×`height`
/// with Lanczos3, alpha-aware only when the image has transparency. The window must lie
/// inside the image.
pub fn resize(
    rgba: &RgbaImage,
    window: Option<CropRect>,
    width: u32,
    height: u32,
    opaque: bool,
) -> Result<RgbaImage, ImageError> {
    let (src_w, src_h) = rgba.dimensions();
    let window = window.unwrap_or(CropRect {
        x: 0,
        y: 0,
        width: src_w,
        height: src_h,
    });
    let inside = window.width > 0
        && window.height > 0
        && window
            .x
            .checked_add(window.width)
            .is_some_and(|r| r <= src_w)
        && window
            .y
            .checked_add(window.height)
            .is_some_and(|b| b <= src_h);
    if !inside {
        return Err("The crop rectangle lies outside the image.".to_owned());
    }
    let src = ImageRef::new(src_w, src_h, rgba.as_raw(), PixelType::U8x4)
        .map_err(|e| format!("The image could not be resized: {e}"))?;
    let mut dst = FirImage::new(width, height, PixelType::U8x4);
    let options = ResizeOptions::new()
        .resize_alg(ResizeAlg::Convolution(FilterType::Lanczos3))
        .crop(
            f64::from(window.x),
            f64::from(window.y),
            f64::from(window.width),
            f64::from(window.height),
        )
        .use_alpha(!opaque);
    Resizer::new()
        .resize(&src, &mut dst, &options)
        .map_err(|e| format!("The image could not be resized: {e}"))?;
    RgbaImage::from_raw(width, height, dst.into_vec())
        .ok_or_else(|| "The resize failed.".to_owned())
}

/// Renders every size of a preset from an original: the largest size straight from
/// the crop window, each smaller one from the previous size; each as JPEG and WebP.
pub fn render_variants(
    original: &[u8],
    format: StillFormat,
    max_pixels: u64,
    rect: CropRect,
    sizes: &[(String, u32, u32)],
) -> Result<Vec<RenderedVariant>, ImageError> {
    let decoded = decode(original, format, max_pixels, true)?;
    let may_be_transparent = format != StillFormat::Jpeg && decoded.color().has_alpha();
    let mut source = decoded.into_rgba8();
    let opaque = !may_be_transparent || source.pixels().all(|p| p.0[3] == 255);
    let mut order: Vec<&(String, u32, u32)> = sizes.iter().collect();
    order.sort_by_key(|(_, w, h)| std::cmp::Reverse(u64::from(*w) * u64::from(*h)));
    let mut window = Some(rect);
    let mut out = Vec::with_capacity(sizes.len() * 2);
    for (name, width, height) in order {
        let resized = resize(&source, window.take(), *width, *height, opaque)?;
        let jpeg = if opaque {
            encode_jpeg(
                resized.as_raw(),
                *width,
                *height,
                ColorType::Rgba,
                VARIANT_JPEG_QUALITY,
            )?
        } else {
            encode_jpeg(
                &flatten_on_white(&resized),
                *width,
                *height,
                ColorType::Rgba,
                VARIANT_JPEG_QUALITY,
            )?
        };
        out.push(RenderedVariant {
            size: name.clone(),
            width: *width,
            height: *height,
            format: VariantFormat::Jpeg,
            bytes: jpeg,
        });
        out.push(RenderedVariant {
            size: name.clone(),
            width: *width,
            height: *height,
            format: VariantFormat::Webp,
            bytes: encode_webp(
                resized.as_raw(),
                *width,
                *height,
                VARIANT_WEBP_QUALITY,
                VARIANT_WEBP_METHOD,
            )?,
        });
        source = resized;
    }
    Ok(out)
}

/// JPEG has no transparency: composite on white so transparent areas never turn black.
fn flatten_on_white(rgba: &RgbaImage) -> Vec<u8> {
    rgba.pixels()
        .flat_map(|p| {
            let [r, g, b, a] = p.0;
            let blend = |c: u8| {
                ((u16::from(c) * u16::from(a) + 255 * (255 - u16::from(a)) + 127) / 255) as u8
            };
            [blend(r), blend(g), blend(b), 255]
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    use crate::media::fixture;

    #[test]
    fn a_rotated_phone_photo_is_turned_upright_and_loses_its_exif() {
        let prepared = prepare_original(
            &fixture("photo-exif-rotated.jpg"),
            StillFormat::Jpeg,
            40_000_000,
        )
        .unwrap();
        assert_eq!((prepared.width, prepared.height), (3000, 4000));
        assert!(
            exif::Reader::new()
                .read_from_container(&mut Cursor::new(&prepared.bytes))
                .is_err(),
            "no EXIF left"
        );
        assert!(!prepared.bytes.windows(4).any(|w| w == b"Exif"));
        // The white "TOP" banner is at the top once oriented.
        let image = decode(&prepared.bytes, StillFormat::Jpeg, 40_000_000, false)
            .unwrap()
            .to_rgb8();
        let top: u64 = (0..3000)
            .step_by(10)
            .map(|x| u64::from(image.get_pixel(x, 40).0[1]))
            .sum();
        let bottom: u64 = (0..3000)
            .step_by(10)
            .map(|x| u64::from(image.get_pixel(x, 3960).0[1]))
            .sum();
        assert!(top > bottom, "the banner is at the top ({top} vs {bottom})");
    }

    #[test]
    fn a_truncated_jpeg_is_refused() {
        let err = prepare_original(&fixture("bad/truncated.jpg"), StillFormat::Jpeg, 40_000_000)
            .unwrap_err();
        assert!(err.contains("damaged or incomplete"), "{err}");
    }

    #[test]
    fn a_decompression_bomb_is_refused_from_its_header() {
        let err =
            prepare_original(&fixture("bad/bomb.png"), StillFormat::Png, 40_000_000).unwrap_err();
        assert!(err.contains("50000×50000"), "{err}");
    }

    #[test]
    fn png_transparency_survives_and_jpeg_variants_are_white_where_it_was_transparent() {
        let prepared =
            prepare_original(&fixture("small.png"), StillFormat::Png, 40_000_000).unwrap();
        let reread = decode(&prepared.bytes, StillFormat::Png, 40_000_000, false)
            .unwrap()
            .to_rgba8();
        assert_eq!(
            reread.get_pixel(0, 0).0[3],
            0,
            "the corner stays transparent"
        );
        let rect = CropRect {
            x: 0,
            y: 0,
            width: 800,
            height: 600,
        };
        let variants = render_variants(
            &prepared.bytes,
            StillFormat::Png,
            40_000_000,
            rect,
            &[("main".into(), 400, 300)],
        )
        .unwrap();
        let jpeg = variants
            .iter()
            .find(|v| v.format == VariantFormat::Jpeg)
            .unwrap();
        let corner = decode(&jpeg.bytes, StillFormat::Jpeg, 40_000_000, false)
            .unwrap()
            .to_rgb8()
            .get_pixel(0, 0)
            .0;
        assert!(
            corner.iter().all(|c| *c > 240),
            "transparent became white, not black: {corner:?}"
        );
        let webp = variants
            .iter()
            .find(|v| v.format == VariantFormat::Webp)
            .unwrap();
        let webp_corner = decode(&webp.bytes, StillFormat::Webp, 40_000_000, false)
            .unwrap()
            .to_rgba8()
            .get_pixel(0, 0)
            .0;
        assert!(
            webp_corner[3] < 16,
            "the WebP keeps transparency: {webp_corner:?}"
        );
    }

    #[test]
    fn variants_are_4_2_0_jpeg_and_lossy_webp_of_the_requested_sizes() {
        let original = fixture("photo-landscape.jpg");
        let rect = CropRect {
            x: 500,
            y: 0,
            width: 2000,
            height: 2000,
        };
        let sizes = [
            ("main".to_owned(), 1000, 1000),
            ("thumb".to_owned(), 160, 160),
        ];
        let variants =
            render_variants(&original, StillFormat::Jpeg, 40_000_000, rect, &sizes).unwrap();
        assert_eq!(variants.len(), 4);
        let jpeg = &variants[0];
        assert_eq!(
            (jpeg.width, jpeg.height, jpeg.format),
            (1000, 1000, VariantFormat::Jpeg)
        );
        assert_eq!(
            jpeg_luma_sampling(&jpeg.bytes),
            Some(0x22),
            "4:2:0 subsampling"
        );
        let webp = &variants[1];
        assert_eq!(&webp.bytes[12..16], b"VP8 ", "lossy WebP");
    }

    /// The sampling factors of the first component in the SOF0 header.
    fn jpeg_luma_sampling(bytes: &[u8]) -> Option<u8> {
        let at = bytes.windows(2).position(|w| w == [0xFF, 0xC0])?;
        bytes.get(at + 11).copied()
    }
}
