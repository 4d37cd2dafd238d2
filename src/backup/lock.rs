//! Who uses a data folder: every `vitrin serve` holds a shared lock on its lock file, a
//! restore an exclusive one, so that a restore never replaces files under a running
//! server. The operating system lets the locks go when the process ends, however it ends.

use std::fs::{File, TryLockError};
use std::path::Path;

use anyhow::Context as _;

/// The lock file in a data folder.
const LOCK_FILE: &str = ".vitrin.lock";

/// A held lock on a data folder; released when dropped.
#[derive(Debug)]
pub struct DataLock {
    _file: File,
}

impl DataLock {
    /// The lock a server holds: any number of servers, no restore.
    pub fn for_serving(data_dir: &Path) -> anyhow::Result<Self> {
        let file = open(data_dir)?;
        match file.try_lock_shared() {
            Ok(()) => Ok(DataLock { _file: file }),
            Err(TryLockError::WouldBlock) => anyhow::bail!(
                "{} is being restored: start the server when the restore has finished",
                data_dir.display()
            ),
            Err(TryLockError::Error(e)) => {
                Err(e).with_context(|| format!("locking {}", data_dir.display()))
            }
        }
    }

    /// The lock a restore holds: nobody else.
    pub(super) fn for_restoring(data_dir: &Path) -> anyhow::Result<Self> {
        let file = open(data_dir)?;
        match file.try_lock() {
            Ok(()) => Ok(DataLock { _file: file }),
            Err(TryLockError::WouldBlock) => anyhow::bail!(
                "a Vitrin server is running on {}: stop it before restoring",
                data_dir.display()
            ),
            Err(TryLockError::Error(e)) => {
                Err(e).with_context(|| format!("locking {}", data_dir.display()))
            }
        }
    }
}

fn open(data_dir: &Path) -> anyhow::Result<File> {
    std::fs::create_dir_all(data_dir)
        .with_context(|| format!("creating {}", data_dir.display()))?;
    let path = data_dir.join(LOCK_FILE);
    std::fs::OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(&path)
        .with_context(|| format!("opening {}", path.display()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn servers_share_a_folder_and_a_restore_waits_for_them_all() {
        let dir = tempfile::tempdir().unwrap();
        let first = DataLock::for_serving(dir.path()).unwrap();
        let second = DataLock::for_serving(dir.path()).unwrap();
        let refused = DataLock::for_restoring(dir.path()).unwrap_err();
        assert!(refused.to_string().contains("stop it"), "{refused}");
        drop((first, second));
        let restoring = DataLock::for_restoring(dir.path()).unwrap();
        assert!(DataLock::for_serving(dir.path()).is_err());
        drop(restoring);
    }
}
