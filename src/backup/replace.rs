//! Putting a restore in place without losing what was there: the old files are first
//! set aside next to where they lie (never deleted before the end), the new ones moved
//! in; any failure puts everything back as it was.

use std::path::{Path, PathBuf};

use anyhow::Context as _;

/// What a restore moved, in order, so that it can be undone.
#[derive(Default)]
pub(super) struct Replacement {
    steps: Vec<Step>,
}

enum Step {
    /// `original` now lies at `aside`.
    SetAside { original: PathBuf, aside: PathBuf },
    /// `path` is new.
    Placed(PathBuf),
    /// A folder made to hold set-aside files.
    Folder(PathBuf),
}

impl Replacement {
    /// Sets the SQLite database at `path` (with its WAL and shared-memory files) aside.
    pub(super) fn set_aside_database(&mut self, path: &Path) -> anyhow::Result<()> {
        for suffix in ["", "-wal", "-shm"] {
            let file = with_suffix(path, suffix);
            if file.exists() {
                self.set_aside(&file, with_suffix(&file, ".before-restore"))?;
            }
        }
        Ok(())
    }

    /// Sets everything inside `dir` aside, in a folder inside it (so that `dir` itself,
    /// perhaps a mount point or a link to a shared volume, stays).
    pub(super) fn set_aside_contents(&mut self, dir: &Path) -> anyhow::Result<()> {
        std::fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))?;
        let folder = dir.join(format!(".before-restore-{}", std::process::id()));
        std::fs::create_dir(&folder).with_context(|| format!("creating {}", folder.display()))?;
        self.steps.push(Step::Folder(folder.clone()));
        for entry in std::fs::read_dir(dir).with_context(|| format!("reading {}", dir.display()))? {
            let entry = entry?;
            if entry.path() != folder {
                self.set_aside(&entry.path(), folder.join(entry.file_name()))?;
            }
        }
        Ok(())
    }

    /// Moves `from` (a file or a folder) to `to`, where nothing lies.
    pub(super) fn place(&mut self, from: &Path, to: &Path) -> anyhow::Result<()> {
        if let Some(parent) = to.parent() {
            std::fs::create_dir_all(parent)
                .with_context(|| format!("creating {}", parent.display()))?;
        }
        move_path(from, to).with_context(|| format!("writing {}", to.display()))?;
        self.steps.push(Step::Placed(to.to_path_buf()));
        Ok(())
    }

    /// Moves everything inside `from` into `dir`.
    pub(super) fn place_contents(&mut self, from: &Path, dir: &Path) -> anyhow::Result<()> {
        for entry in
            std::fs::read_dir(from).with_context(|| format!("reading {}", from.display()))?
        {
            let entry = entry?;
            self.place(&entry.path(), &dir.join(entry.file_name()))?;
        }
        Ok(())
    }

    /// Keeps the new files and deletes the old ones.
    pub(super) fn commit(self) {
        for step in self.steps.into_iter().rev() {
            let (Step::SetAside { aside: path, .. } | Step::Folder(path)) = step else {
                continue;
            };
            if let Err(e) = remove(&path) {
                tracing::warn!(path = %path.display(), error = %e, "removing a replaced file failed");
            }
        }
    }

    /// Removes the new files and puts the old ones back.
    pub(super) fn roll_back(self) {
        for step in self.steps.into_iter().rev() {
            let result = match &step {
                Step::Placed(path) | Step::Folder(path) => remove(path),
                Step::SetAside { original, aside } => std::fs::rename(aside, original),
            };
            if let Err(e) = result {
                tracing::error!(error = %e, "putting a file back after a failed restore failed");
            }
        }
    }

    fn set_aside(&mut self, original: &Path, aside: PathBuf) -> anyhow::Result<()> {
        std::fs::rename(original, &aside)
            .with_context(|| format!("setting {} aside", original.display()))?;
        self.steps.push(Step::SetAside {
            original: original.to_path_buf(),
            aside,
        });
        Ok(())
    }
}

fn with_suffix(path: &Path, suffix: &str) -> PathBuf {
    let mut name = path.as_os_str().to_owned();
    name.push(suffix);
    PathBuf::from(name)
}

fn remove(path: &Path) -> std::io::Result<()> {
    if path.is_dir() {
        std::fs::remove_dir_all(path)
    } else {
        std::fs::remove_file(path)
    }
}

/// Renames, or, across file systems, copies beside the target and renames there, so
/// that the target appears whole or not at all.
fn move_path(from: &Path, to: &Path) -> std::io::Result<()> {
    if std::fs::rename(from, to).is_ok() {
        return Ok(());
    }
    let partial = with_suffix(to, ".restoring");
    let copied = copy_all(from, &partial).and_then(|()| std::fs::rename(&partial, to));
    if copied.is_err() {
        let _ = remove(&partial);
    }
    copied
}

fn copy_all(from: &Path, to: &Path) -> std::io::Result<()> {
    if from.is_dir() {
        std::fs::create_dir_all(to)?;
        for entry in std::fs::read_dir(from)? {
            let entry = entry?;
            copy_all(&entry.path(), &to.join(entry.file_name()))?;
        }
        Ok(())
    } else {
        std::fs::copy(from, to)?;
        std::fs::File::open(to)?.sync_all()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn write(path: &Path, text: &str) {
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }

    fn read(path: &Path) -> String {
        std::fs::read_to_string(path).unwrap()
    }

    #[test]
    fn a_failed_replacement_puts_everything_back() {
        let dir = tempfile::tempdir().unwrap();
        let (db, media, new) = (
            dir.path().join("vitrin.db"),
            dir.path().join("media"),
            dir.path().join("new"),
        );
        write(&db, "old database");
        write(&db.with_extension("db-wal"), "old log");
        write(&media.join("ab/photo.jpg"), "old photo");
        write(&new.join("vitrin.db"), "new database");
        let mut replacement = Replacement::default();
        replacement.set_aside_database(&db).unwrap();
        replacement.place(&new.join("vitrin.db"), &db).unwrap();
        replacement.set_aside_contents(&media).unwrap();
        assert!(
            replacement
                .place_contents(&new.join("missing"), &media)
                .is_err()
        );
        replacement.roll_back();
        assert_eq!(read(&db), "old database");
        assert_eq!(read(&db.with_extension("db-wal")), "old log");
        assert_eq!(read(&media.join("ab/photo.jpg")), "old photo");
        assert_eq!(
            std::fs::read_dir(&media).unwrap().count(),
            1,
            "nothing else is left in media"
        );
    }

    #[test]
    fn a_committed_replacement_keeps_only_the_new_files() {
        let dir = tempfile::tempdir().unwrap();
        let (media, new) = (dir.path().join("media"), dir.path().join("new"));
        write(&media.join("ab/old.jpg"), "old");
        write(&new.join("cd/new.jpg"), "new");
        let mut replacement = Replacement::default();
        replacement.set_aside_contents(&media).unwrap();
        replacement.place_contents(&new, &media).unwrap();
        replacement.commit();
        let names: Vec<_> = std::fs::read_dir(&media)
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(names, ["cd"]);
        assert_eq!(read(&media.join("cd/new.jpg")), "new");
    }
}
