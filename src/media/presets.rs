//! Crop presets: named aspect ratios with the output sizes each section needs, and the
//! rules a crop rectangle must meet.

use serde::Deserialize;

use super::MediaSection;

/// One output size of a preset.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct OutputSize {
    pub name: String,
    pub width: u32,
    pub height: u32,
}

/// A named crop: an aspect ratio and the sizes produced from the crop.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CropPreset {
    pub name: String,
    pub aspect_width: u32,
    pub aspect_height: u32,
    /// The section whose uploads open this preset first in the dashboard.
    pub section: Option<MediaSection>,
    pub sizes: Vec<OutputSize>,
}

impl CropPreset {
    /// Width divided by height.
    pub fn ratio(&self) -> f64 {
        f64::from(self.aspect_width) / f64::from(self.aspect_height)
    }
}

fn size(name: &str, width: u32, height: u32) -> OutputSize {
    OutputSize {
        name: name.to_owned(),
        width,
        height,
    }
}

/// gallery 4:3 → 1200×900; product 1:1 → 1000×1000, 2000×2000 zoom, 160×160 thumbnail;
/// carousel 16:6 → 1920×720.
pub fn defaults() -> Vec<CropPreset> {
    vec![
        CropPreset {
            name: "gallery".into(),
            aspect_width: 4,
            aspect_height: 3,
            section: Some(MediaSection::Gallery),
            sizes: vec![size("main", 1200, 900)],
        },
        CropPreset {
            name: "product".into(),
            aspect_width: 1,
            aspect_height: 1,
            section: Some(MediaSection::Product),
            sizes: vec![
                size("main", 1000, 1000),
                size("zoom", 2000, 2000),
                size("thumb", 160, 160),
            ],
        },
        CropPreset {
            name: "carousel".into(),
            aspect_width: 16,
            aspect_height: 6,
            section: Some(MediaSection::Carousel),
            sizes: vec![size("main", 1920, 720)],
        },
    ]
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct PresetJson {
    name: String,
    /// "W:H", e.g. "16:6".
    aspect: String,
    section: Option<String>,
    sizes: Vec<OutputSize>,
}

/// Parses `VITRIN_CROP_PRESETS`: a JSON list such as
/// `[{"name":"gallery","aspect":"4:3","section":"GALLERY","sizes":[{"name":"main","width":1200,"height":900}]}]`.
pub fn parse(raw: &str) -> Result<Vec<CropPreset>, String> {
    let list: Vec<PresetJson> =
        serde_json::from_str(raw).map_err(|e| format!("not a JSON list of presets ({e})"))?;
    let mut presets: Vec<CropPreset> = Vec::new();
    for p in list {
        let (w, h) = p
            .aspect
            .split_once(':')
            .and_then(|(w, h)| Some((w.trim().parse::<u32>().ok()?, h.trim().parse::<u32>().ok()?)))
            .filter(|(w, h)| *w > 0 && *h > 0)
            .ok_or_else(|| format!("preset {:?}: aspect must look like 4:3", p.name))?;
        let section = match p.section.as_deref() {
            None => None,
            Some(s) => Some(
                MediaSection::from_db(s)
                    .ok_or_else(|| format!("preset {:?}: unknown section {s:?}", p.name))?,
            ),
        };
        let preset = CropPreset {
            name: p.name,
            aspect_width: w,
            aspect_height: h,
            section,
            sizes: p.sizes,
        };
        if preset.name.is_empty()
            || !preset
                .name
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
        {
            return Err(format!(
                "preset name {:?} must be letters, digits, '-' or '_'",
                preset.name
            ));
        }
        if presets.iter().any(|other| other.name == preset.name) {
            return Err(format!("preset {:?} is defined twice", preset.name));
        }
        if preset.sizes.is_empty() {
            return Err(format!("preset {:?} has no sizes", preset.name));
        }
        for s in &preset.sizes {
            if !(1..=10_000).contains(&s.width) || !(1..=10_000).contains(&s.height) {
                return Err(format!(
                    "preset {:?}: size {:?} must be 1–10000 pixels each way",
                    preset.name, s.name
                ));
            }
            if !within_one_percent(f64::from(s.width) / f64::from(s.height), preset.ratio()) {
                return Err(format!(
                    "preset {:?}: size {:?} does not have the preset's aspect ratio",
                    preset.name, s.name
                ));
            }
        }
        presets.push(preset);
    }
    Ok(presets)
}

fn within_one_percent(ratio: f64, target: f64) -> bool {
    ((ratio - target) / target).abs() <= 0.01
}

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
        defaults().into_iter().find(|p| p.name == name).unwrap()
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

    #[test]
    fn presets_parse_from_json_and_bad_ones_are_explained() {
        let parsed = parse(r#"[{"name":"banner","aspect":"3:1","sizes":[{"name":"main","width":1500,"height":500}]}]"#).unwrap();
        assert_eq!(parsed[0].ratio(), 3.0);
        assert!(parse(r#"[{"name":"b","aspect":"3:1","sizes":[{"name":"main","width":100,"height":100}]}]"#).unwrap_err().contains("aspect ratio"));
        assert!(parse("nonsense").is_err());
    }
}
