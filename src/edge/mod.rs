//! What the origin does for the edge worker (`edge/`): it tells every edge node which
//! public answers changed (a purge by tag, signed and retried from the job queue), and
//! it signs the URLs of the in-between image widths the edge resizes.
//!
//! A public answer's tags are the names of the topics it follows (`stats`, `catalog`,
//! …): the topics are already how this server knows that a remembered answer is out of
//! date, so the edge forgets exactly what this server forgets.

use std::collections::BTreeSet;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use base64::Engine;
use hmac::{Hmac, Mac};
use serde::{Deserialize, Serialize};
use sha2::Sha256;
use tokio::sync::Notify;

use crate::config::EdgeConfig;
use crate::events::Topic;
use crate::jobs::{JobError, JobKind, Jobs};
use crate::services::Services;

/// The widths the edge resizes to (its allow-list: it refuses any other).
pub const IMAGE_WIDTHS: [u32; 4] = [320, 480, 640, 800];

/// Telling one edge node to forget the answers under some tags.
pub const PURGE: JobKind<Purge> = JobKind::new("edge.purge");

/// A purge for one node (each node retries on its own).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Purge {
    /// The node's purge endpoint.
    pub node: String,
    pub tags: Vec<String>,
}

/// How long one purge call may take before it is tried again later.
const PURGE_TIMEOUT: Duration = Duration::from_secs(10);
/// Changes this close together are sent as one purge (visits move `stats` many times a
/// second on a busy site; one purge covers them all).
const COALESCE: Duration = Duration::from_millis(50);

/// The `x-vitrin-signature` header of a purge sent at `timestamp` (Unix seconds):
/// the HMAC-SHA256 of `"{timestamp}.{body}"`, which the edge checks and refuses to see
/// twice or more than five minutes off.
pub fn purge_signature(secret: &str, timestamp: i64, body: &[u8]) -> String {
    let mut mac = hmac(secret);
    mac.update(format!("{timestamp}.").as_bytes());
    mac.update(body);
    format!(
        "t={timestamp},v1={}",
        hex::encode(mac.finalize().into_bytes())
    )
}

/// The signature in an image URL: the HMAC-SHA256 of `"{width}/{key}"`, base64url
/// without padding, so that nobody can make the edge resize anything else.
pub fn image_signature(secret: &str, width: u32, key: &str) -> String {
    let mut mac = hmac(secret);
    mac.update(format!("{width}/{key}").as_bytes());
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(mac.finalize().into_bytes())
}

fn hmac(secret: &str) -> Hmac<Sha256> {
    // HMAC takes keys of any length.
    Hmac::<Sha256>::new_from_slice(secret.as_bytes())
        .unwrap_or_else(|_| unreachable!("HMAC accepts every key length"))
}

/// The edge's resized copies of a stored JPEG `width` pixels wide at `url` (a local
/// `/media/…` file): one per allowed width below its own, widest last. None without an
/// edge URL, for other formats and for files another provider serves.
pub fn resized_images(
    config: Option<&EdgeConfig>,
    url: &str,
    format: &str,
    width: u32,
) -> Vec<(u32, String)> {
    let Some((config, base)) = config.and_then(|c| Some((c, c.url.as_ref()?))) else {
        return Vec::new();
    };
    let Some(key) = url.strip_prefix("/media/") else {
        return Vec::new();
    };
    if format != "JPEG" {
        return Vec::new();
    }
    let base = base.as_str().trim_end_matches('/');
    IMAGE_WIDTHS
        .iter()
        .filter(|w| **w < width)
        .map(|w| {
            let signature = image_signature(&config.secret, *w, key);
            (*w, format!("{base}/img/{signature}/{w}/{key}"))
        })
        .collect()
}

/// A `srcset` of a stored file `width` pixels wide at `url`, shown at `shown` (the
/// absolute or relative address clients use): the edge's narrower copies, then itself.
pub fn srcset(
    config: Option<&EdgeConfig>,
    url: &str,
    shown: &str,
    format: &str,
    width: u32,
) -> String {
    resized_images(config, url, format, width)
        .into_iter()
        .chain([(width, shown.to_owned())])
        .map(|(width, url)| format!("{url} {width}w"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// Registers the purge job's handler and starts telling the edge nodes about changes
/// to `topics` (those public answers follow; each is also the tag the edge files them
/// under); nothing when no node is configured.
pub fn start(svc: &Services, topics: &[Topic]) -> anyhow::Result<()> {
    let Some(config) = svc.config.edge.clone().filter(|c| !c.purge_urls.is_empty()) else {
        return Ok(());
    };
    let client = reqwest::Client::builder().timeout(PURGE_TIMEOUT).build()?;
    let (secret, clock) = (config.secret.clone(), svc.clock.clone());
    svc.jobs.register(&PURGE, move |purge: Purge, _run| {
        let (client, secret, clock) = (client.clone(), secret.clone(), clock.clone());
        async move { send(&client, &secret, clock.now().timestamp(), &purge).await }
    });
    follow(svc, config, topics);
    Ok(())
}

/// Tells every edge node to forget the stored files under `keys` and the copies it made
/// of them: a deleted file (a customer's photo after an erasure) must not be served from
/// the edge for the year it would otherwise keep it. Failures are logged.
pub async fn forget_files(svc: &Services, keys: &[&str]) {
    let Some(config) = svc
        .config
        .edge
        .as_ref()
        .filter(|c| !c.purge_urls.is_empty())
    else {
        return;
    };
    let tags: Vec<String> = keys.iter().map(|key| file_tag(key)).collect();
    if tags.is_empty() {
        return;
    }
    if let Err(e) = queue(&svc.db, &svc.jobs, &config.nodes(), &tags).await {
        tracing::error!(error = ?e, ?tags, "queueing an edge purge of deleted files failed; the edge keeps them");
    }
}

/// The edge's tag of one stored file (`media/ab/abc.jpg` → `media:abc`): its content hash.
pub fn file_tag(key: &str) -> String {
    let name = key.rsplit('/').next().unwrap_or(key);
    format!("media:{}", name.split('.').next().unwrap_or(name))
}

/// Posts `purge` to its node; any failure is tried again (the queue backs off).
async fn send(
    client: &reqwest::Client,
    secret: &str,
    now: i64,
    purge: &Purge,
) -> Result<(), JobError> {
    // The edge refuses a signature it has seen: two purges of the same tags within one
    // second differ by their nonce.
    let nonce: u128 = rand::random();
    let body = serde_json::to_vec(
        &serde_json::json!({ "tags": purge.tags, "nonce": format!("{nonce:032x}") }),
    )
    .map_err(|e| JobError::Permanent(e.into()))?;
    let response = client
        .post(&purge.node)
        .header("content-type", "application/json")
        .header("x-vitrin-signature", purge_signature(secret, now, &body))
        .body(body)
        .send()
        .await
        .map_err(|e| JobError::Retry(anyhow::anyhow!("the edge node did not answer: {e}")))?;
    let status = response.status();
    if status.is_success() {
        tracing::debug!(node = %purge.node, tags = ?purge.tags, "edge purged");
        Ok(())
    } else {
        Err(JobError::Retry(anyhow::anyhow!(
            "the edge node answered {status} to a purge"
        )))
    }
}

/// Follows the public topics and queues one purge per node for what changed, changes
/// close together in one purge, and one purge per node and tags at most waiting.
fn follow(svc: &Services, config: EdgeConfig, topics: &[Topic]) {
    let changed: Arc<Mutex<BTreeSet<&'static str>>> = Arc::default();
    let wake = Arc::new(Notify::new());
    for &topic in topics {
        let mut receiver = svc.events.subscribe(topic);
        let (changed, wake, stopping) = (changed.clone(), wake.clone(), svc.stopping.clone());
        tokio::spawn(async move {
            loop {
                tokio::select! {
                    result = receiver.changed() => if result.is_err() { return },
                    () = stopping.cancelled() => return,
                }
                changed
                    .lock()
                    .unwrap_or_else(|e| e.into_inner())
                    .insert(topic.name());
                wake.notify_one();
            }
        });
    }
    let (db, jobs, stopping) = (svc.db.clone(), svc.jobs.clone(), svc.stopping.clone());
    let nodes = config.nodes();
    tokio::spawn(async move {
        loop {
            tokio::select! {
                () = wake.notified() => {}
                () = stopping.cancelled() => return,
            }
            tokio::time::sleep(COALESCE).await;
            let tags: Vec<String> =
                std::mem::take(&mut *changed.lock().unwrap_or_else(|e| e.into_inner()))
                    .into_iter()
                    .map(str::to_owned)
                    .collect();
            if tags.is_empty() {
                continue;
            }
            if let Err(e) = queue(&db, &jobs, &nodes, &tags).await {
                tracing::error!(error = ?e, ?tags, "queueing an edge purge failed; the edge keeps those answers until they expire");
            }
        }
    });
}

async fn queue(
    db: &crate::db::Db,
    jobs: &Jobs,
    nodes: &[String],
    tags: &[String],
) -> Result<(), crate::db::DbError> {
    let summary = format!("Edge: forget {}", tags.join(", "));
    db.transaction(async |tx| {
        for node in nodes {
            let purge = Purge {
                node: node.clone(),
                tags: tags.to_vec(),
            };
            jobs.enqueue_once(tx, &PURGE, &purge, &summary).await?;
        }
        Ok::<_, crate::db::DbError>(())
    })
    .await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn purges_are_signed_over_the_timestamp_and_the_body() {
        let signature = purge_signature("secret", 1_700_000_000, br#"{"tags":["stats"]}"#);
        let mut mac = hmac("secret");
        mac.update(br#"1700000000.{"tags":["stats"]}"#);
        let expected = hex::encode(mac.finalize().into_bytes());
        assert_eq!(signature, format!("t=1700000000,v1={expected}"));
        assert_ne!(
            signature,
            purge_signature("secret", 1_700_000_001, br#"{"tags":["stats"]}"#)
        );
    }

    #[test]
    fn a_file_is_tagged_by_its_content_hash() {
        assert_eq!(file_tag("ab/abc123.jpg"), "media:abc123");
        assert_eq!(file_tag("abc123"), "media:abc123");
    }

    #[test]
    fn resized_images_are_signed_allowed_widths_below_a_local_jpeg() {
        let config = EdgeConfig {
            url: Some("https://edge.example/".parse().unwrap()),
            purge_urls: Vec::new(),
            secret: "s".repeat(32),
        };
        let images = resized_images(Some(&config), "/media/ab/abc.jpg", "JPEG", 640);
        let widths: Vec<u32> = images.iter().map(|(w, _)| *w).collect();
        assert_eq!(widths, [320, 480]);
        let signature = image_signature(&config.secret, 480, "ab/abc.jpg");
        assert_eq!(
            images[1].1,
            format!("https://edge.example/img/{signature}/480/ab/abc.jpg")
        );
        assert!(resized_images(Some(&config), "/media/ab/abc.webp", "WEBP", 1000).is_empty());
        assert!(
            resized_images(
                Some(&config),
                "https://res.cloudinary.com/x.jpg",
                "JPEG",
                1000
            )
            .is_empty()
        );
        assert!(resized_images(None, "/media/ab/abc.jpg", "JPEG", 1000).is_empty());
    }
}
