//! Opaque secrets (session tokens, one-time links): 256 random bits from the OS CSPRNG,
//! base64url for people, SHA-256 hex for the database.

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use rand::RngCore as _;
use sha2::{Digest, Sha256};

/// A fresh secret and the hash that is stored in its place.
pub struct Secret {
    /// What the client holds (43 base64url characters).
    pub raw: String,
    /// What the database holds.
    pub hash: String,
}

/// Creates a new 256-bit secret.
pub fn generate() -> Secret {
    let mut bytes = [0u8; 32];
    rand::rngs::OsRng.fill_bytes(&mut bytes);
    let raw = URL_SAFE_NO_PAD.encode(bytes);
    let hash = hash(&raw);
    Secret { raw, hash }
}

/// The stored form of a secret.
pub fn hash(raw: &str) -> String {
    hex::encode(Sha256::digest(raw.as_bytes()))
}

/// Whether `raw` has the shape of a secret we issued (so junk is refused before any query).
pub fn well_formed(raw: &str) -> bool {
    raw.len() == 43
        && raw
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secrets_are_unique_well_formed_and_stored_hashed() {
        let a = generate();
        let b = generate();
        assert_ne!(a.raw, b.raw);
        assert!(well_formed(&a.raw));
        assert_eq!(a.hash, hash(&a.raw));
        assert_eq!(a.hash.len(), 64);
        assert!(!a.hash.contains(&a.raw));
        assert!(!well_formed("short"));
        assert!(!well_formed(&"é".repeat(43)));
    }
}
