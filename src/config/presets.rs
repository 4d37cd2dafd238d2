//! Crop presets (`VITRIN_CROP_PRESETS`): named aspect ratios with the output sizes each
//! section of the site needs.

use serde::Deserialize;

use crate::db::media::MediaSection;

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

/// Whether `ratio` is within 1 % of `target`.
pub fn within_one_percent(ratio: f64, target: f64) -> bool {
    ((ratio - target) / target).abs() <= 0.01
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn presets_parse_from_json_and_bad_ones_are_explained() {
        let parsed = parse(r#"[{"name":"banner","aspect":"3:1","sizes":[{"name":"main","width":1500,"height":500}]}]"#).unwrap();
        assert_eq!(parsed[0].ratio(), 3.0);
        assert!(parse(r#"[{"name":"b","aspect":"3:1","sizes":[{"name":"main","width":100,"height":100}]}]"#).unwrap_err().contains("aspect ratio"));
        assert!(parse("nonsense").is_err());
    }
}
