//! Checks that an MP4 or WebM file really holds a video: a video track with its
//! dimensions, a positive duration, and media data present (a header-only file is
//! refused). Reads box/element headers only and never trusts a size it cannot check.

use std::io::{Read, Seek, SeekFrom};

/// What a valid video holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct VideoInfo {
    pub width: u32,
    pub height: u32,
    pub duration_ms: i64,
}

/// Why a video was refused (for people).
pub type VideoError = String;

/// Reads an MP4 file.
pub fn inspect_mp4<R: Read + Seek>(reader: &mut R, len: u64) -> Result<VideoInfo, VideoError> {
    let mut duration_ms = None;
    let mut track = None;
    let mut media_data = false;
    for b in boxes(reader, 0, len)? {
        match &b.kind {
            b"moov" => {
                for child in boxes(reader, b.body, b.end)? {
                    match &child.kind {
                        b"mvhd" => {
                            duration_ms =
                                Some(mvhd_duration(&read_at(reader, child.body, child.end, 32)?)?)
                        }
                        b"trak" if track.is_none() => track = video_track(reader, &child)?,
                        _ => {}
                    }
                }
            }
            b"mdat" => media_data |= b.end > b.body,
            b"moof" => media_data = true,
            _ => {}
        }
    }
    let (width, height) = track.ok_or("The MP4 file has no video track.")?;
    let duration_ms = duration_ms.ok_or("The MP4 file has no movie header (it is incomplete).")?;
    if duration_ms <= 0 {
        return Err("The MP4 video has no duration.".to_owned());
    }
    if !media_data {
        return Err("The MP4 file holds no media data (only headers).".to_owned());
    }
    Ok(VideoInfo {
        width,
        height,
        duration_ms,
    })
}

struct Mp4Box {
    kind: [u8; 4],
    body: u64,
    end: u64,
}

fn boxes<R: Read + Seek>(reader: &mut R, start: u64, end: u64) -> Result<Vec<Mp4Box>, VideoError> {
    let truncated = || "The MP4 file is truncated or malformed.".to_owned();
    let mut found = Vec::new();
    let mut at = start;
    while at + 8 <= end {
        let header = read_at(reader, at, end, 16.min(end - at))?;
        let size32 = u32::from_be_bytes([header[0], header[1], header[2], header[3]]);
        let kind = [header[4], header[5], header[6], header[7]];
        let (size, header_len) = match size32 {
            0 => (end - at, 8),
            1 => {
                if header.len() < 16 {
                    return Err(truncated());
                }
                let mut big = [0u8; 8];
                big.copy_from_slice(&header[8..16]);
                (u64::from_be_bytes(big), 16)
            }
            n => (u64::from(n), 8),
        };
        if size < header_len || at.checked_add(size).is_none_or(|e| e > end) {
            return Err(truncated());
        }
        found.push(Mp4Box {
            kind,
            body: at + header_len,
            end: at + size,
        });
        at += size;
        if found.len() > 10_000 {
            return Err(truncated());
        }
    }
    Ok(found)
}

fn read_at<R: Read + Seek>(
    reader: &mut R,
    at: u64,
    end: u64,
    want: u64,
) -> Result<Vec<u8>, VideoError> {
    let len = want.min(end.saturating_sub(at)).min(1 << 16);
    let mut buf = vec![0u8; usize::try_from(len).unwrap_or(0)];
    reader
        .seek(SeekFrom::Start(at))
        .and_then(|_| reader.read_exact(&mut buf))
        .map_err(|_| "The video file is truncated.".to_owned())?;
    Ok(buf)
}

fn be_u32(bytes: &[u8], at: usize) -> Option<u32> {
    bytes
        .get(at..at + 4)
        .map(|b| u32::from_be_bytes([b[0], b[1], b[2], b[3]]))
}

fn be_u64(bytes: &[u8], at: usize) -> Option<u64> {
    bytes.get(at..at + 8).map(|b| {
        let mut a = [0u8; 8];
        a.copy_from_slice(b);
        u64::from_be_bytes(a)
    })
}

fn mvhd_duration(body: &[u8]) -> Result<i64, VideoError> {
    let malformed = || "The MP4 movie header is malformed.".to_owned();
    let version = *body.first().ok_or_else(malformed)?;
    let (timescale, duration) = if version == 1 {
        (be_u32(body, 20), be_u64(body, 24))
    } else {
        (be_u32(body, 12), be_u32(body, 16).map(u64::from))
    };
    let (timescale, duration) = (
        timescale.ok_or_else(malformed)?,
        duration.ok_or_else(malformed)?,
    );
    if timescale == 0 {
        return Err(malformed());
    }
    Ok(i64::try_from(u128::from(duration) * 1000 / u128::from(timescale)).unwrap_or(i64::MAX))
}

/// The width and height of a track if it is a video track.
fn video_track<R: Read + Seek>(
    reader: &mut R,
    trak: &Mp4Box,
) -> Result<Option<(u32, u32)>, VideoError> {
    let mut size = None;
    let mut is_video = false;
    for child in boxes(reader, trak.body, trak.end)? {
        match &child.kind {
            b"tkhd" => {
                let body = read_at(reader, child.body, child.end, 96)?;
                // Width and height are the last two 16.16 fixed-point fields.
                let at = if body.first() == Some(&1) { 88 } else { 76 };
                if let (Some(w), Some(h)) = (be_u32(&body, at), be_u32(&body, at + 4)) {
                    size = Some((w >> 16, h >> 16));
                }
            }
            b"mdia" => {
                for m in boxes(reader, child.body, child.end)? {
                    if &m.kind == b"hdlr" {
                        let body = read_at(reader, m.body, m.end, 12)?;
                        is_video = body.get(8..12) == Some(b"vide".as_slice());
                    }
                }
            }
            _ => {}
        }
    }
    Ok(match (is_video, size) {
        (true, Some((w, h))) if w > 0 && h > 0 => Some((w, h)),
        _ => None,
    })
}

/// Reads a WebM file.
pub fn inspect_webm<R: Read + Seek>(reader: &mut R, len: u64) -> Result<VideoInfo, VideoError> {
    let mut ebml = Ebml { reader, len };
    let (id, header_body, header_end) = ebml.element(0, len)?;
    if id != 0x1A45_DFA3 {
        return Err("The file is not a WebM video.".to_owned());
    }
    let mut doc_type = String::new();
    for (id, body, end) in ebml.children(header_body, header_end)? {
        if id == 0x4282 {
            doc_type = String::from_utf8_lossy(&ebml.read(body, end, 32)?)
                .trim_end_matches('\0')
                .to_owned();
        }
    }
    if doc_type != "webm" {
        return Err(format!(
            "The file is a Matroska file of type {doc_type:?}, not WebM."
        ));
    }
    let (id, segment_body, segment_end) = ebml.element(header_end, len)?;
    if id != 0x1853_8067 {
        return Err("The WebM file has no segment.".to_owned());
    }
    let mut timecode_scale = 1_000_000u64;
    let mut duration = None;
    let mut size = None;
    let mut has_clusters = false;
    for (id, body, end) in ebml.children(segment_body, segment_end)? {
        match id {
            0x1549_A966 => {
                for (id, body, end) in ebml.children(body, end)? {
                    match id {
                        0x2A_D7B1 => timecode_scale = be_uint(&ebml.read(body, end, 8)?),
                        0x4489 => duration = Some(be_float(&ebml.read(body, end, 8)?)),
                        _ => {}
                    }
                }
            }
            0x1654_AE6B => {
                for (id, body, end) in ebml.children(body, end)? {
                    if id == 0xAE && size.is_none() {
                        size = ebml.video_entry(body, end)?;
                    }
                }
            }
            0x1F43_B675 => has_clusters |= end > body,
            _ => {}
        }
    }
    let (width, height) = size.ok_or("The WebM file has no video track.")?;
    let duration_ms = duration
        .filter(|d| d.is_finite() && *d > 0.0)
        .map(|d| (d * timecode_scale as f64 / 1_000_000.0) as i64)
        .filter(|ms| *ms > 0)
        .ok_or("The WebM video has no duration.")?;
    if !has_clusters {
        return Err("The WebM file holds no media data (only headers).".to_owned());
    }
    Ok(VideoInfo {
        width,
        height,
        duration_ms,
    })
}

struct Ebml<'a, R> {
    reader: &'a mut R,
    len: u64,
}

impl<R: Read + Seek> Ebml<'_, R> {
    fn read(&mut self, at: u64, end: u64, max: u64) -> Result<Vec<u8>, VideoError> {
        read_at(self.reader, at, end, max)
    }

    /// One element at `at`: its id and the range of its body.
    fn element(&mut self, at: u64, end: u64) -> Result<(u32, u64, u64), VideoError> {
        let malformed = || "The WebM file is truncated or malformed.".to_owned();
        let head = self.read(at, end, 12)?;
        let id_len = vint_len(*head.first().ok_or_else(malformed)?)
            .filter(|l| *l <= 4)
            .ok_or_else(malformed)?;
        let id = head
            .get(..id_len)
            .ok_or_else(malformed)?
            .iter()
            .fold(0u32, |acc, b| acc << 8 | u32::from(*b));
        let size_first = *head.get(id_len).ok_or_else(malformed)?;
        let size_len = vint_len(size_first).ok_or_else(malformed)?;
        let size_bytes = head.get(id_len..id_len + size_len).ok_or_else(malformed)?;
        let mask = if size_len == 8 { 0 } else { 0xFFu8 >> size_len };
        let mut size = u64::from(size_bytes[0] & mask);
        let mut unknown = size_bytes[0] & mask == mask;
        for b in &size_bytes[1..] {
            size = size << 8 | u64::from(*b);
            unknown &= *b == 0xFF;
        }
        let body = at + (id_len + size_len) as u64;
        let body_end = if unknown {
            end.min(self.len)
        } else {
            body.checked_add(size).ok_or_else(malformed)?
        };
        if body_end > end {
            return Err(malformed());
        }
        Ok((id, body, body_end))
    }

    fn children(&mut self, start: u64, end: u64) -> Result<Vec<(u32, u64, u64)>, VideoError> {
        let mut found = Vec::new();
        let mut at = start;
        while at < end {
            let element = self.element(at, end)?;
            at = element.2;
            found.push(element);
            if found.len() > 100_000 {
                return Err("The WebM file is malformed.".to_owned());
            }
        }
        Ok(found)
    }

    fn video_entry(&mut self, start: u64, end: u64) -> Result<Option<(u32, u32)>, VideoError> {
        let mut is_video = false;
        let mut size = (0u32, 0u32);
        for (id, body, end) in self.children(start, end)? {
            match id {
                0x83 => is_video = be_uint(&self.read(body, end, 8)?) == 1,
                0xE0 => {
                    for (id, body, end) in self.children(body, end)? {
                        let value = u32::try_from(be_uint(&self.read(body, end, 8)?)).unwrap_or(0);
                        match id {
                            0xB0 => size.0 = value,
                            0xBA => size.1 = value,
                            _ => {}
                        }
                    }
                }
                _ => {}
            }
        }
        Ok((is_video && size.0 > 0 && size.1 > 0).then_some(size))
    }
}

fn vint_len(first: u8) -> Option<usize> {
    (first != 0).then(|| first.leading_zeros() as usize + 1)
}

fn be_uint(bytes: &[u8]) -> u64 {
    bytes
        .iter()
        .take(8)
        .fold(0u64, |acc, b| acc << 8 | u64::from(*b))
}

fn be_float(bytes: &[u8]) -> f64 {
    match bytes.len() {
        4 => f64::from(f32::from_be_bytes([bytes[0], bytes[1], bytes[2], bytes[3]])),
        8 => f64::from_be_bytes([
            bytes[0], bytes[1], bytes[2], bytes[3], bytes[4], bytes[5], bytes[6], bytes[7],
        ]),
        _ => 0.0,
    }
}

#[cfg(test)]
mod tests {
    use std::io::Cursor;

    use super::*;

    use crate::media::fixture;

    #[test]
    fn the_mp4_fixture_is_a_three_second_640_by_360_video() {
        let bytes = fixture("clip.mp4");
        let info = inspect_mp4(&mut Cursor::new(&bytes), bytes.len() as u64).unwrap();
        assert_eq!((info.width, info.height), (640, 360));
        assert!((2900..=3100).contains(&info.duration_ms), "{info:?}");
    }

    #[test]
    fn the_webm_fixture_is_a_three_second_640_by_360_video() {
        let bytes = fixture("clip.webm");
        let info = inspect_webm(&mut Cursor::new(&bytes), bytes.len() as u64).unwrap();
        assert_eq!((info.width, info.height), (640, 360));
        assert!((2900..=3100).contains(&info.duration_ms), "{info:?}");
    }

    #[test]
    fn truncated_or_header_only_videos_are_refused() {
        let bytes = fixture("clip.mp4");
        let cut = &bytes[..bytes.len() / 3];
        assert!(inspect_mp4(&mut Cursor::new(cut), cut.len() as u64).is_err());
        let webm = fixture("clip.webm");
        let head = &webm[..400];
        assert!(inspect_webm(&mut Cursor::new(head), head.len() as u64).is_err());
        let junk = b"\x00\x00\x00\x10ftypisom\x00\x00\x00\x00";
        assert!(inspect_mp4(&mut Cursor::new(junk), junk.len() as u64).is_err());
    }
}
