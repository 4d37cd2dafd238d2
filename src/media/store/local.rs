//! Media files in a local folder (`data/media/`), named by content hash and served by
//! the app at `/media/…`.

use std::path::{Path, PathBuf};

use anyhow::Context as _;
use async_trait::async_trait;

use super::{AccountUsage, MediaStore, Object, Provider, Source, StoreError, Stored};
use crate::db::media::MediaKind;
use crate::media::crop::CropRect;

/// The local folder store.
pub struct LocalStore {
    root: PathBuf,
}

impl LocalStore {
    /// A store rooted at `root` (created if missing).
    pub fn new(root: PathBuf) -> anyhow::Result<Self> {
        std::fs::create_dir_all(&root)
            .with_context(|| format!("creating the media folder {}", root.display()))?;
        Ok(LocalStore { root })
    }
}

/// Whether `key` has the shape of a key we issue (`ab/<64 hex>.<ext>`): the only paths
/// ever joined to the media folder.
pub fn valid_key(key: &str) -> bool {
    let Some((dir, file)) = key.split_once('/') else {
        return false;
    };
    let Some((hash, ext)) = file.split_once('.') else {
        return false;
    };
    dir.len() == 2
        && hash.len() == 64
        && hash.starts_with(dir)
        && hash
            .bytes()
            .all(|b| b.is_ascii_hexdigit() && !b.is_ascii_uppercase())
        && matches!(ext, "jpg" | "png" | "webp" | "mp4" | "webm")
}

#[async_trait]
impl MediaStore for LocalStore {
    fn provider(&self) -> Provider {
        Provider::Local
    }

    async fn put(&self, object: Object<'_>) -> Result<Stored, StoreError> {
        let key = format!("{}/{}.{}", &object.hash[..2], object.hash, object.extension);
        let path = self.root.join(&key);
        let dir = path
            .parent()
            .map(Path::to_path_buf)
            .unwrap_or_else(|| self.root.clone());
        let source = match object.source {
            Source::Bytes(bytes) => Ok(bytes.to_vec()),
            Source::File(file) => Err(file.try_clone().context("reading the upload")?),
        };
        tokio::task::spawn_blocking(move || -> anyhow::Result<()> {
            if path.exists() {
                return Ok(());
            }
            std::fs::create_dir_all(&dir)?;
            // Write beside the target, then rename: a reader never sees half a file.
            let mut temp = tempfile::NamedTempFile::new_in(&dir)?;
            match source {
                Ok(bytes) => std::io::Write::write_all(&mut temp, &bytes)?,
                Err(mut file) => {
                    std::io::Seek::rewind(&mut file)?;
                    std::io::copy(&mut file, &mut temp)?;
                }
            }
            temp.as_file().sync_all()?;
            temp.persist(&path)?;
            Ok(())
        })
        .await
        .map_err(anyhow::Error::from)?
        .context("writing a media file")?;
        Ok(Stored {
            url: format!("/media/{key}"),
            key,
            version: None,
        })
    }

    async fn get(&self, key: &str) -> Result<Vec<u8>, StoreError> {
        if !valid_key(key) {
            return Err(StoreError::Io(anyhow::anyhow!("invalid media key {key:?}")));
        }
        Ok(tokio::fs::read(self.root.join(key))
            .await
            .context("reading a media file")?)
    }

    async fn delete(&self, key: &str, _kind: MediaKind) -> Result<(), StoreError> {
        if !valid_key(key) {
            return Err(StoreError::Io(anyhow::anyhow!("invalid media key {key:?}")));
        }
        match tokio::fs::remove_file(self.root.join(key)).await {
            Ok(()) => Ok(()),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
            Err(e) => Err(StoreError::Io(
                anyhow::Error::from(e).context("deleting a media file"),
            )),
        }
    }

    fn derived_variant_url(
        &self,
        _: &Stored,
        _: &str,
        _: CropRect,
        _: u32,
        _: u32,
    ) -> Option<String> {
        None
    }

    async fn account_usage(&self) -> Result<Option<AccountUsage>, StoreError> {
        Ok(None)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_issued_key_shapes_are_valid() {
        let hash = "ab".repeat(32);
        assert!(valid_key(&format!("ab/{hash}.jpg")));
        assert!(!valid_key(&format!("cd/{hash}.jpg")));
        assert!(!valid_key(&format!("ab/{hash}.svg")));
        assert!(!valid_key("../../etc/passwd"));
        assert!(!valid_key(&format!("ab/../{hash}.jpg")));
    }
}
