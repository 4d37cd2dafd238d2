//! Crop rectangles: the rules a requested one must meet for a preset, the default one,
//! and the sizes produced from it.

use crate::config::presets::{CropPreset, OutputSize, within_one_percent};

/// A rectangle in original-image pixels.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CropRect {
    pub x: u32,
    pub y: u32,
    pub width: u32,
    pub height: u32,
}

/// Checks a requested rectangle against the image and the preset; never adjusts it.
pub fn validate_rect(
    preset: &CropPreset,
    x: i64,
    y: i64,
    width: i64,
    height: i64,
    image: (u32, u32),
) -> Result<CropRect, String> {
    let (image_width, image_height) = (i64::from(image.0), i64::from(image.1));
    if width <= 0 || height <= 0 {
        return Err("The crop rectangle must have a positive width and height.".to_owned());
    }
    if x < 0 || y < 0 || x + width > image_width || y + height > image_height {
        return Err(format!(
            "The crop rectangle ({x}, {y}, {width}×{height}) reaches outside the {image_width}×{image_height} image."
        ));
    }
    let ratio = width as f64 / height as f64;
    if !within_one_percent(ratio, preset.ratio()) {
        return Err(format!(
            "The crop rectangle is {width}×{height} (ratio {ratio:.3}); the {} preset needs {}:{} (ratio {:.3}, within 1%).",
            preset.name,
            preset.aspect_width,
            preset.aspect_height,
            preset.ratio()
        ));
    }
    let fit = |v: i64| u32::try_from(v).map_err(|_| "The crop rectangle is too large.".to_owned());
    Ok(CropRect {
        x: fit(x)?,
        y: fit(y)?,
        width: fit(width)?,
        height: fit(height)?,
    })
}

/// The largest rectangle of the preset's ratio, centred in the image.
pub fn centred_rect(preset: &CropPreset, image: (u32, u32)) -> CropRect {
    let (w, h) = (u64::from(image.0), u64::from(image.1));
    let (aw, ah) = (
        u64::from(preset.aspect_width),
        u64::from(preset.aspect_height),
    );
    let (width, height) = if w * ah >= h * aw {
        ((h * aw / ah).max(1), h)
    } else {
        (w, (w * ah / aw).max(1))
    };
    let width = width.min(w);
    let height = height.min(h);
    CropRect {
        x: ((w - width) / 2) as u32,
        y: ((h - height) / 2) as u32,
        width: width as u32,
        height: height as u32,
    }
}

/// The size actually produced for `wanted` from `rect`: never upscaled beyond the crop.
pub fn output_size(wanted: &OutputSize, rect: CropRect) -> (u32, u32) {
    if rect.width >= wanted.width && rect.height >= wanted.height {
        return (wanted.width, wanted.height);
    }
    let scale = (f64::from(rect.width) / f64::from(wanted.width))
        .min(f64::from(rect.height) / f64::from(wanted.height));
    let width = ((f64::from(wanted.width) * scale).round() as u32).max(1);
    let height = ((f64::from(wanted.height) * scale).round() as u32).max(1);
    (width, height)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn preset(name: &str) -> CropPreset {
        crate::config::presets::defaults()
            .into_iter()
            .find(|p| p.name == name)
            .unwrap()
    }

    #[test]
    fn rectangles_must_be_inside_non_empty_and_of_the_ratio() {
        let gallery = preset("gallery");
        assert!(validate_rect(&gallery, 0, 0, 1200, 900, (3000, 2000)).is_ok());
        assert!(
            validate_rect(&gallery, 0, 0, 1204, 900, (3000, 2000)).is_ok(),
            "within 1%"
        );
        assert!(
            validate_rect(&gallery, 0, 0, 1300, 900, (3000, 2000))
                .unwrap_err()
                .contains("ratio")
        );
        assert!(
            validate_rect(&gallery, 2000, 0, 1200, 900, (3000, 2000))
                .unwrap_err()
                .contains("outside")
        );
        assert!(
            validate_rect(&gallery, -1, 0, 1200, 900, (3000, 2000))
                .unwrap_err()
                .contains("outside")
        );
        assert!(
            validate_rect(&gallery, 0, 0, 0, 0, (3000, 2000))
                .unwrap_err()
                .contains("positive")
        );
    }

    #[test]
    fn the_default_rectangle_is_the_largest_centred_one() {
        assert_eq!(
            centred_rect(&preset("product"), (3000, 2000)),
            CropRect {
                x: 500,
                y: 0,
                width: 2000,
                height: 2000
            }
        );
        assert_eq!(
            centred_rect(&preset("carousel"), (3000, 4000)),
            CropRect {
                x: 0,
                y: 1437,
                width: 3000,
                height: 1125
            }
        );
    }

    #[test]
    fn small_crops_are_not_upscaled() {
        let zoom = &preset("product").sizes[1];
        assert_eq!(
            output_size(
                zoom,
                CropRect {
                    x: 0,
                    y: 0,
                    width: 3000,
                    height: 3000
                }
            ),
            (2000, 2000)
        );
        assert_eq!(
            output_size(
                zoom,
                CropRect {
                    x: 0,
                    y: 0,
                    width: 1500,
                    height: 1500
                }
            ),
            (1500, 1500)
        );
    }
}
