//! Password hashing (Argon2id, OWASP parameters) off the async threads, and the
//! password policy.

use std::collections::HashSet;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, LazyLock};

use anyhow::Context as _;
use argon2::password_hash::rand_core::OsRng;
use argon2::password_hash::{PasswordHash, PasswordHasher as _, PasswordVerifier as _, SaltString};
use argon2::{Algorithm, Argon2, Params, Version};

use crate::blocking::BoundedBlocking;
use crate::error::{AppError, AppResult};

/// Shortest accepted password (ASVS: at least 8).
pub const MIN_LENGTH: usize = 8;
/// Longest accepted password; longer ones are refused, never truncated.
pub const MAX_LENGTH: usize = 128;

static COMMON: LazyLock<HashSet<&'static str>> = LazyLock::new(|| {
    include_str!("common-passwords.txt")
        .lines()
        .filter(|l| !l.starts_with('#') && !l.is_empty())
        .collect()
});

/// Why a password is refused, in words for the person choosing it.
pub fn check_policy(password: &str) -> Result<(), String> {
    let length = password.chars().count();
    if length < MIN_LENGTH {
        return Err(format!(
            "The password must be at least {MIN_LENGTH} characters long."
        ));
    }
    if length > MAX_LENGTH {
        return Err(format!(
            "The password must be at most {MAX_LENGTH} characters long."
        ));
    }
    // A line break or another control character could never be typed into a sign-in
    // form again (`printf 'pw\npw\n' | create-admin` once stored one).
    if password.chars().any(char::is_control) {
        return Err(
            "The password cannot contain line breaks, tabs or other control characters.".to_owned(),
        );
    }
    if COMMON.contains(password.to_lowercase().as_str()) {
        return Err(
            "This password is among the most commonly used ones; choose another.".to_owned(),
        );
    }
    Ok(())
}

fn argon2() -> Argon2<'static> {
    // m = 19456 KiB, t = 2, p = 1 (OWASP Password Storage Cheat Sheet).
    let params = Params::new(19_456, 2, 1, None).unwrap_or_default();
    Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
}

/// Hashes and verifies passwords on blocking threads, a bounded number at a time
/// (each hash holds 19 MiB; an unbounded burst would exhaust memory).
#[derive(Clone)]
pub struct Passwords {
    pool: BoundedBlocking,
    /// A real hash of a random password, verified against when the account does not
    /// exist so that the answer takes as long as for a real account.
    dummy_hash: Arc<str>,
    /// Hashes computed or verified since start (for `/metrics`).
    computed: Arc<AtomicU64>,
}

impl Passwords {
    /// A hasher running at most `concurrency` hashes at once.
    pub fn new(concurrency: usize) -> anyhow::Result<Self> {
        let dummy = hash_blocking(SaltString::generate(&mut OsRng).as_ref())?;
        Ok(Passwords {
            pool: BoundedBlocking::new(concurrency),
            dummy_hash: dummy.into(),
            computed: Arc::default(),
        })
    }

    /// How many hashes were computed or verified since start.
    pub fn computed(&self) -> u64 {
        self.computed.load(Ordering::Relaxed)
    }

    /// The PHC string of `password`.
    pub async fn hash(&self, password: &str) -> AppResult<String> {
        let password = password.to_owned();
        self.blocking(move || hash_blocking(&password)).await
    }

    /// Whether `password` matches `hash`; with no hash, checks against the dummy and
    /// answers `false` after the same amount of work.
    pub async fn verify(&self, password: &str, hash: Option<&str>) -> AppResult<bool> {
        let password = password.to_owned();
        // An empty hash is an account without a password (erased): nothing matches it,
        // after the same work.
        let (hash, real) = match hash.filter(|h| !h.is_empty()) {
            Some(h) => (h.to_owned(), true),
            None => (self.dummy_hash.to_string(), false),
        };
        let matches = self
            .blocking(move || {
                let parsed = PasswordHash::new(&hash)
                    .map_err(|e| anyhow::anyhow!("stored hash unreadable: {e}"))?;
                Ok(argon2()
                    .verify_password(password.as_bytes(), &parsed)
                    .is_ok())
            })
            .await?;
        Ok(matches && real)
    }

    async fn blocking<T: Send + 'static>(
        &self,
        work: impl FnOnce() -> anyhow::Result<T> + Send + 'static,
    ) -> AppResult<T> {
        self.computed.fetch_add(1, Ordering::Relaxed);
        self.pool
            .run(work)
            .await?
            .map_err(AppError::internal)?
            .map_err(AppError::Internal)
    }
}

fn hash_blocking(password: &str) -> anyhow::Result<String> {
    let salt = SaltString::generate(&mut OsRng);
    argon2()
        .hash_password(password.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|e| anyhow::anyhow!("{e}"))
        .context("hashing a password")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn policy_accepts_long_uncommon_passphrases_without_composition_rules() {
        assert!(check_policy("correct horse battery staple").is_ok());
        assert!(check_policy("çok gizli bir parola").is_ok());
    }

    #[test]
    fn policy_refuses_short_long_and_common_passwords() {
        assert!(check_policy("kısa").unwrap_err().contains("at least 8"));
        assert!(
            check_policy(&"a".repeat(129))
                .unwrap_err()
                .contains("at most 128")
        );
        assert!(
            check_policy("Password1")
                .unwrap_err()
                .contains("commonly used")
        );
        assert!(COMMON.len() >= 1000);
    }

    #[test]
    fn policy_refuses_control_characters() {
        for password in [
            "kirmizi\nbisiklet",
            "kirmizi\tbisiklet",
            "kirmizi bisiklet\r",
        ] {
            assert!(
                check_policy(password)
                    .unwrap_err()
                    .contains("control characters"),
                "{password:?}"
            );
        }
    }

    #[tokio::test]
    async fn hashes_are_argon2id_with_owasp_parameters_and_verify() {
        let passwords = Passwords::new(2).unwrap();
        let hash = passwords
            .hash("correct horse battery staple")
            .await
            .unwrap();
        assert!(
            hash.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"),
            "{hash}"
        );
        assert!(
            passwords
                .verify("correct horse battery staple", Some(&hash))
                .await
                .unwrap()
        );
        assert!(!passwords.verify("wrong", Some(&hash)).await.unwrap());
        assert!(!passwords.verify("anything", None).await.unwrap());
    }
}
