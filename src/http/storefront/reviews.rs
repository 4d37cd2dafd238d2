//! The reviews on a product page: the rating with its histogram, a page of published
//! reviews in the order the address asks for, and the links that change the order.

use chrono::{DateTime, Utc};
use serde::Serialize;

use super::texts::Texts;
use super::views::{Stars, localized, star_row, stars};
use crate::locale::Locale;
use crate::reviews::Review;
use crate::reviews::products::{Rating, ReviewOrder};

/// How many reviews a product page shows at once.
pub const PAGE_SIZE: i64 = 10;

/// The orders as the address names them (`?yorum=`).
const ORDERS: [(&str, ReviewOrder); 4] = [
    ("yeni", ReviewOrder::Newest),
    ("faydali", ReviewOrder::MostHelpful),
    ("yuksek", ReviewOrder::Highest),
    ("dusuk", ReviewOrder::Lowest),
];

/// What a product page's address asks of its reviews.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReviewParams {
    pub order: ReviewOrder,
    pub with_photos: bool,
    /// Where the page of reviews starts (the previous page's last position).
    pub after: Option<String>,
}

impl Default for ReviewParams {
    fn default() -> Self {
        ReviewParams {
            order: ReviewOrder::Newest,
            with_photos: false,
            after: None,
        }
    }
}

impl ReviewParams {
    /// Reads `yorum`, `fotografli` and `yorum_sonra`; other names are left to others.
    /// An unknown order is an error.
    pub fn parse(query: &str) -> Result<ReviewParams, ()> {
        let mut params = ReviewParams::default();
        for (name, value) in url::form_urlencoded::parse(query.as_bytes()) {
            match name.as_ref() {
                "yorum" => {
                    params.order = ORDERS
                        .iter()
                        .find(|(key, _)| *key == value)
                        .map(|(_, order)| *order)
                        .ok_or(())?;
                }
                "fotografli" => params.with_photos = value == "1",
                "yorum_sonra" if !value.is_empty() => params.after = Some(value.into_owned()),
                _ => {}
            }
        }
        Ok(params)
    }

    /// The query string of these parameters (empty for the defaults), for the page's
    /// address and the key it is remembered under.
    pub fn query(&self) -> String {
        let mut query = url::form_urlencoded::Serializer::new(String::new());
        if self.order != ReviewOrder::Newest {
            query.append_pair("yorum", order_key(self.order));
        }
        if self.with_photos {
            query.append_pair("fotografli", "1");
        }
        if let Some(after) = &self.after {
            query.append_pair("yorum_sonra", after);
        }
        query.finish()
    }

    /// The address of the product page at `path` with these parameters, at the reviews.
    fn link(&self, path: &str, locale: Locale) -> String {
        let query = self.query();
        let path = if query.is_empty() {
            path.to_owned()
        } else {
            format!("{path}?{query}")
        };
        format!("{}#yorumlar", localized(&path, locale))
    }
}

fn order_key(order: ReviewOrder) -> &'static str {
    ORDERS
        .iter()
        .find(|(_, o)| *o == order)
        .map_or("yeni", |(key, _)| key)
}

/// One bar of the histogram.
#[derive(Serialize)]
pub struct Bar {
    pub stars: i64,
    pub label: String,
    pub count: i64,
    /// Its share of all reviews, in whole percent (the bar's width).
    pub percent: i64,
}

/// A link that reorders or filters the reviews.
#[derive(Serialize)]
pub struct Choice {
    pub label: &'static str,
    pub url: String,
    pub current: bool,
}

/// A photo on a review.
#[derive(Serialize)]
pub struct PhotoView {
    pub url: String,
    pub width: i32,
    pub height: i32,
}

/// A review as the page shows it.
#[derive(Serialize)]
pub struct ReviewView {
    pub id: i64,
    pub author: String,
    pub date: String,
    pub stars: String,
    pub label: String,
    pub title: Option<String>,
    pub comment: String,
    pub photos: Vec<PhotoView>,
    pub verified: bool,
    pub helpful: i32,
}

/// The reviews section of a product page.
#[derive(Serialize)]
pub struct ReviewsView {
    pub stars: Option<Stars>,
    pub count: i64,
    pub histogram: Vec<Bar>,
    pub orders: Vec<Choice>,
    pub photos_filter: Choice,
    pub reviews: Vec<ReviewView>,
    /// The next page of reviews, when there is one.
    pub more: Option<String>,
    /// The sign-in page that comes back to the review form.
    pub sign_in: String,
}

/// Builds the section from the product's rating and a page of its reviews (fetched one
/// more than shown, which tells whether another page follows).
pub fn section(
    path: &str,
    rating: &Rating,
    mut page: Vec<Review>,
    params: &ReviewParams,
    t: &Texts,
    locale: Locale,
) -> ReviewsView {
    let count = rating.count();
    let histogram = (1..=5)
        .rev()
        .map(|stars| {
            let n = rating.histogram[usize::try_from(stars - 1).unwrap_or(0)];
            Bar {
                stars,
                label: t.star_count.replace("{n}", &stars.to_string()),
                count: n,
                percent: if count == 0 {
                    0
                } else {
                    (n * 100 + count / 2) / count
                },
            }
        })
        .collect();
    let labels = [
        t.sort_newest,
        t.review_sort_helpful,
        t.review_sort_highest,
        t.review_sort_lowest,
    ];
    let orders = ORDERS
        .iter()
        .zip(labels)
        .map(|((_, order), label)| Choice {
            label,
            url: ReviewParams {
                order: *order,
                with_photos: params.with_photos,
                after: None,
            }
            .link(path, locale),
            current: *order == params.order,
        })
        .collect();
    let photos_filter = Choice {
        label: if params.with_photos {
            t.all_reviews
        } else {
            t.with_photos
        },
        url: ReviewParams {
            order: params.order,
            with_photos: !params.with_photos,
            after: None,
        }
        .link(path, locale),
        current: params.with_photos,
    };
    let has_more = page.len() as i64 > PAGE_SIZE;
    page.truncate(usize::try_from(PAGE_SIZE).unwrap_or(0));
    let more = match page.last() {
        Some(last) if has_more => Some(
            ReviewParams {
                order: params.order,
                with_photos: params.with_photos,
                after: Some(crate::reviews::products::position(params.order, last)),
            }
            .link(path, locale),
        ),
        _ => None,
    };
    let reviews = page
        .into_iter()
        .map(|r| review_view(r, t, locale))
        .collect();
    ReviewsView {
        stars: stars(rating, locale),
        count,
        histogram,
        orders,
        photos_filter,
        reviews,
        more,
        sign_in: format!(
            "/hesap/giris?return={}",
            url::form_urlencoded::byte_serialize(format!("{path}#yorum-yaz").as_bytes())
                .collect::<String>()
        ),
    }
}

fn review_view(review: Review, t: &Texts, locale: Locale) -> ReviewView {
    ReviewView {
        id: review.id,
        author: review.author_name,
        date: date(review.created_at, locale),
        stars: star_row(i64::from(review.rating)),
        label: t.review_stars.replace("{n}", &review.rating.to_string()),
        title: review.title,
        comment: review.comment,
        photos: review
            .photos
            .into_iter()
            .map(|p| PhotoView {
                url: p.url,
                width: p.width,
                height: p.height,
            })
            .collect(),
        verified: review.verified_purchase,
        helpful: review.helpful_count,
    }
}

fn date(at: DateTime<Utc>, locale: Locale) -> String {
    let local = at.with_timezone(&chrono_tz::Europe::Istanbul);
    match locale {
        Locale::Tr => local.format("%d.%m.%Y").to_string(),
        Locale::En => local.format("%Y-%m-%d").to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn review_parameters_round_trip_and_an_unknown_order_is_refused() {
        let params = ReviewParams::parse("yorum=yuksek&fotografli=1&utm_source=x").unwrap();
        assert_eq!(params.order, ReviewOrder::Highest);
        assert!(params.with_photos);
        assert_eq!(params.query(), "yorum=yuksek&fotografli=1");
        assert_eq!(ReviewParams::parse("").unwrap(), ReviewParams::default());
        assert_eq!(ReviewParams::default().query(), "");
        assert!(ReviewParams::parse("yorum=best").is_err());
    }

    #[test]
    fn the_histogram_lists_five_stars_first_with_rounded_shares() {
        let rating = Rating {
            histogram: [1, 0, 0, 1, 1],
        };
        let view = section(
            "/urun/x",
            &rating,
            Vec::new(),
            &ReviewParams::default(),
            super::super::texts::texts(Locale::Tr),
            Locale::Tr,
        );
        let bars: Vec<(i64, i64)> = view
            .histogram
            .iter()
            .map(|b| (b.stars, b.percent))
            .collect();
        assert_eq!(bars, vec![(5, 33), (4, 33), (3, 0), (2, 0), (1, 33)]);
        assert_eq!(view.stars.map(|s| s.average), Some("3,3".to_owned()));
        assert_eq!(view.more, None);
    }
}
