//! What the storefront's templates show, built from the catalogue: product cards, the
//! product page with its gallery data and schema.org JSON-LD, the category tree.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use serde::Serialize;
use serde_json::{Value, json};

use crate::app::App;
use crate::catalog::{Category, PRODUCT_PRESET, Product, ProductMedia, description};
use crate::config::{Config, EdgeConfig};
use crate::error::AppResult;
use crate::locale::Locale;
use crate::media::{Media, Variant};
use crate::reviews::products::Rating;

use super::texts::Texts;

/// One file of a picture in one size: the JPEG (or the provider's automatic format)
/// always, the WebP when there is one.
#[derive(Serialize, Clone)]
pub struct File {
    pub jpeg: String,
    /// The JPEG and, behind an edge, its narrower copies there, as a `srcset`.
    pub srcset: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub webp: Option<String>,
    pub width: u32,
    pub height: u32,
}

/// A product picture in the product preset's sizes.
#[derive(Serialize, Clone)]
pub struct Picture {
    pub alt: String,
    pub main: File,
    pub zoom: File,
    pub thumb: File,
}

/// A product in a list.
#[derive(Serialize)]
pub struct Card {
    pub name: String,
    pub url: String,
    pub picture: Option<Picture>,
    pub price: String,
    pub old_price: Option<String>,
    pub discount: Option<i32>,
    pub in_stock: bool,
    /// Its published reviews as stars; none without reviews.
    pub stars: Option<Stars>,
}

/// A rating shown as stars.
#[derive(Serialize)]
pub struct Stars {
    /// The mean with one decimal, written as the language writes numbers.
    pub average: String,
    pub count: i64,
    /// Five stars, the rounded mean of them filled (★★★★☆).
    pub shown: String,
    /// What a screen reader says instead of the stars.
    pub label: String,
}

/// `filled` whole stars of five (★★★☆☆).
pub fn star_row(filled: i64) -> String {
    let filled = usize::try_from(filled.clamp(0, 5)).unwrap_or(0);
    format!("{}{}", "★".repeat(filled), "☆".repeat(5 - filled))
}

/// A number with one decimal as `locale` writes it (4,3 in Turkish).
pub fn one_decimal(value: f64, locale: Locale) -> String {
    let text = format!("{value:.1}");
    match locale {
        Locale::Tr => text.replace('.', ","),
        Locale::En => text,
    }
}

/// A product's rating as stars in `locale`; none when it has no published reviews.
pub fn stars(rating: &Rating, locale: Locale) -> Option<Stars> {
    let count = rating.count();
    if count == 0 {
        return None;
    }
    let t = super::texts::texts(locale);
    let average = one_decimal(rating.average(), locale);
    Some(Stars {
        label: t
            .stars_label
            .replace("{avg}", &average)
            .replace("{n}", &count.to_string()),
        shown: star_row(rating.average().round() as i64),
        average,
        count,
    })
}

/// A link in a breadcrumb or a category list.
#[derive(Serialize)]
pub struct Link {
    pub name: String,
    pub url: String,
    pub current: bool,
    pub children: Vec<Link>,
}

/// The pictures and the video of some products, ready to show.
pub struct Shown {
    media: HashMap<i64, ProductMedia>,
    files: HashMap<i64, Vec<Variant>>,
    ratings: HashMap<i64, Rating>,
    /// Where the edge's resized copies are, when there is an edge.
    edge: Option<EdgeConfig>,
}

impl Shown {
    /// Loads the media of `products`, their variants and their ratings: three queries
    /// whatever the count.
    pub async fn load(app: &App, products: &[Product]) -> AppResult<Shown> {
        let ids: Vec<i64> = products.iter().map(|p| p.id).collect();
        let media = app.catalog.media_of(&ids).await?;
        let image_ids: Vec<i64> = media
            .values()
            .flat_map(|m| m.images.iter().map(|i| i.id))
            .collect();
        let mut files: HashMap<i64, Vec<Variant>> = HashMap::new();
        if !image_ids.is_empty() {
            for variant in app.media.variants_of(&image_ids).await? {
                if variant.preset == PRODUCT_PRESET {
                    files.entry(variant.media_id).or_default().push(variant);
                }
            }
        }
        let ratings = app.reviews.ratings_of(&ids).await?;
        Ok(Shown {
            media,
            files,
            ratings,
            edge: app.config().edge.clone(),
        })
    }

    /// A product's rating (empty without published reviews).
    pub fn rating(&self, product: &Product) -> Rating {
        self.ratings.get(&product.id).cloned().unwrap_or_default()
    }

    /// The pictures of one product, in order.
    pub fn pictures(&self, product: &Product, t: &Texts) -> Vec<Picture> {
        let Some(media) = self.media.get(&product.id) else {
            return Vec::new();
        };
        media
            .images
            .iter()
            .enumerate()
            .map(|(i, image)| {
                let variants = self.files.get(&image.id).map_or(&[][..], Vec::as_slice);
                let file = |size: &str| size_file(variants, size, image, self.edge.as_ref());
                Picture {
                    alt: image
                        .alt
                        .clone()
                        .unwrap_or_else(|| format!("{} – {} {}", product.name, t.picture, i + 1)),
                    main: file("main"),
                    zoom: file("zoom"),
                    thumb: file("thumb"),
                }
            })
            .collect()
    }

    /// The product's video, if it has one.
    pub fn video(&self, product: &Product) -> Option<&Media> {
        self.media.get(&product.id)?.video.as_ref()
    }
}

/// The file of one size (the original when the size is missing, e.g. after the
/// preset was changed: shown at its own proportions, never stretched).
fn size_file(variants: &[Variant], size: &str, image: &Media, edge: Option<&EdgeConfig>) -> File {
    let of_size: Vec<&Variant> = variants.iter().filter(|v| v.size == size).collect();
    let jpeg = of_size
        .iter()
        .find(|v| v.format == "JPEG")
        .or_else(|| of_size.iter().find(|v| v.format == "AUTO"));
    match jpeg {
        Some(jpeg) => File {
            srcset: crate::edge::srcset(edge, &jpeg.url, &jpeg.url, &jpeg.format, jpeg.width),
            jpeg: jpeg.url.clone(),
            webp: (jpeg.format == "JPEG")
                .then(|| of_size.iter().find(|v| v.format == "WEBP"))
                .flatten()
                .map(|v| v.url.clone()),
            width: jpeg.width,
            height: jpeg.height,
        },
        None => File {
            srcset: crate::edge::srcset(None, image.url(), image.url(), "", image.width),
            jpeg: image.url().to_owned(),
            webp: None,
            width: image.width,
            height: image.height,
        },
    }
}

/// A URL usable from another site (link previews and schema.org need absolute ones;
/// the page itself links relative, so that it works under any host name).
pub fn absolute(config: &Config, url: &str) -> String {
    if url.starts_with('/') && !url.starts_with("//") {
        config.public_link(url)
    } else {
        url.to_owned()
    }
}

/// `path` in `locale` (Turkish needs no parameter).
pub fn localized(path: &str, locale: Locale) -> String {
    match locale {
        Locale::Tr => path.to_owned(),
        Locale::En => {
            let mark = if path.contains('?') { '&' } else { '?' };
            format!("{path}{mark}lang=en")
        }
    }
}

/// A product's card in `locale` at `now`.
pub fn card(product: &Product, shown: &Shown, locale: Locale, now: DateTime<Utc>) -> Card {
    let t = super::texts::texts(locale);
    let on_sale = product.on_sale(now);
    Card {
        name: product.name.clone(),
        url: localized(&product.path(), locale),
        picture: shown.pictures(product, t).into_iter().next(),
        price: product.current_price(now).format(locale),
        old_price: on_sale.then(|| product.price.format(locale)),
        discount: product.discount_percent(now),
        in_stock: product.stock > 0,
        stars: stars(&shown.rating(product), locale),
    }
}

/// The categories under `parent` (the whole tree from the top) as links, the
/// `current` category marked.
pub fn category_links(
    all: &[Category],
    parent: Option<i64>,
    current: Option<i64>,
    locale: Locale,
) -> Vec<Link> {
    all.iter()
        .filter(|c| c.parent_id == parent)
        .map(|c| Link {
            name: c.name.clone(),
            url: localized(&c.path(), locale),
            current: current == Some(c.id),
            children: category_links(all, Some(c.id), current, locale),
        })
        .collect()
}

/// The categories from the top down to `id`.
pub fn ancestry(all: &[Category], id: i64, locale: Locale) -> Vec<Link> {
    let mut chain = Vec::new();
    let mut next = all.iter().find(|c| c.id == id);
    while let Some(category) = next {
        chain.push(Link {
            name: category.name.clone(),
            url: localized(&category.path(), locale),
            current: category.id == id,
            children: Vec::new(),
        });
        next = category
            .parent_id
            .and_then(|parent| all.iter().find(|c| c.id == parent));
        if chain.len() > 3 {
            break;
        }
    }
    chain.reverse();
    chain
}

/// What `<vitrin-gallery>` reads from the page (web/src/widgets/gallery/data.ts).
pub fn gallery_data(product: &Product, pictures: &[Picture], video: Option<&Media>) -> Value {
    let mut slides: Vec<Value> = pictures
        .iter()
        .map(|p| {
            json!({ "kind": "image", "alt": p.alt, "main": p.main, "zoom": p.zoom, "thumb": p.thumb })
        })
        .collect();
    if let Some(video) = video {
        slides.push(json!({
            "kind": "video",
            "src": video.url(),
            "type": video.content_type,
            "width": video.width,
            "height": video.height,
        }));
    }
    json!({ "name": product.name, "slides": slides })
}

/// The product as schema.org sees it: name, pictures, and the offer a shopper gets now.
pub fn json_ld(
    product: &Product,
    pictures: &[Picture],
    categories: &[Category],
    rating: &Rating,
    config: &Config,
    now: DateTime<Utc>,
) -> Value {
    let url = config.public_link(&product.path());
    let mut offer = json!({
        "@type": "Offer",
        "url": url,
        "priceCurrency": crate::money::Money::CURRENCY,
        "price": product.current_price(now).decimal(),
        "availability": if product.stock > 0 { "https://schema.org/InStock" } else { "https://schema.org/OutOfStock" },
        "itemCondition": "https://schema.org/NewCondition",
    });
    if let Some(ends) = product.sale_ends_at.filter(|_| product.on_sale(now)) {
        offer["priceValidUntil"] = json!(ends.format("%Y-%m-%d").to_string());
    }
    let mut ld = json!({
        "@context": "https://schema.org",
        "@type": "Product",
        "name": product.name,
        "url": url,
        "image": pictures.iter().map(|p| absolute(config, &p.main.jpeg)).collect::<Vec<_>>(),
        "description": meta_description(product),
        "offers": offer,
    });
    if let Some(sku) = &product.sku {
        ld["sku"] = json!(sku);
    }
    if let Some(category) = categories.first() {
        ld["category"] = json!(category.name);
    }
    if rating.count() > 0 {
        ld["aggregateRating"] = json!({
            "@type": "AggregateRating",
            "ratingValue": rating.average(),
            "reviewCount": rating.count(),
            "bestRating": 5,
            "worstRating": 1,
        });
    }
    ld
}

/// The description search engines and link previews show.
pub fn meta_description(product: &Product) -> String {
    product
        .seo_description
        .clone()
        .unwrap_or_else(|| description::summary(&product.description, 160))
}
