//! Per-request DataLoaders: a list resolves each child relation in one query.

use std::collections::HashMap;

use async_graphql::dataloader::{DataLoader, Loader, NoCache};

use crate::app::AppState;
use crate::media::Variant;

/// The id of a media item, as a loader key.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct MediaId(pub i64);

/// Loads the variants of many media items at once.
pub struct VariantLoader {
    app: AppState,
}

impl Loader<MediaId> for VariantLoader {
    type Value = Vec<Variant>;
    type Error = async_graphql::Error;

    async fn load(&self, keys: &[MediaId]) -> Result<HashMap<MediaId, Vec<Variant>>, Self::Error> {
        let ids: Vec<i64> = keys.iter().map(|k| k.0).collect();
        let mut grouped: HashMap<MediaId, Vec<Variant>> = HashMap::new();
        for variant in self.app.media.variants_of(&ids).await? {
            grouped
                .entry(MediaId(variant.media_id))
                .or_default()
                .push(variant);
        }
        Ok(grouped)
    }
}

/// The variants loader for one request (batching within it, caching nothing beyond it).
pub fn variants(app: &AppState) -> DataLoader<VariantLoader, NoCache> {
    DataLoader::with_cache(VariantLoader { app: app.clone() }, tokio::spawn, NoCache)
}
