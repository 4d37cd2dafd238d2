//! The catalogue: products and categories for everyone, their management for
//! administrators.

use std::collections::{HashMap, HashSet};
use std::sync::Arc;

use async_graphql::Guard;
use async_graphql::connection::{Connection, Edge};
use async_graphql::dataloader::{DataLoader, NoCache};
use async_graphql::{
    Context, Enum, ID, InputObject, Lookahead, MaybeUndefined, Object, Result, SimpleObject,
};
use chrono::{DateTime, Utc};

use super::auth::LocaleGql;
use super::media::MediaGql;
use super::product_reviews::{ProductRatingGql, PublicReviewGql, ReviewSort, product_reviews};
use crate::catalog::categories::Parent;
use crate::catalog::listing::{ProductQuery, position};
use crate::catalog::products::{ProductChanges, ProductPage};
use crate::catalog::{Category, Change, Found, Product, ProductMedia, ProductOrder};
use crate::error::AppError;
use crate::graphql::context::{AnswerHorizon, ContextExt};
use crate::graphql::guards::AdminOnly;
use crate::graphql::loaders::{
    AllCategories, CategoryTreeLoader, ProductCategoriesLoader, ProductId, ProductMediaLoader,
};
use crate::graphql::pagination::{Listing, TotalCount, decode_cursor, encode_cursor, page_size};
use crate::graphql::scalars::{BigInt, parse_id};
use crate::media::{Media, Variant};
use crate::money::Money;
use crate::reviews::products::Rating;

/// An amount of Turkish lira.
pub struct MoneyGql(pub Money);

#[Object(name = "Money")]
impl MoneyGql {
    /// In kuruş (1 ₺ = 100 kuruş).
    async fn amount(&self) -> BigInt {
        BigInt(self.0.kurus())
    }
    /// ISO 4217: always "TRY".
    async fn currency(&self) -> &str {
        Money::CURRENCY
    }
    /// As people read it: "1.299,90 ₺" in Turkish, "₺1,299.90" in English.
    async fn formatted(
        &self,
        #[graphql(default_with = "LocaleGql::Tr")] locale: LocaleGql,
    ) -> String {
        self.0.format(locale.into())
    }
}

/// A product of the shop, with what its fields need when that was fetched together
/// with it.
#[derive(Clone)]
pub struct ProductGql(Product, Arc<Prefetched>);

impl ProductGql {
    async fn media(&self, ctx: &Context<'_>) -> Result<ProductMedia> {
        if let Some(all) = &self.1.media {
            return Ok(all.get(&self.0.id).cloned().unwrap_or_default());
        }
        let loader = ctx.data_unchecked::<DataLoader<ProductMediaLoader, NoCache>>();
        Ok(loader
            .load_one(ProductId(self.0.id))
            .await?
            .unwrap_or_default())
    }

    fn media_gql(&self, media: Media) -> MediaGql {
        match &self.1.variants {
            Some(all) => {
                let variants = all.get(&media.id).cloned().unwrap_or_default();
                MediaGql::with_variants(media, variants)
            }
            None => MediaGql::from(media),
        }
    }
}

/// Products answered inside another type (a cart's lines), sharing one fetch of what
/// `selections` ask for.
pub async fn products_for(
    ctx: &Context<'_>,
    selections: &[Lookahead<'_>],
    products: Vec<Product>,
) -> Result<Vec<ProductGql>> {
    Prefetched::products(ctx, selections, products).await
}

/// The media, variants and categories of the products one field answers, fetched
/// with them when the query asks for them: a fixed number of queries, and no wait for
/// a loader's batch window (which a busy server can also cut short).
#[derive(Default)]
struct Prefetched {
    media: Option<HashMap<i64, ProductMedia>>,
    variants: Option<HashMap<i64, Vec<Variant>>>,
    categories: Option<HashMap<i64, Vec<Category>>>,
    external_clicks: Option<HashMap<i64, i64>>,
    ratings: Option<HashMap<i64, Rating>>,
    /// The viewer's favourites among the products (none for guests).
    favorites: Option<HashSet<i64>>,
}

impl Prefetched {
    /// Fetches what `selections` (the product selections of the answer) ask for.
    async fn load(
        ctx: &Context<'_>,
        selections: &[Lookahead<'_>],
        products: &[Product],
    ) -> Result<Arc<Prefetched>> {
        let asks = |field: &str| selections.iter().any(|s| s.field(field).exists());
        let asks_variants = ["images", "video"].iter().any(|f| {
            selections
                .iter()
                .any(|s| s.field(f).field("variants").exists())
        });
        let app = ctx.app();
        let ids: Vec<i64> = products.iter().map(|p| p.id).collect();
        let mut prefetched = Prefetched::default();
        if ids.is_empty() {
            return Ok(Arc::new(prefetched));
        }
        if asks("images") || asks("video") {
            let media = app.catalog.media_of(&ids).await?;
            if asks_variants {
                let media_ids: Vec<i64> = media
                    .values()
                    .flat_map(|m| m.images.iter().chain(&m.video).map(|i| i.id))
                    .collect();
                let mut variants: HashMap<i64, Vec<Variant>> = HashMap::new();
                for variant in app.media.variants_of(&media_ids).await? {
                    variants.entry(variant.media_id).or_default().push(variant);
                }
                prefetched.variants = Some(variants);
            }
            prefetched.media = Some(media);
        }
        if asks("categories") {
            prefetched.categories = Some(app.catalog.categories_of(&ids).await?);
        }
        if asks("externalClicks") && ctx.is_admin() {
            prefetched.external_clicks = Some(app.shop.external_clicks(&ids).await?);
        }
        if asks("rating") {
            prefetched.ratings = Some(app.reviews.ratings_of(&ids).await?);
        }
        if asks("isFavorite") {
            prefetched.favorites = Some(match ctx.user() {
                Ok(user) => app.favorites.among(user.id, &ids).await?,
                Err(_) => HashSet::new(),
            });
        }
        Ok(Arc::new(prefetched))
    }

    /// Products answered as one field, sharing what was fetched for them.
    async fn products(
        ctx: &Context<'_>,
        selections: &[Lookahead<'_>],
        products: Vec<Product>,
    ) -> Result<Vec<ProductGql>> {
        let prefetched = Prefetched::load(ctx, selections, &products).await?;
        if let Some(horizon) = ctx.data_opt::<AnswerHorizon>() {
            let now = now(ctx);
            products
                .iter()
                .filter_map(|p| p.next_price_change(now))
                .for_each(|at| horizon.until(at));
        }
        Ok(products
            .into_iter()
            .map(|p| ProductGql(p, prefetched.clone()))
            .collect())
    }

    /// One product answered as a field.
    async fn product(ctx: &Context<'_>, product: Product) -> Result<ProductGql> {
        let mut found = Prefetched::products(ctx, &[ctx.look_ahead()], vec![product]).await?;
        found
            .pop()
            .ok_or_else(|| AppError::internal(anyhow::anyhow!("the product went missing")).into())
    }
}

#[Object(name = "Product")]
impl ProductGql {
    async fn id(&self) -> ID {
        ID(self.0.id.to_string())
    }
    /// The readable name in its address; stable across renames.
    async fn slug(&self) -> &str {
        &self.0.slug
    }
    async fn name(&self) -> &str {
        &self.0.name
    }
    /// The Markdown source (administrators only; shoppers read `descriptionHtml`).
    #[graphql(guard = "AdminOnly")]
    async fn description(&self) -> &str {
        &self.0.description
    }
    /// The description as sanitised HTML.
    async fn description_html(&self) -> &str {
        &self.0.description_html
    }
    async fn sku(&self) -> Option<&str> {
        self.0.sku.as_deref()
    }
    /// The price including KDV.
    async fn price(&self) -> MoneyGql {
        MoneyGql(self.0.price)
    }
    /// The sale price, whether or not its window is open now.
    async fn sale_price(&self) -> Option<MoneyGql> {
        self.0.sale_price.map(MoneyGql)
    }
    async fn sale_starts_at(&self) -> Option<DateTime<Utc>> {
        self.0.sale_starts_at
    }
    async fn sale_ends_at(&self) -> Option<DateTime<Utc>> {
        self.0.sale_ends_at
    }
    /// Whether the sale price applies now.
    async fn on_sale(&self, ctx: &Context<'_>) -> bool {
        self.0.on_sale(now(ctx))
    }
    /// What a shopper pays now.
    async fn current_price(&self, ctx: &Context<'_>) -> MoneyGql {
        MoneyGql(self.0.current_price(now(ctx)))
    }
    /// The discount now, in whole percent; null when not on sale.
    async fn discount_percent(&self, ctx: &Context<'_>) -> Option<i32> {
        self.0.discount_percent(now(ctx))
    }
    /// The KDV rate included in the prices, in percent.
    async fn vat_rate(&self) -> i32 {
        self.0.vat_rate
    }
    async fn stock(&self) -> i32 {
        self.0.stock
    }
    async fn in_stock(&self) -> bool {
        self.0.stock > 0
    }
    /// Whether shoppers see it.
    async fn active(&self) -> bool {
        self.0.active
    }
    async fn categories(&self, ctx: &Context<'_>) -> Result<Vec<CategoryGql>> {
        let found = match &self.1.categories {
            Some(all) => all.get(&self.0.id).cloned(),
            None => {
                let loader = ctx.data_unchecked::<DataLoader<ProductCategoriesLoader, NoCache>>();
                loader.load_one(ProductId(self.0.id)).await?
            }
        };
        Ok(found
            .unwrap_or_default()
            .into_iter()
            .map(CategoryGql)
            .collect())
    }
    /// The pictures, in order (at most five).
    async fn images(&self, ctx: &Context<'_>) -> Result<Vec<MediaGql>> {
        let media = self.media(ctx).await?;
        Ok(media
            .images
            .into_iter()
            .map(|m| self.media_gql(m))
            .collect())
    }
    /// The video, if any.
    async fn video(&self, ctx: &Context<'_>) -> Result<Option<MediaGql>> {
        Ok(self.media(ctx).await?.video.map(|m| self.media_gql(m)))
    }
    /// Where it is bought instead of the cart (a marketplace listing); shoppers follow
    /// `buyUrl`, which counts the click.
    async fn external_url(&self) -> Option<&str> {
        self.0.external_url.as_deref()
    }
    /// For a product bought through its external link: the shop's `/go/{slug}` address,
    /// which counts the click and sends the shopper on.
    async fn buy_url(&self, ctx: &Context<'_>) -> Option<String> {
        self.0.external_url.as_ref().map(|_| {
            ctx.app()
                .config()
                .public_link(&format!("/go/{}", self.0.slug))
        })
    }
    /// Clicks on its external link over the last 30 days (administrators).
    #[graphql(guard = "AdminOnly")]
    async fn external_clicks(&self, ctx: &Context<'_>) -> Result<i32> {
        let count = match &self.1.external_clicks {
            Some(all) => all.get(&self.0.id).copied(),
            None => {
                let counts = ctx.app().shop.external_clicks(&[self.0.id]).await?;
                counts.get(&self.0.id).copied()
            }
        };
        Ok(i32::try_from(count.unwrap_or(0)).unwrap_or(i32::MAX))
    }
    async fn seo_title(&self) -> Option<&str> {
        self.0.seo_title.as_deref()
    }
    async fn seo_description(&self) -> Option<&str> {
        self.0.seo_description.as_deref()
    }
    /// Its page in the storefront.
    async fn url(&self, ctx: &Context<'_>) -> String {
        ctx.app().config().public_link(&self.0.path())
    }
    /// Its published reviews in numbers.
    async fn rating(&self, ctx: &Context<'_>) -> Result<ProductRatingGql> {
        let rating = match &self.1.ratings {
            Some(all) => all.get(&self.0.id).cloned(),
            None => ctx
                .app()
                .reviews
                .ratings_of(&[self.0.id])
                .await?
                .remove(&self.0.id),
        };
        Ok(ProductRatingGql(rating.unwrap_or_default()))
    }
    /// Its published reviews, newest first unless `sort` says otherwise; only those
    /// with photos when `withPhotos`.
    #[graphql(complexity = "first.unwrap_or(20).max(1) as usize * child_complexity")]
    async fn reviews(
        &self,
        ctx: &Context<'_>,
        first: Option<i32>,
        after: Option<String>,
        sort: Option<ReviewSort>,
        with_photos: Option<bool>,
    ) -> Result<Listing<PublicReviewGql>> {
        let (sort, with_photos) = (sort.unwrap_or_default(), with_photos.unwrap_or(false));
        product_reviews(ctx, self.0.id, first, after, sort, with_photos).await
    }
    /// How many customers favourited it.
    async fn favorite_count(&self) -> i32 {
        i32::try_from(self.0.favorite_count).unwrap_or(i32::MAX)
    }
    /// Whether the viewer favourited it (false for guests).
    async fn is_favorite(&self, ctx: &Context<'_>) -> Result<bool> {
        let Ok(user) = ctx.user() else {
            return Ok(false);
        };
        Ok(match &self.1.favorites {
            Some(all) => all.contains(&self.0.id),
            None => ctx
                .app()
                .favorites
                .among(user.id, &[self.0.id])
                .await?
                .contains(&self.0.id),
        })
    }
    async fn created_at(&self) -> DateTime<Utc> {
        self.0.created_at
    }
    async fn updated_at(&self) -> DateTime<Utc> {
        self.0.updated_at
    }
}

/// A category of products (at most three levels deep).
pub struct CategoryGql(Category);

impl CategoryGql {
    async fn tree<'a>(ctx: &Context<'a>) -> Result<std::sync::Arc<[Category]>> {
        let loader = ctx.data_unchecked::<DataLoader<CategoryTreeLoader>>();
        Ok(loader
            .load_one(AllCategories)
            .await?
            .unwrap_or_else(|| Vec::new().into()))
    }
}

#[Object(name = "Category")]
impl CategoryGql {
    async fn id(&self) -> ID {
        ID(self.0.id.to_string())
    }
    async fn slug(&self) -> &str {
        &self.0.slug
    }
    async fn name(&self) -> &str {
        &self.0.name
    }
    async fn parent(&self, ctx: &Context<'_>) -> Result<Option<CategoryGql>> {
        let Some(parent) = self.0.parent_id else {
            return Ok(None);
        };
        let tree = Self::tree(ctx).await?;
        Ok(tree
            .iter()
            .find(|c| c.id == parent)
            .cloned()
            .map(CategoryGql))
    }
    async fn children(&self, ctx: &Context<'_>) -> Result<Vec<CategoryGql>> {
        let tree = Self::tree(ctx).await?;
        Ok(tree
            .iter()
            .filter(|c| c.parent_id == Some(self.0.id))
            .cloned()
            .map(CategoryGql)
            .collect())
    }
    /// The active products filed here or in a subcategory.
    #[graphql(complexity = "first.unwrap_or(20).max(1) as usize * child_complexity")]
    async fn products(
        &self,
        ctx: &Context<'_>,
        sort: Option<ProductSort>,
        first: Option<i32>,
        after: Option<String>,
    ) -> Result<Listing<ProductGql>> {
        let filter = ProductFilterInput {
            category_slug: Some(self.0.slug.clone()),
            ..ProductFilterInput::default()
        };
        list(
            ctx,
            Some(filter),
            sort.unwrap_or_default(),
            first,
            after,
            false,
        )
        .await
    }
}

/// How a product list is ordered.
#[derive(Enum, Copy, Clone, Eq, PartialEq, Default)]
pub enum ProductSort {
    /// Newest first.
    #[default]
    Newest,
    /// Cheapest first (by the price paid now).
    PriceAsc,
    /// Dearest first (by the price paid now).
    PriceDesc,
    /// By name, A to Z.
    Name,
    /// The largest discount first.
    Discount,
    /// The most favourited first.
    Favorites,
}

impl From<ProductSort> for ProductOrder {
    fn from(sort: ProductSort) -> Self {
        match sort {
            ProductSort::Newest => ProductOrder::Newest,
            ProductSort::PriceAsc => ProductOrder::PriceAsc,
            ProductSort::PriceDesc => ProductOrder::PriceDesc,
            ProductSort::Name => ProductOrder::Name,
            ProductSort::Discount => ProductOrder::Discount,
            ProductSort::Favorites => ProductOrder::Favorites,
        }
    }
}

/// Which products a list holds.
#[derive(InputObject, Default)]
pub struct ProductFilterInput {
    /// Products of this category and its subcategories.
    category_slug: Option<String>,
    /// Words in the name, SKU or description (case and Turkish letters do not matter).
    search: Option<String>,
    /// Only products on sale now (or only those not on sale).
    on_sale: Option<bool>,
    in_stock: Option<bool>,
    /// The least price paid now, in kuruş.
    price_min: Option<BigInt>,
    /// The most price paid now, in kuruş.
    price_max: Option<BigInt>,
    /// Only shown (true) or only hidden (false) products; hidden ones are listed with
    /// `includeInactive` (administrators).
    active: Option<bool>,
}

/// A product as an administrator writes it. On update, omitted fields stay as they
/// are and `null` clears an optional one.
#[derive(InputObject, Default)]
pub struct ProductInput {
    /// Up to 200 characters.
    name: Option<String>,
    /// Made from the name when not given; kept on rename.
    slug: Option<String>,
    /// Markdown, up to 20,000 characters.
    description: Option<String>,
    sku: MaybeUndefined<String>,
    /// In kuruş, including KDV; 0 to 1,000,000,000 (10,000,000 ₺).
    price: Option<BigInt>,
    /// In kuruş; below the price.
    sale_price: MaybeUndefined<BigInt>,
    sale_starts_at: MaybeUndefined<DateTime<Utc>>,
    sale_ends_at: MaybeUndefined<DateTime<Utc>>,
    /// Percent (default 20).
    vat_rate: Option<i32>,
    stock: Option<i32>,
    /// Whether shoppers see it (default false).
    active: Option<bool>,
    category_ids: Option<Vec<ID>>,
    external_url: MaybeUndefined<String>,
    seo_title: MaybeUndefined<String>,
    seo_description: MaybeUndefined<String>,
}

fn change<T, U>(value: MaybeUndefined<T>, map: impl FnOnce(T) -> U) -> Change<U> {
    match value {
        MaybeUndefined::Undefined => Change::Keep,
        MaybeUndefined::Null => Change::Clear,
        MaybeUndefined::Value(v) => Change::Set(map(v)),
    }
}

impl ProductInput {
    fn into_changes(self) -> Result<ProductChanges, AppError> {
        let category_ids = self
            .category_ids
            .map(|ids| ids.iter().map(parse_id).collect::<Result<Vec<_>, _>>())
            .transpose()
            .map_err(|e| e.under("input"))?;
        Ok(ProductChanges {
            name: self.name,
            slug: self.slug,
            description: self.description,
            sku: change(self.sku, |s| s),
            price: self.price.map(|p| p.0),
            sale_price: change(self.sale_price, |p| p.0),
            sale_starts_at: change(self.sale_starts_at, |t| t),
            sale_ends_at: change(self.sale_ends_at, |t| t),
            vat_rate: self.vat_rate,
            stock: self.stock,
            active: self.active,
            category_ids,
            external_url: change(self.external_url, |s| s),
            seo_title: change(self.seo_title, |s| s),
            seo_description: change(self.seo_description, |s| s),
        })
    }
}

fn now(ctx: &Context<'_>) -> DateTime<Utc> {
    ctx.app().services.clock.now()
}

async fn list(
    ctx: &Context<'_>,
    filter: Option<ProductFilterInput>,
    sort: ProductSort,
    first: Option<i32>,
    after: Option<String>,
    include_inactive: bool,
) -> Result<Listing<ProductGql>> {
    let app = ctx.app();
    if include_inactive {
        AdminOnly.check(ctx).await?;
    }
    let limit = page_size(first, app.config().graphql.max_page_size)?;
    let order = ProductOrder::from(sort);
    let after = after.map(|c| decode_cursor(&c)).transpose()?;
    let filter = filter.unwrap_or_default();
    let query = ProductQuery {
        include_inactive,
        active: filter.active,
        category_slug: filter.category_slug,
        search: filter.search,
        on_sale: filter.on_sale,
        in_stock: filter.in_stock,
        price_min: filter.price_min.map(|p| p.0),
        price_max: filter.price_max.map(|p| p.0),
        within: None,
    };
    let page = app
        .catalog
        .list_products(&query, order, after.as_deref(), limit)
        .await?;
    // A list in any order or filter changes by itself when any sale starts or ends.
    if let Some(horizon) = ctx.data_opt::<AnswerHorizon>()
        && let Some(at) = app.catalog.next_price_change().await?
    {
        horizon.until(at);
    }
    product_listing(ctx, page, order).await
}

/// A page of products as a connection, with cursors of `order`, its products sharing one
/// fetch of what the selection asks for.
pub async fn product_listing(
    ctx: &Context<'_>,
    page: ProductPage,
    order: ProductOrder,
) -> Result<Listing<ProductGql>> {
    let now = now(ctx);
    let mut connection = Connection::with_additional_fields(
        false,
        page.has_next,
        TotalCount {
            total_count: page.total,
        },
    );
    let listed = ctx.look_ahead();
    let selections = [listed.field("edges").field("node"), listed.field("nodes")];
    let cursors: Vec<String> = page
        .products
        .iter()
        .map(|p| encode_cursor(&position(order, p, now)))
        .collect();
    let products = Prefetched::products(ctx, &selections, page.products).await?;
    connection.edges = cursors
        .into_iter()
        .zip(products)
        .map(|(cursor, product)| Edge::new(cursor, product))
        .collect();
    Ok(connection)
}

/// Reading the catalogue.
#[derive(Default)]
pub struct CatalogQuery;

#[Object]
impl CatalogQuery {
    /// Products, filtered, ordered and paged; inactive ones too for administrators who
    /// ask with `includeInactive`.
    #[graphql(complexity = "first.unwrap_or(20).max(1) as usize * child_complexity")]
    async fn products(
        &self,
        ctx: &Context<'_>,
        filter: Option<ProductFilterInput>,
        sort: Option<ProductSort>,
        first: Option<i32>,
        after: Option<String>,
        #[graphql(default = false)] include_inactive: bool,
    ) -> Result<Listing<ProductGql>> {
        list(
            ctx,
            filter,
            sort.unwrap_or_default(),
            first,
            after,
            include_inactive,
        )
        .await
    }

    /// Products on sale now, the largest discount first.
    #[graphql(complexity = "first.unwrap_or(20).max(1) as usize * child_complexity")]
    async fn discounted_products(
        &self,
        ctx: &Context<'_>,
        first: Option<i32>,
        after: Option<String>,
    ) -> Result<Listing<ProductGql>> {
        let filter = ProductFilterInput {
            on_sale: Some(true),
            ..ProductFilterInput::default()
        };
        list(
            ctx,
            Some(filter),
            ProductSort::Discount,
            first,
            after,
            false,
        )
        .await
    }

    /// One product by slug (an old slug finds the renamed product) or id; inactive ones
    /// for administrators only.
    async fn product(
        &self,
        ctx: &Context<'_>,
        slug: Option<String>,
        id: Option<ID>,
    ) -> Result<Option<ProductGql>> {
        let catalog = &ctx.app().catalog;
        let admin = ctx.is_admin();
        let found = match (slug, id) {
            (Some(slug), None) => match catalog.product_by_slug(&slug, admin).await? {
                None => None,
                Some(Found::Product(product)) => Some(*product),
                Some(Found::MovedTo(current)) => {
                    match catalog.product_by_slug(&current, admin).await? {
                        Some(Found::Product(product)) => Some(*product),
                        _ => None,
                    }
                }
            },
            (None, Some(id)) => catalog.product(parse_id(&id)?, admin).await?,
            _ => return Err(AppError::bad_input("Give either slug or id.").into()),
        };
        match found {
            Some(product) => Ok(Some(Prefetched::product(ctx, product).await?)),
            None => Ok(None),
        }
    }

    /// Every category (build the tree from `parent`/`children`).
    async fn categories(&self, ctx: &Context<'_>) -> Result<Vec<CategoryGql>> {
        Ok(ctx
            .app()
            .catalog
            .categories()
            .await?
            .into_iter()
            .map(CategoryGql)
            .collect())
    }
}

/// What deleting answers.
#[derive(SimpleObject)]
pub struct Deleted {
    /// The id of what was deleted.
    id: ID,
}

/// A category as an administrator writes it.
#[derive(InputObject)]
pub struct CategoryInput {
    /// Up to 100 characters.
    name: Option<String>,
    /// Made from the name when not given on create; kept on rename.
    slug: Option<String>,
    /// The category above it; `null` moves it to the top, omitted leaves it.
    parent_id: MaybeUndefined<ID>,
}

/// Managing the catalogue (administrators).
#[derive(Default)]
pub struct CatalogMutation;

#[Object]
impl CatalogMutation {
    /// Creates a product (inactive unless `active: true`).
    #[graphql(guard = "AdminOnly")]
    async fn create_product(&self, ctx: &Context<'_>, input: ProductInput) -> Result<ProductGql> {
        let changes = input.into_changes()?;
        let product = ctx
            .app()
            .catalog
            .create_product(changes)
            .await
            .map_err(|e| e.under("input"))?;
        Prefetched::product(ctx, product).await
    }

    /// Changes the fields given.
    #[graphql(guard = "AdminOnly")]
    async fn update_product(
        &self,
        ctx: &Context<'_>,
        id: ID,
        input: ProductInput,
    ) -> Result<ProductGql> {
        let changes = input.into_changes()?;
        let product = ctx
            .app()
            .catalog
            .update_product(parse_id(&id)?, changes)
            .await
            .map_err(|e| e.under("input"))?;
        Prefetched::product(ctx, product).await
    }

    /// Deletes a product (its media stays in the library).
    #[graphql(guard = "AdminOnly")]
    async fn delete_product(&self, ctx: &Context<'_>, id: ID) -> Result<Deleted> {
        ctx.app().catalog.delete_product(parse_id(&id)?).await?;
        Ok(Deleted { id })
    }

    /// Replaces the pictures (in this order, at most five) and the video at once.
    #[graphql(guard = "AdminOnly")]
    async fn set_product_media(
        &self,
        ctx: &Context<'_>,
        product_id: ID,
        image_ids: Vec<ID>,
        video_id: Option<ID>,
    ) -> Result<ProductGql> {
        let images = image_ids
            .iter()
            .enumerate()
            .map(|(i, id)| {
                parse_id(id).map_err(|_| {
                    AppError::invalid(format!("imageIds.{i}"), "That is not a valid id.")
                })
            })
            .collect::<Result<Vec<_>, _>>()?;
        let video = video_id.as_ref().map(parse_id).transpose()?;
        let product = ctx
            .app()
            .catalog
            .set_product_media(parse_id(&product_id)?, &images, video)
            .await?;
        Prefetched::product(ctx, product).await
    }

    /// Adds a picture after the others, or the video.
    #[graphql(guard = "AdminOnly")]
    async fn add_product_media(
        &self,
        ctx: &Context<'_>,
        product_id: ID,
        media_id: ID,
    ) -> Result<ProductGql> {
        let product = ctx
            .app()
            .catalog
            .add_product_media(parse_id(&product_id)?, parse_id(&media_id)?)
            .await?;
        Prefetched::product(ctx, product).await
    }

    /// Files a product under exactly these categories.
    #[graphql(guard = "AdminOnly")]
    async fn set_product_categories(
        &self,
        ctx: &Context<'_>,
        product_id: ID,
        category_ids: Vec<ID>,
    ) -> Result<ProductGql> {
        let ids = category_ids
            .iter()
            .map(parse_id)
            .collect::<Result<Vec<_>, _>>()?;
        let product = ctx
            .app()
            .catalog
            .set_product_categories(parse_id(&product_id)?, &ids)
            .await?;
        Prefetched::product(ctx, product).await
    }

    /// Creates a category.
    #[graphql(guard = "AdminOnly")]
    async fn create_category(
        &self,
        ctx: &Context<'_>,
        input: CategoryInput,
    ) -> Result<CategoryGql> {
        let name = input
            .name
            .ok_or_else(|| AppError::invalid("input.name", "A category needs a name."))?;
        let parent = match input.parent_id {
            MaybeUndefined::Value(id) => Some(parse_id(&id)?),
            _ => None,
        };
        let category = ctx
            .app()
            .catalog
            .create_category(&name, input.slug.as_deref(), parent)
            .await
            .map_err(|e| e.under("input"))?;
        Ok(CategoryGql(category))
    }

    /// Renames or moves a category.
    #[graphql(guard = "AdminOnly")]
    async fn update_category(
        &self,
        ctx: &Context<'_>,
        id: ID,
        input: CategoryInput,
    ) -> Result<CategoryGql> {
        let parent = match &input.parent_id {
            MaybeUndefined::Undefined => Parent::Keep,
            MaybeUndefined::Null => Parent::Top,
            MaybeUndefined::Value(id) => Parent::Under(parse_id(id)?),
        };
        let category = ctx
            .app()
            .catalog
            .update_category(
                parse_id(&id)?,
                input.name.as_deref(),
                input.slug.as_deref(),
                parent,
            )
            .await
            .map_err(|e| e.under("input"))?;
        Ok(CategoryGql(category))
    }

    /// Deletes a category that holds no products and no subcategories.
    #[graphql(guard = "AdminOnly")]
    async fn delete_category(&self, ctx: &Context<'_>, id: ID) -> Result<Deleted> {
        ctx.app().catalog.delete_category(parse_id(&id)?).await?;
        Ok(Deleted { id })
    }
}
