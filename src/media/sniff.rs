//! What a file is, decided by its first bytes (never by its name or declared type).

use super::image::StillFormat;

/// An accepted format, or a description of what the file seems to be.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Detected {
    Jpeg,
    Png,
    Webp,
    Mp4,
    Webm,
    /// Not accepted; the text says what it looks like, for the error message.
    Refused(String),
}

/// How many leading bytes [`detect`] looks at.
pub const SNIFF_LEN: usize = 64;

/// Adds the start of `chunk` to `head` until it holds [`SNIFF_LEN`] bytes; true when
/// it grew.
pub fn extend_head(head: &mut Vec<u8>, chunk: &[u8]) -> bool {
    let take = SNIFF_LEN.saturating_sub(head.len()).min(chunk.len());
    head.extend_from_slice(&chunk[..take]);
    take > 0
}

/// Brands of ISO base media files that are MP4 video (HEIF/AVIF images share the box
/// format and are refused).
const MP4_BRANDS: &[&[u8; 4]] = &[
    b"isom", b"iso2", b"iso3", b"iso4", b"iso5", b"iso6", b"mp41", b"mp42", b"avc1", b"dash",
    b"M4V ", b"mp71",
];

/// Decides the format from the first bytes of a file.
pub fn detect(head: &[u8]) -> Detected {
    if head.is_empty() {
        return Detected::Refused("The file is empty.".to_owned());
    }
    if head.starts_with(&[0xFF, 0xD8, 0xFF]) {
        return Detected::Jpeg;
    }
    if head.starts_with(b"\x89PNG\r\n\x1a\n") {
        return Detected::Png;
    }
    if head.len() >= 12 && &head[0..4] == b"RIFF" && &head[8..12] == b"WEBP" {
        return Detected::Webp;
    }
    if head.len() >= 12 && &head[4..8] == b"ftyp" {
        let major = &head[8..12];
        return if MP4_BRANDS.iter().any(|b| b.as_slice() == major) {
            Detected::Mp4
        } else {
            Detected::Refused(format!(
                "it is an ISO media file of brand {:?} (HEIC, AVIF or QuickTime), not MP4",
                String::from_utf8_lossy(major)
            ))
        };
    }
    if head.starts_with(&[0x1A, 0x45, 0xDF, 0xA3]) {
        return Detected::Webm;
    }
    Detected::Refused(describe(head))
}

fn describe(head: &[u8]) -> String {
    let text = String::from_utf8_lossy(head).to_ascii_lowercase();
    let text = text.trim_start_matches('\u{feff}').trim_start();
    let what = if text.starts_with("<?php") || text.contains("<?php") {
        "it looks like a PHP script"
    } else if text.contains("<svg") || (text.starts_with("<?xml") && text.contains("svg")) {
        "it looks like an SVG image, which can carry scripts"
    } else if text.starts_with("<!doctype html")
        || text.starts_with("<html")
        || text.contains("<script")
    {
        "it looks like an HTML page"
    } else if head.starts_with(b"GIF8") {
        "it is a GIF image"
    } else if head.starts_with(b"%PDF") {
        "it is a PDF document"
    } else if looks_like_text(head) {
        "it looks like a text file"
    } else {
        "its content is not a format we recognise"
    };
    format!("{what}.")
}

/// UTF-8 text without control characters (the head may end inside a character).
fn looks_like_text(head: &[u8]) -> bool {
    let valid = match std::str::from_utf8(head) {
        Ok(text) => text,
        Err(e) if e.error_len().is_none() => {
            std::str::from_utf8(&head[..e.valid_up_to()]).unwrap_or_default()
        }
        Err(_) => return false,
    };
    !valid.is_empty() && valid.chars().all(|c| !c.is_control() || c.is_whitespace())
}

impl Detected {
    /// The still-image format, for an accepted image.
    pub fn still(&self) -> Option<StillFormat> {
        match self {
            Detected::Jpeg => Some(StillFormat::Jpeg),
            Detected::Png => Some(StillFormat::Png),
            Detected::Webp => Some(StillFormat::Webp),
            _ => None,
        }
    }

    /// The MIME type and file extension of an accepted format.
    pub fn mime_and_extension(&self) -> Option<(&'static str, &'static str)> {
        match self {
            Detected::Mp4 => Some(("video/mp4", "mp4")),
            Detected::Webm => Some(("video/webm", "webm")),
            Detected::Refused(_) => None,
            still => still.still().map(|f| (f.mime(), f.extension())),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_are_recognised_by_their_magic_bytes() {
        assert_eq!(detect(b"\xFF\xD8\xFF\xE0\x00\x10JFIF"), Detected::Jpeg);
        assert_eq!(
            detect(b"\x89PNG\r\n\x1a\n\x00\x00\x00\x0dIHDR"),
            Detected::Png
        );
        assert_eq!(detect(b"RIFF\x10\x00\x00\x00WEBPVP8 "), Detected::Webp);
        assert_eq!(
            detect(b"\x00\x00\x00\x20ftypisom\x00\x00\x02\x00"),
            Detected::Mp4
        );
        assert_eq!(
            detect(b"\x1A\x45\xDF\xA3\x9F\x42\x86\x81\x01"),
            Detected::Webm
        );
    }

    #[test]
    fn refusals_say_what_the_file_looks_like() {
        let php = detect(b"<?php system($_GET['c']); ?>");
        assert!(matches!(php, Detected::Refused(ref m) if m.contains("PHP")));
        let svg = detect(b"<?xml version=\"1.0\"?><svg onload=\"alert(1)\">");
        assert!(matches!(svg, Detected::Refused(ref m) if m.contains("SVG")));
        let html = detect(b"<!DOCTYPE html><html><script>");
        assert!(matches!(html, Detected::Refused(ref m) if m.contains("HTML")));
        let heic = detect(b"\x00\x00\x00\x18ftypheic\x00\x00\x00\x00");
        assert!(matches!(heic, Detected::Refused(ref m) if m.contains("HEIC")));
        assert_eq!(detect(b""), Detected::Refused("The file is empty.".into()));
        let turkish = detect("Merhaba, bu bir metin dosyası: ğüşıöç".as_bytes());
        assert!(
            matches!(turkish, Detected::Refused(ref m) if m.contains("text file")),
            "{turkish:?}"
        );
    }
}
