//! The storefront, rendered on the server for shoppers, search engines and link
//! previews: product lists (`/urunler`, `/kategori/{slug}`, `/indirimli-urunler`,
//! `/ara`), product pages (`/urun/{slug}`), external "buy" links (`/go/{slug}`),
//! `/sitemap.xml` and `/robots.txt`. Turkish
//! by default, English with `?lang=en`. The gallery is `<vitrin-gallery>` from the web
//! client; without JavaScript the page shows its main picture and links.

mod account;
mod external_link;
mod listing;
pub mod render;
mod reviews;
mod share;
mod shop;
mod texts;
mod views;

use axum::Router;
use axum::extract::{Path, RawQuery, State};
use axum::http::header::{CONTENT_SECURITY_POLICY, LOCATION, X_FRAME_OPTIONS};
use axum::http::{HeaderMap, HeaderValue, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use chrono::{DateTime, Utc};
use minijinja::context;
use tower_http::set_header::SetResponseHeaderLayer;

use self::listing::{ListKind, ListParams};
use self::render::{Freshness, Rendered, STYLESHEET, render, respond};
use self::reviews::ReviewParams;
use self::texts::texts;
use self::views::{Shown, absolute, ancestry, category_links, localized};
use super::HttpState;
use super::remembered::{self, Remembered};
use crate::catalog::{Found, listing::ProductQuery};
use crate::error::AppError;
use crate::events::Topic;
use crate::locale::Locale;

/// How many products a list page shows.
const PAGE_SIZE: i64 = 24;
/// The most URLs one sitemap may list (sitemaps.org).
const SITEMAP_MAX: i64 = 50_000;

/// The storefront's routes, under the site's content security policy.
pub fn routes() -> Router<HttpState> {
    Router::new()
        .route("/urunler", get(all_products))
        .route("/indirimli-urunler", get(on_sale))
        .route("/ara", get(search))
        .route("/kategori/{slug}", get(category))
        .route("/urun/{slug}", get(product))
        .route("/go/{slug}", get(external_link::follow))
        .route("/sitemap.xml", get(sitemap))
        .route("/robots.txt", get(robots))
        .route("/storefront.css", get(stylesheet))
        .merge(account::routes())
        .merge(shop::routes())
        .merge(share::routes())
        .layer(SetResponseHeaderLayer::if_not_present(
            CONTENT_SECURITY_POLICY,
            HeaderValue::from_static(super::web::CSP),
        ))
        .layer(SetResponseHeaderLayer::overriding(
            X_FRAME_OPTIONS,
            HeaderValue::from_static("DENY"),
        ))
}

/// Why a page could not be shown.
enum Failure {
    NotFound,
    BadRequest,
    Internal,
}

impl From<AppError> for Failure {
    fn from(error: AppError) -> Self {
        match error {
            AppError::Client {
                code: crate::error::ErrorCode::NotFound,
                ..
            } => Failure::NotFound,
            AppError::Client { .. } | AppError::Refused { .. } => Failure::BadRequest,
            other => {
                tracing::error!(error = ?other, "a storefront page failed");
                Failure::Internal
            }
        }
    }
}

/// The error page for `failure` in `locale`.
fn failure_page(headers: &HeaderMap, failure: Failure, locale: Locale, site: &str) -> Response {
    let t = texts(locale);
    let (status, title, text) = match failure {
        Failure::NotFound => (StatusCode::NOT_FOUND, t.not_found_title, t.not_found_text),
        Failure::BadRequest => (
            StatusCode::BAD_REQUEST,
            t.bad_request_title,
            t.bad_request_text,
        ),
        Failure::Internal => (
            StatusCode::INTERNAL_SERVER_ERROR,
            "500",
            crate::error::INTERNAL_MESSAGE,
        ),
    };
    let body = render(
        "error.html",
        context! { t, site, title, text, products_url => localized("/urunler", locale) },
    );
    match body {
        Some(body) => respond(headers, status, HTML, Some(t.lang), Freshness::Error, body),
        None => status.into_response(),
    }
}

const HTML: &str = "text/html; charset=utf-8";

async fn all_products(
    State(state): State<HttpState>,
    uri: Uri,
    headers: HeaderMap,
    RawQuery(query): RawQuery,
) -> Response {
    list_page(&state, &uri, &headers, query.as_deref(), ListKind::All).await
}

async fn on_sale(
    State(state): State<HttpState>,
    uri: Uri,
    headers: HeaderMap,
    RawQuery(query): RawQuery,
) -> Response {
    list_page(&state, &uri, &headers, query.as_deref(), ListKind::OnSale).await
}

async fn search(
    State(state): State<HttpState>,
    uri: Uri,
    headers: HeaderMap,
    RawQuery(query): RawQuery,
) -> Response {
    list_page(&state, &uri, &headers, query.as_deref(), ListKind::Search).await
}

async fn category(
    State(state): State<HttpState>,
    Path(slug): Path<String>,
    uri: Uri,
    headers: HeaderMap,
    RawQuery(query): RawQuery,
) -> Response {
    list_page(
        &state,
        &uri,
        &headers,
        query.as_deref(),
        ListKind::Category(slug),
    )
    .await
}

/// A list of products: filters, sort and position from the query string.
async fn list_page(
    state: &HttpState,
    uri: &Uri,
    headers: &HeaderMap,
    query: Option<&str>,
    kind: ListKind,
) -> Response {
    let params = match ListParams::parse(query.unwrap_or_default()) {
        Ok(params) => params,
        Err(locale) => {
            return failure_page(
                headers,
                Failure::BadRequest,
                locale,
                &state.app.config().site_name,
            );
        }
    };
    let locale = params.locale;
    // Remembered by what the page shows: tracking parameters and spellings of the same
    // filters share one entry.
    let key = format!(
        "{}{}",
        uri.path(),
        params.query_string(&kind, params.after.as_deref())
    );
    serve(
        state,
        Some(key),
        headers,
        locale,
        list_body(state, &params, &kind),
    )
    .await
}

/// What a catalogue page came to.
enum Outcome {
    /// The page, true until the catalogue or the media change, or until `until` (when a
    /// sale on it starts or ends).
    Page {
        body: String,
        until: Option<DateTime<Utc>>,
    },
    /// The product answers to another slug now.
    Moved(String),
}

/// The catalogue and the media: what every remembered page follows.
const FOLLOWS: [Topic; 4] = [
    crate::catalog::TOPIC,
    crate::media::STORAGE_TOPIC,
    crate::reviews::TOPIC,
    crate::favorites::TOPIC,
];

/// Storefront pages by address, remembered until what they show changes.
pub type Pages = Remembered<Rendered>;

/// An empty store of pages (at most 32 MiB).
pub fn pages() -> Pages {
    Remembered::new(32 << 20, Rendered::bytes)
}

/// Answers a catalogue page from memory, or makes it with `work` and remembers it.
/// Answers a page: the remembered one under `key`, or the rendering of `work`, which is
/// remembered unless there is no key (addresses without bound, which would only push
/// everyone else's pages out).
async fn serve(
    state: &HttpState,
    key: Option<String>,
    headers: &HeaderMap,
    locale: Locale,
    work: impl Future<Output = Result<Outcome, Failure>>,
) -> Response {
    let svc = &state.app.services;
    if let Some(page) = key
        .as_ref()
        .and_then(|key| state.pages.get(&svc.events, svc.clock.now(), key))
    {
        return page.respond(headers);
    }
    let generations = remembered::generations(&svc.events, &FOLLOWS);
    let site = &svc.config.site_name;
    match work.await {
        Ok(Outcome::Page { body, until }) => {
            let lang = Some(texts(locale).lang);
            let page = Rendered::new(StatusCode::OK, HTML, lang, Freshness::Page, body);
            if let Some(key) = key {
                state.pages.remember(key, generations, until, page.clone());
            }
            page.respond(headers)
        }
        Ok(Outcome::Moved(slug)) => {
            let target = localized(&format!("/urun/{slug}"), locale);
            match HeaderValue::from_str(&target) {
                Ok(location) => {
                    (StatusCode::MOVED_PERMANENTLY, [(LOCATION, location)]).into_response()
                }
                Err(_) => failure_page(headers, Failure::Internal, locale, site),
            }
        }
        Err(failure) => failure_page(headers, failure, locale, site),
    }
}

async fn list_body(
    state: &HttpState,
    params: &ListParams,
    kind: &ListKind,
) -> Result<Outcome, Failure> {
    let app = &state.app;
    let config = app.config();
    let locale = params.locale;
    let t = texts(locale);
    let all_categories = app.catalog.categories().await?;
    let current = match kind {
        ListKind::Category(slug) => Some(
            all_categories
                .iter()
                .find(|c| &c.slug == slug)
                .ok_or(Failure::NotFound)?,
        ),
        _ => None,
    };
    let (path, heading) = match (kind, current) {
        (ListKind::Category(_), Some(category)) => (category.path(), category.name.clone()),
        (ListKind::OnSale, _) => ("/indirimli-urunler".to_owned(), t.on_sale.to_owned()),
        (ListKind::Search, _) => ("/ara".to_owned(), t.search_title.to_owned()),
        _ => ("/urunler".to_owned(), t.all_products.to_owned()),
    };
    let searching = matches!(kind, ListKind::Search);
    let blank_search = searching && params.search.as_deref().is_none_or(str::is_empty);
    let order = params.order(kind);
    let query = ProductQuery {
        category_slug: current.map(|c| c.slug.clone()),
        search: params.search.clone(),
        on_sale: (params.on_sale || matches!(kind, ListKind::OnSale)).then_some(true),
        in_stock: params.in_stock.then_some(true),
        price_min: params.price_min.map(|m| m.kurus()),
        price_max: params.price_max.map(|m| m.kurus()),
        ..ProductQuery::default()
    };
    let (page, cards) = if blank_search {
        (None, Vec::new())
    } else {
        let after = params
            .after
            .as_deref()
            .map(crate::graphql::pagination::decode_cursor)
            .transpose()?;
        let page = app
            .catalog
            .list_products(&query, order, after.as_deref(), PAGE_SIZE)
            .await?;
        let shown = Shown::load(app, &page.products).await?;
        let now = app.services.clock.now();
        let cards: Vec<_> = page
            .products
            .iter()
            .map(|p| views::card(p, &shown, locale, now))
            .collect();
        let next = page.has_next.then(|| {
            page.products.last().map(|last| {
                crate::graphql::pagination::encode_cursor(&crate::catalog::listing::position(
                    order, last, now,
                ))
            })
        });
        (Some((page.total, next.flatten())), cards)
    };
    let (total, next) = page.unwrap_or((0, None));
    let here = params.query_string(kind, None);
    let canonical = config.public_link(&format!(
        "{path}{}",
        params.query_string(kind, params.after.as_deref())
    ));
    let body = render(
        "list.html",
        context! {
            t,
            site => &config.site_name,
            title => match (&params.search, searching) {
                (Some(q), true) if !blank_search => format!("“{q}” {}", t.results_for),
                _ => heading.clone(),
            },
            heading,
            canonical,
            other_lang_url => format!("{path}{}", params.in_locale(other(locale)).query_string(kind, None)),
            noindex => searching || params.after.is_some(),
            breadcrumbs => current.map(|c| ancestry(&all_categories, c.id, locale)).unwrap_or_default(),
            subcategories => current.map(|c| category_links(&all_categories, Some(c.id), None, locale)),
            categories => category_links(&all_categories, None, current.map(|c| c.id), locale),
            form => params.form(kind, &path),
            searching,
            blank_search,
            total,
            cards_list => cards,
            next_url => next.map(|cursor| format!("{path}{}", params.query_string(kind, Some(&cursor)))),
            first_url => params.after.as_ref().map(|_| format!("{path}{here}")),
        },
    )
    .ok_or(Failure::Internal)?;
    let until = app.catalog.next_price_change().await?;
    Ok(Outcome::Page { body, until })
}

/// The language a page links to as the alternative.
fn other(locale: Locale) -> Locale {
    match locale {
        Locale::Tr => Locale::En,
        Locale::En => Locale::Tr,
    }
}

async fn product(
    State(state): State<HttpState>,
    Path(slug): Path<String>,
    uri: Uri,
    headers: HeaderMap,
    RawQuery(query): RawQuery,
) -> Response {
    let query = query.unwrap_or_default();
    let (Ok(params), Ok(reviews)) = (ListParams::parse(&query), ReviewParams::parse(&query)) else {
        return failure_page(
            &headers,
            Failure::BadRequest,
            Locale::Tr,
            &state.app.config().site_name,
        );
    };
    let locale = params.locale;
    // The first page of reviews in each order is remembered; the pages after it are
    // rendered per request, since their positions are any number.
    let key = reviews.after.is_none().then(|| {
        let key = localized(uri.path(), locale);
        match reviews.query() {
            query if query.is_empty() => key,
            query => format!("{key}#{query}"),
        }
    });
    serve(
        &state,
        key,
        &headers,
        locale,
        product_body(&state, &slug, locale, &reviews),
    )
    .await
}

async fn product_body(
    state: &HttpState,
    slug: &str,
    locale: Locale,
    review_params: &ReviewParams,
) -> Result<Outcome, Failure> {
    let app = &state.app;
    let config = app.config();
    let t = texts(locale);
    let product = match app.catalog.product_by_slug(slug, false).await? {
        None => return Err(Failure::NotFound),
        Some(Found::MovedTo(current)) => return Ok(Outcome::Moved(current)),
        Some(Found::Product(product)) => *product,
    };
    let now = app.services.clock.now();
    let shown = Shown::load(app, std::slice::from_ref(&product)).await?;
    let mut categories = app.catalog.categories_of(&[product.id]).await?;
    let filed = categories.remove(&product.id).unwrap_or_default();
    let all_categories = match filed.first() {
        Some(_) => app.catalog.categories().await?,
        None => Vec::new(),
    };
    let pictures = shown.pictures(&product, t);
    let video = shown.video(&product);
    let on_sale = product.on_sale(now);
    let stock_note = match product.stock {
        0 => t.out_of_stock.to_owned(),
        n if n <= 5 => t.few_left.replace("{n}", &n.to_string()),
        _ => t.in_stock.to_owned(),
    };
    let canonical = config.public_link(&product.path());
    let description = views::meta_description(&product);
    let after = match &review_params.after {
        Some(text) => Some(
            crate::reviews::products::parse_position(review_params.order, text)
                .map_err(|_| Failure::BadRequest)?,
        ),
        None => None,
    };
    let page_of_reviews = app
        .reviews
        .of_product(
            product.id,
            review_params.order,
            review_params.with_photos,
            after,
            reviews::PAGE_SIZE,
        )
        .await?;
    let rating = shown.rating(&product);
    let reviews = reviews::section(
        &product.path(),
        &rating,
        page_of_reviews,
        review_params,
        t,
        locale,
    );
    let favorite_return = format!("{}?begen=1", product.path());
    let body = render(
        "product.html",
        context! {
            t,
            site => &config.site_name,
            title => product.seo_title.clone().unwrap_or_else(|| product.name.clone()),
            description,
            canonical,
            other_lang_url => localized(&product.path(), other(locale)),
            breadcrumbs => filed.first().map(|c| ancestry(&all_categories, c.id, locale)).unwrap_or_default(),
            name => &product.name,
            product_id => product.id,
            max_quantity => product.stock.clamp(1, crate::shop::cart::MAX_QUANTITY),
            slug => &product.slug,
            sku => &product.sku,
            price => product.current_price(now).format(locale),
            price_decimal => product.current_price(now).decimal(),
            old_price => on_sale.then(|| product.price.format(locale)),
            discount => product.discount_percent(now),
            sale_ends => product.sale_ends_at.filter(|_| on_sale).map(|end| end.format("%d.%m.%Y").to_string()),
            in_stock => product.stock > 0,
            stock_note,
            description_html => minijinja::Value::from_safe_string(product.description_html.clone()),
            external_url => &product.external_url,
            main => pictures.first(),
            share_image => pictures.first().map(|p| absolute(config, &p.main.jpeg)),
            pictures => pictures.iter().skip(1).collect::<Vec<_>>(),
            video_url => video.map(|v| v.url()),
            gallery => views::gallery_data(&product, &pictures, video),
            json_ld => views::json_ld(&product, &pictures, &filed, &rating, config, now),
            reviews,
            favorite_count => product.favorite_count,
            favorite_return,
            share_links => share::links(&canonical, &product.name),
            copy_url => share::tagged(&canonical, "copy"),
            native_url => share::tagged(&canonical, "webshare"),
        },
    )
    .ok_or(Failure::Internal)?;
    Ok(Outcome::Page {
        body,
        until: product.next_price_change(now),
    })
}

async fn sitemap(State(state): State<HttpState>, headers: HeaderMap) -> Response {
    let app = &state.app;
    let config = app.config();
    let site = &config.site_name;
    let entries = match app.catalog.sitemap(SITEMAP_MAX).await {
        Ok(entries) => entries,
        Err(e) => return failure_page(&headers, Failure::from(e), Locale::Tr, site),
    };
    let categories = match app.catalog.categories().await {
        Ok(all) => all,
        Err(e) => return failure_page(&headers, Failure::from(e), Locale::Tr, site),
    };
    let mut urls: Vec<minijinja::Value> = ["/urunler", "/indirimli-urunler"]
        .iter()
        .map(|path| context! { loc => config.public_link(path) })
        .collect();
    urls.extend(
        categories
            .iter()
            .map(|c| context! { loc => config.public_link(&c.path()) }),
    );
    urls.extend(entries.iter().map(|(slug, updated)| {
        context! {
            loc => config.public_link(&format!("/urun/{slug}")),
            lastmod => updated.format("%Y-%m-%d").to_string(),
        }
    }));
    match render("sitemap.xml", context! { urls }) {
        Some(body) => respond(
            &headers,
            StatusCode::OK,
            "application/xml; charset=utf-8",
            None,
            Freshness::Page,
            body,
        ),
        None => failure_page(&headers, Failure::Internal, Locale::Tr, site),
    }
}

async fn robots(State(state): State<HttpState>, headers: HeaderMap) -> Response {
    let body = format!(
        "User-agent: *\nAllow: /\nDisallow: /dashboard/\nDisallow: /graphql\nDisallow: /graphiql\nDisallow: /ara\nDisallow: /go/\nDisallow: /hesap\nDisallow: /paylasim/\n\nSitemap: {}\n",
        state.app.config().public_link("/sitemap.xml")
    );
    respond(
        &headers,
        StatusCode::OK,
        "text/plain; charset=utf-8",
        None,
        Freshness::Static,
        body,
    )
}

async fn stylesheet(headers: HeaderMap) -> Response {
    respond(
        &headers,
        StatusCode::OK,
        "text/css; charset=utf-8",
        None,
        Freshness::Static,
        STYLESHEET.clone(),
    )
}
