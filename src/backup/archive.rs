//! The tar side of backups: writing files with their checksums (the archive appears
//! under its name only once complete) and unpacking into a staging folder that checks
//! every entry before anything is moved into place (by [`super::replace`]).

use std::fs::File;
use std::io::{BufWriter, Read, Write};
use std::path::{Component, Path, PathBuf};

use anyhow::{Context as _, bail};
use serde::de::DeserializeOwned;
use sha2::{Digest, Sha256};

use super::{FileEntry, Manifest};

/// The largest manifest read back (a few hundred bytes per file).
const MAX_MANIFEST_BYTES: u64 = 64 * 1024 * 1024;

/// Reads through to `inner`, hashing and counting what passes.
struct Hashing<R> {
    inner: R,
    hasher: Sha256,
    bytes: u64,
}

impl<R: Read> Read for Hashing<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.hasher.update(&buf[..n]);
        self.bytes += n as u64;
        Ok(n)
    }
}

impl<R> Hashing<R> {
    fn new(inner: R) -> Self {
        Hashing {
            inner,
            hasher: Sha256::new(),
            bytes: 0,
        }
    }

    fn entry(self, path: &str) -> FileEntry {
        FileEntry {
            path: path.to_owned(),
            bytes: self.bytes,
            sha256: hex::encode(self.hasher.finalize()),
        }
    }
}

/// An archive being written to `<target>.partial`; renamed to `target` by
/// [`Writer::finish`], removed if dropped before.
pub(super) struct Writer {
    builder: Option<tar::Builder<BufWriter<File>>>,
    partial: PathBuf,
    target: PathBuf,
    files: Vec<FileEntry>,
}

impl Writer {
    /// Starts an archive that only its owner can read (it holds password hashes).
    pub(super) fn create(target: &Path) -> anyhow::Result<Self> {
        let mut partial = target.as_os_str().to_owned();
        partial.push(".partial");
        let partial = PathBuf::from(partial);
        let mut options = std::fs::OpenOptions::new();
        options.write(true).create_new(true);
        #[cfg(unix)]
        std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
        let file = options
            .open(&partial)
            .with_context(|| format!("creating {}", partial.display()))?;
        Ok(Writer {
            builder: Some(tar::Builder::new(BufWriter::new(file))),
            partial,
            target: target.to_path_buf(),
            files: Vec::new(),
        })
    }

    fn builder(&mut self) -> anyhow::Result<&mut tar::Builder<BufWriter<File>>> {
        self.builder
            .as_mut()
            .context("the archive is already finished")
    }

    /// Adds the file at `source` as `entry`, checksummed as it is written.
    pub(super) fn add_file(&mut self, source: &Path, entry: &str) -> anyhow::Result<()> {
        let file = File::open(source).with_context(|| format!("reading {}", source.display()))?;
        self.add_open_file(file, source, entry)
    }

    fn add_open_file(&mut self, file: File, source: &Path, entry: &str) -> anyhow::Result<()> {
        let size = file
            .metadata()
            .with_context(|| format!("reading {}", source.display()))?
            .len();
        let mut header = tar::Header::new_gnu();
        header.set_size(size);
        header.set_mode(0o600);
        header.set_entry_type(tar::EntryType::Regular);
        let mut reader = Hashing::new(file.take(size));
        self.builder()?
            .append_data(&mut header, entry, &mut reader)
            .with_context(|| format!("writing {entry} into the archive"))?;
        if reader.bytes != size {
            bail!("{} changed while it was being copied", source.display());
        }
        self.files.push(reader.entry(entry));
        Ok(())
    }

    /// Adds every regular file under `dir` (sorted, recursively) whose relative path
    /// `keep` accepts, below `prefix`; answers how many were listed but gone by the time
    /// they were read.
    pub(super) fn add_folder(
        &mut self,
        dir: &Path,
        prefix: &str,
        keep: impl Fn(&str) -> bool,
    ) -> anyhow::Result<usize> {
        let mut vanished = 0;
        if !dir.exists() {
            return Ok(0);
        }
        for relative in files_under(dir)? {
            let name = slash_path(&relative)?;
            if !keep(&name) {
                continue;
            }
            let source = dir.join(&relative);
            let file = match File::open(&source) {
                Ok(file) => file,
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                    vanished += 1;
                    continue;
                }
                Err(e) => return Err(e).with_context(|| format!("reading {}", source.display())),
            };
            let entry = format!("{prefix}/{name}");
            self.add_open_file(file, &source, &entry)?;
        }
        Ok(vanished)
    }

    /// Writes the manifest (listing every file added) last, completes the archive on
    /// disk and gives it its name.
    pub(super) fn finish(
        mut self,
        mut manifest: Manifest,
        entry: &str,
    ) -> anyhow::Result<Manifest> {
        manifest.files = std::mem::take(&mut self.files);
        let json = serde_json::to_vec_pretty(&manifest)?;
        let mut header = tar::Header::new_gnu();
        header.set_size(json.len() as u64);
        header.set_mode(0o600);
        header.set_entry_type(tar::EntryType::Regular);
        self.builder()?
            .append_data(&mut header, entry, json.as_slice())?;
        let builder = self
            .builder
            .take()
            .context("the archive is already finished")?;
        let mut out = builder.into_inner().context("completing the archive")?;
        out.flush().context("writing the archive")?;
        out.get_ref().sync_all().context("writing the archive")?;
        // A link, unlike a rename, never replaces a file that appeared meanwhile.
        std::fs::hard_link(&self.partial, &self.target)
            .with_context(|| format!("naming the archive {}", self.target.display()))?;
        Ok(manifest)
    }
}

impl Drop for Writer {
    fn drop(&mut self) {
        // Finished or not, the partial file goes (once finished, it is a second link).
        let _ = std::fs::remove_file(&self.partial);
    }
}

/// The regular files under `dir`, relative to it, sorted (symbolic links are skipped:
/// the store never makes them, and following one could copy anything).
fn files_under(dir: &Path) -> anyhow::Result<Vec<PathBuf>> {
    fn walk(root: &Path, dir: &Path, out: &mut Vec<PathBuf>) -> anyhow::Result<()> {
        let entries = match std::fs::read_dir(dir) {
            Ok(entries) => entries,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(()),
            Err(e) => return Err(e).with_context(|| format!("reading {}", dir.display())),
        };
        for entry in entries {
            let entry = entry.with_context(|| format!("reading {}", dir.display()))?;
            let kind = entry.file_type()?;
            let path = entry.path();
            if kind.is_dir() {
                walk(root, &path, out)?;
            } else if kind.is_file() {
                out.push(path.strip_prefix(root)?.to_path_buf());
            }
        }
        Ok(())
    }
    let mut out = Vec::new();
    walk(dir, dir, &mut out)?;
    out.sort();
    Ok(out)
}

/// `relative` with `/` between its parts (it must be plain names only).
fn slash_path(relative: &Path) -> anyhow::Result<String> {
    let mut parts = Vec::new();
    for component in relative.components() {
        match component {
            Component::Normal(part) => parts.push(
                part.to_str()
                    .with_context(|| format!("{} is not UTF-8", relative.display()))?,
            ),
            _ => bail!("{} is not a plain relative path", relative.display()),
        }
    }
    Ok(parts.join("/"))
}

/// An archive unpacked into a staging folder (removed when dropped), with what each
/// file turned out to hold.
pub(super) struct Staged {
    dir: tempfile::TempDir,
    found: Vec<FileEntry>,
    manifest: Option<Vec<u8>>,
}

impl Staged {
    /// Unpacks `archive` into a new folder under `root`. Only regular files named
    /// `singles`, files below `folder/` and the manifest may appear, each once, at plain
    /// relative paths; anything else means the archive is not ours or was tampered with.
    pub(super) fn unpack(
        archive: &Path,
        root: &Path,
        singles: &[&str],
        folder: &str,
        manifest: &str,
    ) -> anyhow::Result<Self> {
        let file = File::open(archive).with_context(|| format!("reading {}", archive.display()))?;
        let dir = tempfile::Builder::new()
            .prefix(".vitrin-restore-")
            .tempdir_in(root)
            .with_context(|| format!("making a staging folder in {}", root.display()))?;
        let damaged = |e: std::io::Error| {
            anyhow::anyhow!("the archive is damaged or not a Vitrin backup: {e}")
        };
        let mut staged = Staged {
            dir,
            found: Vec::new(),
            manifest: None,
        };
        let mut reader = tar::Archive::new(std::io::BufReader::new(file));
        for entry in reader.entries().map_err(damaged)? {
            let mut entry = entry.map_err(damaged)?;
            let path = entry.path().map_err(damaged)?.into_owned();
            let name = slash_path(&path).context("the archive holds an unsafe path")?;
            if entry.header().entry_type() != tar::EntryType::Regular {
                bail!("the archive holds {name}, which is not a regular file");
            }
            let known = name == manifest
                || singles.contains(&name.as_str())
                || name
                    .strip_prefix(folder)
                    .is_some_and(|rest| rest.starts_with('/'));
            if !known {
                bail!("the archive holds {name}, which a Vitrin backup never does");
            }
            let duplicate = staged.found.iter().any(|f| f.path == name)
                || (name == manifest && staged.manifest.is_some());
            if duplicate {
                bail!("the archive holds {name} twice");
            }
            if name == manifest {
                let mut json = Vec::new();
                (&mut entry)
                    .take(MAX_MANIFEST_BYTES)
                    .read_to_end(&mut json)
                    .map_err(damaged)?;
                staged.manifest = Some(json);
                continue;
            }
            let target = staged.dir.path().join(&path);
            if let Some(parent) = target.parent() {
                std::fs::create_dir_all(parent)?;
            }
            // Owner-only, like the archive: the database holds password hashes.
            let mut options = std::fs::OpenOptions::new();
            options.write(true).create_new(true);
            #[cfg(unix)]
            std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
            let mut out = options.open(&target)?;
            let mut reader = Hashing::new(&mut entry);
            std::io::copy(&mut reader, &mut out).map_err(damaged)?;
            staged.found.push(reader.entry(&name));
        }
        Ok(staged)
    }

    /// The manifest, parsed.
    pub(super) fn manifest<M: DeserializeOwned>(&self) -> anyhow::Result<M> {
        let json = self.manifest.as_deref().context(
            "the archive has no manifest: it is not a Vitrin backup, or it was cut short",
        )?;
        serde_json::from_slice(json).context("the archive's manifest is damaged")
    }

    /// Checks that the archive held exactly the files the manifest lists, byte for byte.
    pub(super) fn verify(&self, expected: &[FileEntry]) -> anyhow::Result<()> {
        for file in expected {
            match self.found.iter().find(|f| f.path == file.path) {
                None => bail!("the archive is damaged: {} is missing", file.path),
                Some(found) if found != file => bail!(
                    "the archive is damaged: {} does not match its checksum",
                    file.path
                ),
                Some(_) => {}
            }
        }
        if let Some(extra) = self
            .found
            .iter()
            .find(|f| !expected.iter().any(|e| e.path == f.path))
        {
            bail!(
                "the archive is damaged: {} is not in its manifest",
                extra.path
            );
        }
        Ok(())
    }

    /// Where the staged `entry` (a file or a folder) lies, if the archive held it.
    pub(super) fn path(&self, entry: &str) -> Option<PathBuf> {
        Some(self.dir.path().join(entry)).filter(|p| p.exists())
    }
}
