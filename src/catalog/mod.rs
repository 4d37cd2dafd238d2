//! The catalogue: products (prices in kuruş, sale windows, stock), their pictures and
//! video, categories in a tree of at most three levels, and stable slugs that keep
//! answering after a rename.

pub mod categories;
pub mod demo;
pub mod description;
pub mod listing;
pub mod products;
pub mod slug;

use chrono::{DateTime, Utc};

use crate::db::categories::CategoryRow;
use crate::db::products::ProductRow;
use crate::events::Topic;
use crate::media::{Media, MediaLibrary};
use crate::money::Money;
use crate::services::Services;

pub use crate::db::products::{ProductFilter, ProductOrder, SortKey};

/// Announced whenever a product or category changes.
pub const TOPIC: Topic = Topic::new("catalog");

/// The dearest price a product may have: 10,000,000 ₺.
pub const MAX_PRICE: Money = Money::from_kurus(1_000_000_000);
/// How many pictures a product may have.
pub const MAX_IMAGES: usize = 5;
/// How deep the category tree goes.
pub const MAX_CATEGORY_DEPTH: i32 = 3;
/// The crop preset whose variants product pictures are shown in.
pub const PRODUCT_PRESET: &str = "product";

/// A product.
#[derive(Debug, Clone)]
pub struct Product {
    pub id: i64,
    pub slug: String,
    pub name: String,
    pub description: String,
    pub description_html: String,
    pub sku: Option<String>,
    pub price: Money,
    pub sale_price: Option<Money>,
    pub sale_starts_at: Option<DateTime<Utc>>,
    pub sale_ends_at: Option<DateTime<Utc>>,
    pub vat_rate: i32,
    pub stock: i32,
    pub active: bool,
    pub external_url: Option<String>,
    pub seo_title: Option<String>,
    pub seo_description: Option<String>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    /// How many customers favourited it.
    pub favorite_count: i64,
    sort_name: String,
}

impl Product {
    /// Its storefront page's path.
    pub fn path(&self) -> String {
        format!("/urun/{}", self.slug)
    }

    /// Whether the sale price applies at `now`.
    pub fn on_sale(&self, now: DateTime<Utc>) -> bool {
        self.sale_price.is_some()
            && self.sale_starts_at.is_none_or(|start| start <= now)
            && self.sale_ends_at.is_none_or(|end| end > now)
    }

    /// The next moment after `now` when its price changes by itself (its sale starts
    /// or ends).
    pub fn next_price_change(&self, now: DateTime<Utc>) -> Option<DateTime<Utc>> {
        self.sale_price?;
        [self.sale_starts_at, self.sale_ends_at]
            .into_iter()
            .flatten()
            .filter(|at| *at > now)
            .min()
    }

    /// What a shopper pays at `now`.
    pub fn current_price(&self, now: DateTime<Utc>) -> Money {
        match self.sale_price {
            Some(sale) if self.on_sale(now) => sale,
            _ => self.price,
        }
    }

    /// The discount at `now` in whole percent (rounded), when on sale.
    pub fn discount_percent(&self, now: DateTime<Utc>) -> Option<i32> {
        let sale = self.sale_price.filter(|_| self.on_sale(now))?;
        let price = self.price.kurus();
        let off = i128::from(price - sale.kurus()) * 100;
        let percent = (off + i128::from(price) / 2) / i128::from(price.max(1));
        i32::try_from(percent).ok()
    }

    /// Where this product stands in a list of `order` (for the next page's cursor).
    pub fn sort_key(&self, order: ProductOrder, now: DateTime<Utc>) -> SortKey {
        match order {
            ProductOrder::Newest => SortKey::Number(self.id),
            ProductOrder::Name => SortKey::Text(self.sort_name.clone()),
            ProductOrder::PriceAsc | ProductOrder::PriceDesc => {
                SortKey::Number(self.current_price(now).kurus())
            }
            ProductOrder::Discount => SortKey::Number(match self.sale_price {
                Some(sale) if self.on_sale(now) => {
                    (self.price.kurus() - sale.kurus()) * 10_000 / self.price.kurus().max(1)
                }
                _ => 0,
            }),
            ProductOrder::Favorites => SortKey::Number(self.favorite_count),
        }
    }
}

impl From<ProductRow> for Product {
    fn from(row: ProductRow) -> Self {
        Product {
            id: row.id,
            slug: row.slug,
            name: row.name,
            description: row.description,
            description_html: row.description_html,
            sku: row.sku,
            price: row.price,
            sale_price: row.sale_price,
            sale_starts_at: row.sale_starts_at.map(Into::into),
            sale_ends_at: row.sale_ends_at.map(Into::into),
            vat_rate: row.vat_rate,
            stock: row.stock,
            active: row.active,
            external_url: row.external_url,
            seo_title: row.seo_title,
            seo_description: row.seo_description,
            created_at: row.created_at.into(),
            updated_at: row.updated_at.into(),
            favorite_count: row.favorite_count,
            sort_name: row.sort_name,
        }
    }
}

/// A category.
#[derive(Debug, Clone)]
pub struct Category {
    pub id: i64,
    pub slug: String,
    pub name: String,
    pub parent_id: Option<i64>,
    pub depth: i32,
}

impl Category {
    /// Its storefront page's path.
    pub fn path(&self) -> String {
        format!("/kategori/{}", self.slug)
    }
}

impl From<CategoryRow> for Category {
    fn from(row: CategoryRow) -> Self {
        Category {
            id: row.id,
            slug: row.slug,
            name: row.name,
            parent_id: row.parent_id,
            depth: row.depth,
        }
    }
}

/// A product's media: pictures in order, then the video.
#[derive(Debug, Clone, Default)]
pub struct ProductMedia {
    pub images: Vec<Media>,
    pub video: Option<Media>,
}

/// What a lookup by slug found.
#[derive(Debug, Clone)]
pub enum Found {
    /// The product answers to this slug.
    Product(Box<Product>),
    /// The product was renamed: it answers to this slug now.
    MovedTo(String),
}

/// A change to an optional field: leave it, clear it, or set it.
#[derive(Debug, Clone, Default)]
pub enum Change<T> {
    #[default]
    Keep,
    Clear,
    Set(T),
}

impl<T> Change<T> {
    /// The field's new value given its `current` one.
    pub fn apply(self, current: Option<T>) -> Option<T> {
        match self {
            Change::Keep => current,
            Change::Clear => None,
            Change::Set(value) => Some(value),
        }
    }
}

/// A catalogue generation and the next sale start or end found under it.
type KnownChange = (u64, Option<DateTime<Utc>>);

/// The catalogue.
#[derive(Clone)]
pub struct Catalog {
    svc: Services,
    media: MediaLibrary,
    /// Held while product sizes are made, so that requests attaching the same new
    /// picture at once crop it once.
    preparing: std::sync::Arc<tokio::sync::Mutex<()>>,
    /// The next sale start or end, with the catalogue's generation it was found under:
    /// lists ask for it on every miss, and it only changes with the catalogue or time.
    next_change: std::sync::Arc<std::sync::Mutex<Option<KnownChange>>>,
}

impl Catalog {
    /// The catalogue domain; it prepares product pictures through the media library.
    pub fn new(svc: Services, media: MediaLibrary) -> Self {
        Catalog {
            svc,
            media,
            preparing: Default::default(),
            next_change: Default::default(),
        }
    }
}
