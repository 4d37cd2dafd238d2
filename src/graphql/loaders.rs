//! Per-request DataLoaders: a list resolves each child relation in one query.

use std::collections::HashMap;

use async_graphql::dataloader::{DataLoader, Loader, NoCache};

use crate::app::AppState;
use crate::catalog::{Category, ProductMedia};
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

/// The id of a product, as a loader key.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct ProductId(pub i64);

/// Loads the pictures and video of many products at once.
pub struct ProductMediaLoader {
    app: AppState,
}

impl Loader<ProductId> for ProductMediaLoader {
    type Value = ProductMedia;
    type Error = async_graphql::Error;

    async fn load(
        &self,
        keys: &[ProductId],
    ) -> Result<HashMap<ProductId, ProductMedia>, Self::Error> {
        let ids: Vec<i64> = keys.iter().map(|k| k.0).collect();
        let found = self.app.catalog.media_of(&ids).await?;
        Ok(found
            .into_iter()
            .map(|(id, media)| (ProductId(id), media))
            .collect())
    }
}

/// Loads the categories of many products at once.
pub struct ProductCategoriesLoader {
    app: AppState,
}

impl Loader<ProductId> for ProductCategoriesLoader {
    type Value = Vec<Category>;
    type Error = async_graphql::Error;

    async fn load(
        &self,
        keys: &[ProductId],
    ) -> Result<HashMap<ProductId, Vec<Category>>, Self::Error> {
        let ids: Vec<i64> = keys.iter().map(|k| k.0).collect();
        let found = self.app.catalog.categories_of(&ids).await?;
        Ok(found
            .into_iter()
            .map(|(id, list)| (ProductId(id), list))
            .collect())
    }
}

/// The whole category tree, as a loader key (parents and children read it once per level).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct AllCategories;

/// Loads the category tree.
pub struct CategoryTreeLoader {
    app: AppState,
}

impl Loader<AllCategories> for CategoryTreeLoader {
    type Value = std::sync::Arc<[Category]>;
    type Error = async_graphql::Error;

    async fn load(
        &self,
        _: &[AllCategories],
    ) -> Result<HashMap<AllCategories, Self::Value>, Self::Error> {
        let all = self.app.catalog.categories().await?;
        Ok(HashMap::from([(AllCategories, all.into())]))
    }
}

/// The catalogue's loaders for one request.
pub fn catalog(
    app: &AppState,
) -> (
    DataLoader<ProductMediaLoader, NoCache>,
    DataLoader<ProductCategoriesLoader, NoCache>,
    DataLoader<CategoryTreeLoader>,
) {
    (
        DataLoader::with_cache(
            ProductMediaLoader { app: app.clone() },
            tokio::spawn,
            NoCache,
        ),
        DataLoader::with_cache(
            ProductCategoriesLoader { app: app.clone() },
            tokio::spawn,
            NoCache,
        ),
        // The tree is cached for the request: every category's parent and children use it.
        DataLoader::new(CategoryTreeLoader { app: app.clone() }, tokio::spawn),
    )
}
