//! Products: validation, writing, listing and their media.

use std::collections::{HashMap, HashSet};

use chrono::{DateTime, Utc};

use super::{
    Catalog, Category, Change, Found, MAX_IMAGES, MAX_PRICE, PRODUCT_PRESET, Product,
    ProductFilter, ProductMedia, ProductOrder, SortKey, TOPIC, description, slug,
};
use crate::db::media::{self as media_rows, MediaKind};
use crate::db::product_media::{self as placements, Placement};
use crate::db::products::{self as rows, ProductRow, ProductValues};
use crate::db::{
    Conn, DbError, Tx, categories as category_rows, escape_like, is_unique_violation, orders,
    reviews, shop_settings,
};
use crate::error::{AppError, AppResult};
use crate::media::Media;
use crate::money::Money;
use crate::text::{clean_text, fold};
use crate::time::Timestamp;

/// What an administrator sends to create or change a product. On update, `None` and
/// [`Change::Keep`] leave a field as it is.
#[derive(Debug, Clone, Default)]
pub struct ProductChanges {
    pub name: Option<String>,
    pub slug: Option<String>,
    pub description: Option<String>,
    pub sku: Change<String>,
    pub price: Option<i64>,
    pub sale_price: Change<i64>,
    pub sale_starts_at: Change<DateTime<Utc>>,
    pub sale_ends_at: Change<DateTime<Utc>>,
    pub vat_rate: Option<i32>,
    pub stock: Option<i32>,
    pub active: Option<bool>,
    pub category_ids: Option<Vec<i64>>,
    pub external_url: Change<String>,
    pub seo_title: Change<String>,
    pub seo_description: Change<String>,
}

/// A page of products and how many the whole list holds.
pub struct ProductPage {
    pub products: Vec<Product>,
    pub has_next: bool,
    pub total: i64,
}

/// The default KDV rate, in percent.
const DEFAULT_VAT_RATE: i32 = 20;
/// The longest search text.
const MAX_SEARCH: usize = 200;
/// The most of one product a shop keeps.
const MAX_STOCK: i32 = 1_000_000;

impl Catalog {
    /// A product by id; inactive ones only for administrators (`include_inactive`).
    pub async fn product(&self, id: i64, include_inactive: bool) -> AppResult<Option<Product>> {
        let row = rows::find(&mut self.svc.db.read().await?.conn(), id).await?;
        Ok(row
            .filter(|r| r.archived_at.is_none() && (include_inactive || r.active))
            .map(Product::from))
    }

    /// These products as they are, archived ones too (for what refers to them).
    pub async fn products_by_ids(&self, ids: &[i64]) -> AppResult<Vec<Product>> {
        let rows = rows::find_many(&mut self.svc.db.read().await?.conn(), ids).await?;
        Ok(rows.into_iter().map(Product::from).collect())
    }

    /// A product by its slug, or where a renamed product answers now.
    pub async fn product_by_slug(
        &self,
        slug: &str,
        include_inactive: bool,
    ) -> AppResult<Option<Found>> {
        let mut pooled = self.svc.db.read().await?;
        let mut conn = pooled.conn();
        let visible = |r: &ProductRow| r.archived_at.is_none() && (include_inactive || r.active);
        if let Some(row) = rows::find_by_slug(&mut conn, slug).await? {
            return Ok(visible(&row).then(|| Found::Product(Box::new(row.into()))));
        }
        Ok(rows::find_by_old_slug(&mut conn, slug)
            .await?
            .filter(visible)
            .map(|row| Found::MovedTo(row.slug)))
    }

    /// A page of products matching `filter` in `order`, after the given cursor position.
    pub async fn products(
        &self,
        filter: &ProductFilter,
        order: ProductOrder,
        after: Option<(SortKey, i64)>,
        limit: i64,
    ) -> AppResult<ProductPage> {
        let now = self.svc.clock.now();
        let mut pooled = self.svc.db.read().await?;
        let mut conn = pooled.conn();
        let mut found = rows::list(&mut conn, filter, order, after, limit + 1, now.into()).await?;
        let total = rows::count(&mut conn, filter, now.into()).await?;
        let has_next = found.len() as i64 > limit;
        found.truncate(usize::try_from(limit).unwrap_or(0));
        Ok(ProductPage {
            products: found.into_iter().map(Product::from).collect(),
            has_next,
            total,
        })
    }

    /// When the price paid now of some listed product next changes by itself (a sale
    /// starts or ends): until then, a list in any order and filter stays as it is.
    pub async fn next_price_change(&self) -> AppResult<Option<DateTime<Utc>>> {
        let now = self.svc.clock.now();
        // Read before the query: a change meanwhile leaves the found moment out of date.
        let generation = self.svc.events.generation(TOPIC);
        let known = self.next_change.lock().ok().and_then(|known| *known);
        if let Some((at_generation, next)) = known
            && at_generation == generation
            && next.is_none_or(|at| at > now)
        {
            return Ok(next);
        }
        let mut pooled = self.svc.db.read().await?;
        let next: Option<DateTime<Utc>> = rows::next_sale_boundary(&mut pooled.conn(), now.into())
            .await?
            .map(Into::into);
        if let Ok(mut known) = self.next_change.lock() {
            *known = Some((generation, next));
        }
        Ok(next)
    }

    /// The slugs and last changes of the products shoppers see, for the sitemap.
    pub async fn sitemap(&self, limit: i64) -> AppResult<Vec<(String, DateTime<Utc>)>> {
        let found = rows::listed_slugs(&mut self.svc.db.read().await?.conn(), limit).await?;
        Ok(found
            .into_iter()
            .map(|(slug, at)| (slug, at.into()))
            .collect())
    }

    /// The LIKE pattern that finds `search` in the folded name, SKU and description
    /// (none for a blank search; refused past [`MAX_SEARCH`] characters).
    pub fn search_pattern(search: &str) -> AppResult<Option<String>> {
        if search.chars().count() > MAX_SEARCH {
            return Err(AppError::invalid(
                "search",
                format!("A search is at most {MAX_SEARCH} characters long."),
            ));
        }
        let words = fold(search.trim());
        Ok((!words.is_empty()).then(|| format!("%{}%", escape_like(&words))))
    }

    /// Creates a product (inactive unless `active` says otherwise).
    pub async fn create_product(&self, changes: ProductChanges) -> AppResult<Product> {
        let now = self.svc.clock.now();
        let name = changes
            .name
            .clone()
            .ok_or_else(|| AppError::invalid("name", "A product needs a name."))?;
        let price = changes
            .price
            .ok_or_else(|| AppError::invalid("price", "A product needs a price."))?;
        let blank = ProductValues {
            slug: String::new(),
            name,
            sort_name: String::new(),
            description: String::new(),
            description_html: String::new(),
            search_text: String::new(),
            sku: None,
            price: Money::from_kurus(price),
            sale_price: None,
            sale_starts_at: None,
            sale_ends_at: None,
            vat_rate: DEFAULT_VAT_RATE,
            stock: 0,
            active: false,
            external_url: None,
            seo_title: None,
            seo_description: None,
            updated_at: now.into(),
        };
        let row = self
            .svc
            .db
            .transaction(async |tx| {
                let values = self.merge(tx, None, blank, changes.clone()).await?;
                let row = rows::insert(&mut tx.conn(), &values, now.into())
                    .await
                    .map_err(taken_error)?;
                rows::forget_old_slug(&mut tx.conn(), &row.slug).await?;
                if let Some(ids) = &changes.category_ids {
                    self.file_under(tx, row.id, ids).await?;
                }
                self.svc.events.publish_on_commit(tx, TOPIC).await?;
                Ok::<_, AppError>(row)
            })
            .await?;
        Ok(row.into())
    }

    /// Changes the fields given; the slug stays unless a new one is given.
    pub async fn update_product(&self, id: i64, changes: ProductChanges) -> AppResult<Product> {
        let now = self.svc.clock.now();
        let row = self
            .svc
            .db
            .transaction(async |tx| {
                let current = rows::find_for_update(&mut tx.conn(), id)
                    .await?
                    .filter(|r| r.archived_at.is_none())
                    .ok_or_else(no_such_product)?;
                let old_slug = current.slug.clone();
                let base = ProductValues {
                    slug: current.slug,
                    name: current.name,
                    sort_name: current.sort_name,
                    description: current.description,
                    description_html: current.description_html,
                    search_text: current.search_text,
                    sku: current.sku,
                    price: current.price,
                    sale_price: current.sale_price,
                    sale_starts_at: current.sale_starts_at,
                    sale_ends_at: current.sale_ends_at,
                    vat_rate: current.vat_rate,
                    stock: current.stock,
                    active: current.active,
                    external_url: current.external_url,
                    seo_title: current.seo_title,
                    seo_description: current.seo_description,
                    updated_at: now.into(),
                };
                let values = self.merge(tx, Some(id), base, changes.clone()).await?;
                let row = rows::update(&mut tx.conn(), id, &values)
                    .await
                    .map_err(taken_error)?;
                if row.slug != old_slug {
                    rows::forget_old_slug(&mut tx.conn(), &row.slug).await?;
                    rows::remember_old_slug(&mut tx.conn(), &old_slug, id, now.into()).await?;
                }
                if let Some(ids) = &changes.category_ids {
                    self.file_under(tx, id, ids).await?;
                }
                self.svc.events.publish_on_commit(tx, TOPIC).await?;
                Ok::<_, AppError>(row)
            })
            .await?;
        Ok(row.into())
    }

    /// Files a product under exactly these categories.
    pub async fn set_product_categories(
        &self,
        id: i64,
        category_ids: &[i64],
    ) -> AppResult<Product> {
        let now = self.svc.clock.now();
        self.svc
            .db
            .transaction(async |tx| {
                if !rows::touch(&mut tx.conn(), id, now.into()).await? {
                    return Err(no_such_product());
                }
                self.file_under(tx, id, category_ids).await?;
                self.svc.events.publish_on_commit(tx, TOPIC).await?;
                Ok::<_, AppError>(())
            })
            .await?;
        self.product(id, true).await?.ok_or_else(no_such_product)
    }

    /// Deletes a product with its media placements, categories and old slugs (the media
    /// items stay in the library); a product that orders or reviews refer to is archived
    /// instead (reviews count in the statistics and stay).
    pub async fn delete_product(&self, id: i64) -> AppResult<()> {
        let now = self.svc.clock.now();
        self.svc
            .db
            .transaction(async |tx| {
                // Locked first: a checkout of it that has not committed yet is waited for, so
                // its order is seen and the product archived.
                rows::find_for_update(&mut tx.conn(), id).await?;
                let referred = orders::product_ordered(&mut tx.conn(), id).await?
                    || reviews::product_reviewed(&mut tx.conn(), id).await?;
                let gone = if referred {
                    rows::archive(&mut tx.conn(), id, now.into()).await?
                } else {
                    rows::delete(&mut tx.conn(), id).await?
                };
                if !gone {
                    return Err(no_such_product());
                }
                self.svc.events.publish_on_commit(tx, TOPIC).await?;
                Ok::<_, AppError>(())
            })
            .await
    }

    /// Replaces a product's pictures (in this order) and video, all at once.
    pub async fn set_product_media(
        &self,
        id: i64,
        image_ids: &[i64],
        video_id: Option<i64>,
    ) -> AppResult<Product> {
        if image_ids.len() > MAX_IMAGES {
            return Err(AppError::invalid(
                format!("imageIds.{MAX_IMAGES}"),
                format!("A product has at most {MAX_IMAGES} pictures."),
            ));
        }
        let mut seen = HashSet::new();
        if let Some(i) = image_ids.iter().position(|id| !seen.insert(*id)) {
            return Err(AppError::invalid(
                format!("imageIds.{i}"),
                "The same picture is listed twice.",
            ));
        }
        for (i, &media_id) in image_ids.iter().enumerate() {
            self.check_media(media_id, MediaKind::Image, &format!("imageIds.{i}"))
                .await?;
        }
        if let Some(video_id) = video_id {
            self.check_media(video_id, MediaKind::Video, "videoId")
                .await?;
        }
        self.prepare_pictures(image_ids).await?;
        let mut list: Vec<Placement> = image_ids
            .iter()
            .enumerate()
            .map(|(i, &media_id)| Placement {
                product_id: id,
                media_id,
                kind: MediaKind::Image,
                position: i32::try_from(i).unwrap_or(i32::MAX),
            })
            .collect();
        list.extend(video_id.map(|media_id| Placement {
            product_id: id,
            media_id,
            kind: MediaKind::Video,
            position: 0,
        }));
        let now = self.svc.clock.now();
        self.svc
            .db
            .transaction(async |tx| {
                // Updating the product first locks its row (PostgreSQL): concurrent
                // replacements run one after the other, and each sees the one before.
                if !rows::touch(&mut tx.conn(), id, now.into()).await? {
                    return Err(no_such_product());
                }
                placements::replace(&mut tx.conn(), id, &list)
                    .await
                    .map_err(media_changed)?;
                self.svc.events.publish_on_commit(tx, TOPIC).await?;
                Ok::<_, AppError>(())
            })
            .await?;
        self.product(id, true).await?.ok_or_else(no_such_product)
    }

    /// Adds one picture (after the others) or the video to a product.
    pub async fn add_product_media(&self, id: i64, media_id: i64) -> AppResult<Product> {
        let media =
            self.media.get(media_id).await?.ok_or_else(|| {
                AppError::invalid("mediaId", "There is no media item with this id.")
            })?;
        if media.kind == MediaKind::Image {
            self.prepare_pictures(&[media_id]).await?;
        }
        let now = self.svc.clock.now();
        self.svc
            .db
            .transaction(async |tx| {
                if !rows::touch(&mut tx.conn(), id, now.into()).await? {
                    return Err(no_such_product());
                }
                let current = placements::of_product(&mut tx.conn(), id).await?;
                if current.iter().any(|(_, _, m)| *m == media_id) {
                    return Err(AppError::invalid(
                        "mediaId",
                        "The product already shows this item.",
                    ));
                }
                let position = match media.kind {
                    MediaKind::Image => {
                        let images = current.iter().filter(|(k, _, _)| *k == MediaKind::Image);
                        let next = images.map(|(_, p, _)| p + 1).max().unwrap_or(0);
                        if usize::try_from(next).unwrap_or(usize::MAX) >= MAX_IMAGES {
                            return Err(AppError::invalid(
                                "mediaId",
                                format!("A product has at most {MAX_IMAGES} pictures."),
                            ));
                        }
                        next
                    }
                    MediaKind::Video => {
                        if current.iter().any(|(k, _, _)| *k == MediaKind::Video) {
                            return Err(AppError::invalid(
                                "mediaId",
                                "A product has at most one video.",
                            ));
                        }
                        0
                    }
                };
                let placement = Placement {
                    product_id: id,
                    media_id,
                    kind: media.kind,
                    position,
                };
                placements::insert(&mut tx.conn(), &placement)
                    .await
                    .map_err(media_changed)?;
                self.svc.events.publish_on_commit(tx, TOPIC).await?;
                Ok::<_, AppError>(())
            })
            .await?;
        self.product(id, true).await?.ok_or_else(no_such_product)
    }

    /// The media of many products at once (for the per-request loader).
    pub async fn media_of(&self, product_ids: &[i64]) -> AppResult<HashMap<i64, ProductMedia>> {
        let found =
            placements::media_of(&mut self.svc.db.read().await?.conn(), product_ids).await?;
        let mut grouped: HashMap<i64, ProductMedia> = HashMap::new();
        for (product_id, kind, row) in found {
            let entry = grouped.entry(product_id).or_default();
            match kind {
                MediaKind::Image => entry.images.push(Media::from(row)),
                MediaKind::Video => entry.video = Some(Media::from(row)),
            }
        }
        Ok(grouped)
    }

    /// The categories of many products at once (for the per-request loader).
    pub async fn categories_of(
        &self,
        product_ids: &[i64],
    ) -> AppResult<HashMap<i64, Vec<Category>>> {
        let found = rows::categories_of(&mut self.svc.db.read().await?.conn(), product_ids).await?;
        let mut grouped: HashMap<i64, Vec<Category>> = HashMap::new();
        for (product_id, row) in found {
            grouped.entry(product_id).or_default().push(row.into());
        }
        Ok(grouped)
    }

    async fn check_media(&self, media_id: i64, kind: MediaKind, field: &str) -> AppResult<()> {
        let found = media_rows::find(&mut self.svc.db.read().await?.conn(), media_id).await?;
        match found {
            None => Err(AppError::invalid(
                field,
                "There is no media item with this id.",
            )),
            Some(row) if row.kind != kind => Err(AppError::invalid(
                field,
                match kind {
                    MediaKind::Image => "This item is a video, not a picture.",
                    MediaKind::Video => "This item is a picture, not a video.",
                },
            )),
            Some(_) => Ok(()),
        }
    }

    /// Gives every picture the product preset's sizes (the centred crop when it has none).
    async fn prepare_pictures(&self, image_ids: &[i64]) -> AppResult<()> {
        let _one_at_a_time = self.preparing.lock().await;
        for id in self.unprepared(image_ids).await? {
            if let Err(e) = self.media.crop(id, PRODUCT_PRESET, None).await {
                // Another instance may have made them at the same moment.
                if !self.unprepared(&[id]).await?.is_empty() {
                    return Err(e);
                }
            }
        }
        Ok(())
    }

    /// The pictures among `image_ids` without the product preset's sizes.
    async fn unprepared(&self, image_ids: &[i64]) -> AppResult<Vec<i64>> {
        let variants = self.media.variants_of(image_ids).await?;
        Ok(image_ids
            .iter()
            .copied()
            .filter(|id| {
                !variants
                    .iter()
                    .any(|v| v.media_id == *id && v.preset == PRODUCT_PRESET)
            })
            .collect())
    }

    async fn file_under(
        &self,
        tx: &mut Tx,
        product_id: i64,
        category_ids: &[i64],
    ) -> AppResult<()> {
        let known: HashSet<i64> = category_rows::all(&mut tx.conn())
            .await?
            .into_iter()
            .map(|c| c.id)
            .collect();
        if let Some(i) = category_ids.iter().position(|id| !known.contains(id)) {
            return Err(AppError::invalid(
                format!("categoryIds.{i}"),
                "There is no category with this id.",
            ));
        }
        let unique: Vec<i64> = category_ids
            .iter()
            .copied()
            .collect::<HashSet<_>>()
            .into_iter()
            .collect();
        rows::set_categories(&mut tx.conn(), product_id, &unique).await?;
        Ok(())
    }

    /// Applies `changes` to `values` and checks the result as a whole.
    async fn merge(
        &self,
        tx: &mut Tx,
        id: Option<i64>,
        mut v: ProductValues,
        changes: ProductChanges,
    ) -> AppResult<ProductValues> {
        if let Some(name) = changes.name {
            v.name = clean_text("name", &name, 200, false)?;
        }
        if let Some(text) = changes.description {
            if text.chars().count() > description::MAX_LEN {
                return Err(AppError::invalid(
                    "description",
                    format!(
                        "The description must be at most {} characters long.",
                        description::MAX_LEN
                    ),
                ));
            }
            if text
                .chars()
                .any(|c| c.is_control() && !matches!(c, '\n' | '\r' | '\t'))
            {
                return Err(AppError::invalid(
                    "description",
                    "The description contains characters that are not allowed.",
                ));
            }
            v.description_html = description::to_html(&text);
            v.description = text;
        }
        v.sku = optional_text("sku", changes.sku, v.sku, 64)?;
        if let Some(sku) = &v.sku
            && rows::sku_taken(&mut tx.conn(), sku, id).await?
        {
            return Err(AppError::invalid("sku", "Another product has this SKU."));
        }
        if let Some(price) = changes.price {
            v.price = price_in_range("price", price)?;
        }
        v.sale_price = match changes.sale_price {
            Change::Keep => v.sale_price,
            Change::Clear => None,
            Change::Set(kurus) => Some(price_in_range("salePrice", kurus)?),
        };
        if let Some(sale) = v.sale_price
            && sale >= v.price
        {
            return Err(AppError::invalid(
                "salePrice",
                "The sale price must be below the price.",
            ));
        }
        v.sale_starts_at = changes
            .sale_starts_at
            .apply(v.sale_starts_at.map(Into::into))
            .map(Timestamp::from);
        v.sale_ends_at = changes
            .sale_ends_at
            .apply(v.sale_ends_at.map(Into::into))
            .map(Timestamp::from);
        if let (Some(start), Some(end)) = (v.sale_starts_at, v.sale_ends_at)
            && end <= start
        {
            return Err(AppError::invalid(
                "saleEndsAt",
                "The sale must end after it starts.",
            ));
        }
        if let Some(rate) = changes.vat_rate {
            if !(0..=100).contains(&rate) {
                return Err(AppError::invalid(
                    "vatRate",
                    "The VAT rate is a percentage from 0 to 100.",
                ));
            }
            v.vat_rate = rate;
        }
        if let Some(stock) = changes.stock {
            if !(0..=MAX_STOCK).contains(&stock) {
                return Err(AppError::invalid(
                    "stock",
                    format!("Stock is a count from 0 to {MAX_STOCK}."),
                ));
            }
            v.stock = stock;
        }
        if let Some(active) = changes.active {
            v.active = active;
        }
        v.external_url = match changes.external_url {
            Change::Set(url) if url.trim().is_empty() => None,
            // Saved again as it was (the dashboard sends every field): a link kept from
            // before the allow-list is not checked again until it is changed.
            Change::Set(url) if v.external_url.as_deref() == Some(url.trim()) => v.external_url,
            Change::Set(url) => Some(external_url(&mut tx.conn(), &url).await?),
            other => other.apply(v.external_url),
        };
        v.seo_title = optional_text("seoTitle", changes.seo_title, v.seo_title, 70)?;
        v.seo_description = optional_text(
            "seoDescription",
            changes.seo_description,
            v.seo_description,
            200,
        )?;
        v.slug = self.slug_for(&mut tx.conn(), id, &v, changes.slug).await?;
        v.sort_name = fold(&v.name);
        v.search_text = fold(&format!(
            "{} {} {}",
            v.name,
            v.sku.as_deref().unwrap_or(""),
            v.description
        ));
        Ok(v)
    }

    /// The slug a product gets: the one asked for (which must be free), the one it has,
    /// or one made from its name with a number added when that is taken.
    async fn slug_for(
        &self,
        conn: &mut Conn<'_>,
        id: Option<i64>,
        v: &ProductValues,
        asked: Option<String>,
    ) -> AppResult<String> {
        if let Some(asked) = asked {
            let asked = asked.trim().to_owned();
            if !slug::is_valid(&asked) {
                return Err(AppError::invalid(
                    "slug",
                    format!(
                        "A slug is lower-case letters and digits joined by hyphens, at most {} long (e.g. {:?}).",
                        slug::MAX_LEN,
                        slug::from_name(&asked).unwrap_or_else(|| "urun-adi".to_owned())
                    ),
                ));
            }
            if rows::slug_taken(conn, &asked, id).await? {
                return Err(AppError::invalid("slug", "Another product has this slug."));
            }
            return Ok(asked);
        }
        if !v.slug.is_empty() {
            return Ok(v.slug.clone());
        }
        let base = slug::from_name(&v.name).unwrap_or_else(|| "urun".to_owned());
        rows::lock_slugs(conn).await?;
        let taken = rows::slugs_like(conn, &base).await?;
        Ok(slug::first_free(&base, &taken))
    }
}

/// The error for a product that does not exist (or was archived).
pub fn no_such_product() -> AppError {
    AppError::not_found("There is no product with this id.")
}

fn price_in_range(field: &str, kurus: i64) -> AppResult<Money> {
    if !(0..=MAX_PRICE.kurus()).contains(&kurus) {
        return Err(AppError::invalid(
            field,
            "A price is in kuruş, from 0 to 1000000000 (10,000,000 ₺).",
        ));
    }
    Ok(Money::from_kurus(kurus))
}

fn optional_text(
    field: &str,
    change: Change<String>,
    current: Option<String>,
    max: usize,
) -> AppResult<Option<String>> {
    match change {
        Change::Set(text) if text.trim().is_empty() => Ok(None),
        Change::Set(text) => clean_text(field, &text, max, false).map(Some),
        other => Ok(other.apply(current)),
    }
}

/// A product's external link: an https address of a host on the shop's allow-list, so
/// `/go/{slug}` can never send shoppers anywhere else.
async fn external_url(conn: &mut Conn<'_>, raw: &str) -> AppResult<String> {
    let parsed = url::Url::parse(raw.trim())
        .ok()
        .filter(|u| u.scheme() == "https" && u.username().is_empty() && u.password().is_none())
        .filter(|_| raw.len() <= 2000);
    let Some((url, host)) =
        parsed.and_then(|u| u.host_str().map(str::to_owned).map(|host| (u, host)))
    else {
        return Err(AppError::invalid(
            "externalUrl",
            "The link must be a full https address.",
        ));
    };
    if !shop_settings::link_host_allowed(conn, &host).await? {
        return Err(AppError::invalid(
            "externalUrl",
            format!("{host} is not on the shop's list of external link hosts (Mağaza ayarları)."),
        ));
    }
    Ok(url.into())
}

/// A unique constraint hit by a concurrent writer: the slug or SKU was just taken.
fn taken_error(e: diesel::result::Error) -> AppError {
    if is_unique_violation(&e) {
        AppError::conflict("Another product took this slug or SKU at the same moment; try again.")
    } else {
        e.into()
    }
}

/// A placement refused by the database: another request changed the media meanwhile.
fn media_changed(e: diesel::result::Error) -> AppError {
    use diesel::result::DatabaseErrorKind::{CheckViolation, ForeignKeyViolation, UniqueViolation};
    match &e {
        diesel::result::Error::DatabaseError(
            UniqueViolation | ForeignKeyViolation | CheckViolation,
            _,
        ) => AppError::conflict(
            "The product's media changed at the same moment (a limit of 5 pictures and one video holds); reload and try again.",
        ),
        _ => AppError::from(DbError::from(e)),
    }
}
