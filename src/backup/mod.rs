//! `vitrin backup` and `vitrin restore`: one tar archive holding a consistent copy of the
//! SQLite database (`VACUUM INTO`, safe while the server runs), the local media files,
//! and a manifest last (format, version, the schema's migration level, every file with
//! its size and SHA-256). A restore checks everything before it moves anything into
//! place, so a damaged archive or one from a newer schema leaves the folder untouched.
//!
//! On PostgreSQL the database is `pg_dump`'s to back up; the archive then holds the
//! local media only (nothing at all when media lives on Cloudinary).

mod archive;
mod lock;
mod replace;

use std::path::{Path, PathBuf};

use anyhow::{Context as _, bail, ensure};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::config::Config;
use crate::db::{self, Backend, Db};
use crate::media::store::local::valid_key;

use self::archive::{Staged, Writer};
pub use self::lock::DataLock;
use self::replace::Replacement;

/// The archive format this binary writes and reads.
const FORMAT: u32 = 1;
/// Where the database lies in an archive.
const DATABASE_ENTRY: &str = "database/vitrin.db";
/// The folder of the media files in an archive.
const MEDIA_ENTRY: &str = "media";
/// The manifest's name (the archive's last entry).
const MANIFEST_ENTRY: &str = "manifest.json";

/// What an archive holds, as its last entry.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Manifest {
    pub format: u32,
    pub vitrin_version: String,
    pub created_at: DateTime<Utc>,
    /// `sqlite` or `postgres`: where the database was.
    pub backend: String,
    /// The newest migration applied to the database when it was copied.
    pub migration: String,
    /// Whether the archive holds the database (it does not on PostgreSQL).
    pub database: bool,
    pub files: Vec<FileEntry>,
}

/// One file of an archive.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FileEntry {
    pub path: String,
    pub bytes: u64,
    pub sha256: String,
}

/// What a backup wrote (nothing when there was nothing of ours to copy).
#[derive(Debug)]
pub struct BackupReport {
    pub archive: Option<PathBuf>,
    pub manifest: Option<Manifest>,
    /// What the person running it must know (pg_dump, files that went meanwhile).
    pub notes: Vec<String>,
}

/// What a restore put in place.
#[derive(Debug)]
pub struct RestoreReport {
    pub manifest: Manifest,
    pub notes: Vec<String>,
}

/// Writes an archive of what `config` names to `to` (which must not exist yet).
pub async fn create(config: &Config, to: &Path) -> anyhow::Result<BackupReport> {
    ensure!(
        !to.exists(),
        "{} already exists: choose another name",
        to.display()
    );
    let mut notes = Vec::new();
    let media_local = config.media.cloudinary.is_none();
    let sqlite = db::sqlite_path(&config.database_url).map(Path::to_path_buf);
    let backend = if sqlite.is_some() {
        Backend::Sqlite
    } else {
        Backend::Postgres
    };
    if backend == Backend::Postgres {
        notes.push(
            "the database is on PostgreSQL: back it up with pg_dump (for example \
             `pg_dump --format=custom --file=vitrin.dump \"$VITRIN_DATABASE_URL\"`)"
                .to_owned(),
        );
        if !media_local {
            notes.push("media is on Cloudinary: there is nothing here to back up".to_owned());
            return Ok(BackupReport {
                archive: None,
                manifest: None,
                notes,
            });
        }
    } else if !media_local {
        notes.push("media is on Cloudinary and is not in the archive".to_owned());
    }
    if let Some(path) = &sqlite {
        ensure!(
            path.exists(),
            "there is no database at {}: nothing to back up",
            path.display()
        );
    }
    let db = Db::connect(&config.database_url, 1)
        .await
        .context("opening the database")?;
    let migration_level = async || {
        db.applied_migration()
            .await
            .context("reading the schema's migration level")
            .map(Option::unwrap_or_default)
    };
    let migration = migration_level().await?;
    let scratch = tempfile::Builder::new()
        .prefix(".vitrin-backup-")
        .tempdir_in(
            to.parent()
                .filter(|p| !p.as_os_str().is_empty())
                .unwrap_or(Path::new(".")),
        )
        .context("making a scratch folder next to the archive")?;
    let copy = scratch.path().join("vitrin.db");
    if backend == Backend::Sqlite {
        db.copy_sqlite_into(&copy)
            .await
            .context("copying the database")?;
        // The manifest's level must be the copy's: a server upgraded meanwhile would
        // have migrated the database between the two readings.
        ensure!(
            migration_level().await? == migration,
            "the database was migrated while it was being copied: run the backup again"
        );
    }
    let media_dir = media_local.then(|| config.media_dir());
    let manifest_base = Manifest {
        format: FORMAT,
        vitrin_version: env!("CARGO_PKG_VERSION").to_owned(),
        created_at: Utc::now(),
        backend: backend_name(backend).to_owned(),
        migration,
        database: backend == Backend::Sqlite,
        files: Vec::new(),
    };
    let target = to.to_path_buf();
    let (manifest, vanished) = tokio::task::spawn_blocking(move || {
        let mut writer = Writer::create(&target)?;
        if manifest_base.database {
            writer.add_file(&copy, DATABASE_ENTRY)?;
        }
        let mut vanished = 0;
        if let Some(media_dir) = &media_dir {
            // Only the store's own files: an upload being written is a temporary file.
            vanished = writer.add_folder(media_dir, MEDIA_ENTRY, valid_key)?;
        }
        let manifest = writer.finish(manifest_base, MANIFEST_ENTRY)?;
        drop(scratch);
        Ok::<_, anyhow::Error>((manifest, vanished))
    })
    .await
    .context("the backup stopped")??;
    if vanished > 0 {
        notes.push(format!(
            "{vanished} media file(s) were deleted while the backup ran and are not in it"
        ));
    }
    Ok(BackupReport {
        archive: Some(to.to_path_buf()),
        manifest: Some(manifest),
        notes,
    })
}

/// Restores the archive at `from` into the folders `config` names. Refuses a damaged
/// archive, one from a newer schema, and (without `force`) folders that hold data.
pub async fn restore(config: &Config, from: &Path, force: bool) -> anyhow::Result<RestoreReport> {
    let sqlite = db::sqlite_path(&config.database_url).map(Path::to_path_buf);
    let media_dir = config.media_dir();
    let _lock = DataLock::for_restoring(&config.data_dir)?;
    let from = from.to_path_buf();
    let staging_root = config.data_dir.clone();
    // Everything is unpacked and checked beside the data first; nothing moves until all
    // of it is known good.
    let staged = tokio::task::spawn_blocking(move || {
        Staged::unpack(
            &from,
            &staging_root,
            &[DATABASE_ENTRY],
            MEDIA_ENTRY,
            MANIFEST_ENTRY,
        )
    })
    .await
    .context("the restore stopped")??;
    let manifest: Manifest = staged.manifest()?;
    ensure!(
        manifest.format == FORMAT,
        "the archive has format {}; this Vitrin reads format {FORMAT}",
        manifest.format
    );
    staged.verify(&manifest.files)?;
    let mut notes = Vec::new();
    let archive_backend = match manifest.backend.as_str() {
        "sqlite" => Backend::Sqlite,
        "postgres" => Backend::Postgres,
        other => bail!("the archive names an unknown database {other:?}"),
    };
    let latest = db::latest_migration(archive_backend);
    ensure!(
        manifest.migration <= latest,
        "the archive comes from a newer Vitrin (schema {}; this one knows up to {latest}): \
         restore it with that version or a later one",
        manifest.migration
    );
    match (&sqlite, manifest.database) {
        (Some(_), true) | (None, false) => {}
        (None, true) => bail!(
            "the archive holds a SQLite database, and VITRIN_DATABASE_URL names PostgreSQL: \
             restore it with a SQLite VITRIN_DATABASE_URL"
        ),
        (Some(_), false) => bail!(
            "the archive holds no database (it was taken on PostgreSQL): restore the database \
             with pg_restore and run this with VITRIN_DATABASE_URL naming it"
        ),
    }
    if !manifest.database {
        notes.push(
            "the database is not in the archive: restore it with pg_restore from your pg_dump"
                .to_owned(),
        );
    }
    let database_target = sqlite.filter(|_| manifest.database);
    let occupied = occupied(database_target.as_deref(), &media_dir)?;
    if !occupied.is_empty() && !force {
        bail!(
            "{} already holds data: restore into an empty folder, or pass --force to replace it",
            occupied.join(" and ")
        );
    }
    // Afterwards the folder holds exactly the archive's database and media.
    let mut replacement = Replacement::default();
    let placed = (|| -> anyhow::Result<()> {
        if let Some(target) = &database_target {
            let staged_database = staged
                .path(DATABASE_ENTRY)
                .context("the archive's database is missing")?;
            replacement.set_aside_database(target)?;
            replacement.place(&staged_database, target)?;
        }
        replacement.set_aside_contents(&media_dir)?;
        if let Some(staged_media) = staged.path(MEDIA_ENTRY) {
            replacement.place_contents(&staged_media, &media_dir)?;
        }
        Ok(())
    })();
    match placed {
        Ok(()) => replacement.commit(),
        Err(e) => {
            replacement.roll_back();
            return Err(e.context("the restore was undone; the folder holds what it held before"));
        }
    }
    Ok(RestoreReport { manifest, notes })
}

fn backend_name(backend: Backend) -> &'static str {
    match backend {
        Backend::Sqlite => "sqlite",
        Backend::Postgres => "postgres",
    }
}

/// The places a restore would overwrite that hold something.
fn occupied(database: Option<&Path>, media_dir: &Path) -> anyhow::Result<Vec<String>> {
    let mut held = Vec::new();
    if let Some(path) = database
        && path.metadata().is_ok_and(|m| m.len() > 0)
    {
        held.push(path.display().to_string());
    }
    if media_dir.exists()
        && std::fs::read_dir(media_dir)
            .with_context(|| format!("reading {}", media_dir.display()))?
            .next()
            .is_some()
    {
        held.push(media_dir.display().to_string());
    }
    Ok(held)
}
