//! The shop's pages: the cart (`/sepet`), checkout (`/odeme`), an order (`/siparis/{n}`),
//! the customer's orders (`/hesap/siparisler`), the coupons (`/kuponlar`) and a coupon's
//! products (`/kupon/{code}`). The cart, checkout and orders depend on the browser, so
//! they are rendered per request and never stored; their buttons call the GraphQL API
//! from `/widgets/shop.js` (JSON requests: the API's CSRF rules) and reload the page,
//! so what is shown is always what the server holds. Turkish, like the account pages.

use axum::Router;
use axum::extract::{Path, State};
use axum::http::header::{LOCATION, SET_COOKIE};
use axum::http::{HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use minijinja::{Value, context};
use serde::Serialize;

use super::render::{Freshness, render, respond};
use super::texts::texts;
use super::views::{Shown, card};
use super::{Failure, HTML, failure_page};
use crate::addresses::provinces::PROVINCES;
use crate::auth::cookies::{self, Credentials};
use crate::auth::{Role, User, Viewer, tokens};
use crate::http::HttpState;
use crate::locale::Locale;
use crate::money::Money;
use crate::shop::cart::{Cart, Holder};
use crate::shop::coupons::{Coupon, CouponKind};
use crate::shop::orders::{Order, OrderStatus, customer_may_cancel};
use crate::shop::payment::PaymentMethod;

/// How many of a coupon's products its page shows.
const COUPON_PRODUCTS: i64 = 48;

/// The shop's pages.
pub fn routes() -> Router<HttpState> {
    Router::new()
        .route("/sepet", get(cart_page))
        .route("/odeme", get(checkout_page))
        .route("/siparis/{number}", get(order_page))
        .route("/hesap/siparisler", get(orders_page))
        .route("/hesap/favoriler", get(favorites_page))
        .route("/kuponlar", get(coupons_page))
        .route("/kupon/{code}", get(coupon_page))
}

const LOCALE: Locale = Locale::Tr;

fn tl(money: Money) -> String {
    money.format(LOCALE)
}

/// Who asks, from the session cookie (or bearer token).
async fn viewer(state: &HttpState, headers: &HeaderMap) -> Result<Viewer, Failure> {
    let credentials = Credentials::from_headers(headers, state.app.config());
    crate::http::graphql::viewer(state, &credentials)
        .await
        .map_err(|_| Failure::Internal)
}

/// The signed-in user, or a redirect to the sign-in page that comes back to `path`.
async fn signed_in(state: &HttpState, headers: &HeaderMap, path: &str) -> Result<User, Response> {
    match viewer(state, headers).await {
        Ok(Viewer::SignedIn { user, .. }) => Ok(user),
        Ok(_) => Err(see_other(&format!(
            "/hesap/giris?return={}",
            urlencoding(path)
        ))),
        Err(failure) => Err(failure_page(
            headers,
            failure,
            LOCALE,
            &state.app.config().site_name,
        )),
    }
}

fn urlencoding(path: &str) -> String {
    url::form_urlencoded::byte_serialize(path.as_bytes()).collect()
}

fn see_other(location: &str) -> Response {
    match HeaderValue::from_str(location) {
        Ok(location) => (StatusCode::SEE_OTHER, [(LOCATION, location)]).into_response(),
        Err(_) => StatusCode::INTERNAL_SERVER_ERROR.into_response(),
    }
}

/// Renders `shop.html` for `page`, never stored by caches.
pub(super) fn page(
    state: &HttpState,
    headers: &HeaderMap,
    page: &str,
    title: &str,
    data: Value,
) -> Response {
    let t = texts(LOCALE);
    let body = render(
        "shop.html",
        context! { t, site => &state.app.config().site_name, title, page, noindex => true, ..data },
    );
    match body {
        Some(body) => respond(
            headers,
            StatusCode::OK,
            HTML,
            Some(t.lang),
            Freshness::Private,
            body,
        ),
        None => StatusCode::INTERNAL_SERVER_ERROR.into_response(),
    }
}

/// A cart line as the page shows it.
#[derive(Serialize)]
struct LineView {
    id: i64,
    name: String,
    url: String,
    quantity: i32,
    max: i32,
    unit_price: String,
    line_total: String,
}

/// A cart's amounts and warnings as the page shows them.
#[derive(Serialize)]
struct CartView {
    lines: Vec<LineView>,
    item_count: i32,
    subtotal: String,
    discount: Option<String>,
    shipping: String,
    total: String,
    /// In kuruş, for checkout to confirm.
    total_kurus: i64,
    vat_included: String,
    coupon: Option<String>,
    coupon_applies: bool,
    warnings: Vec<String>,
    can_check_out: bool,
}

fn cart_view(cart: &Cart) -> CartView {
    CartView {
        lines: cart
            .lines
            .iter()
            .map(|line| LineView {
                id: line.id,
                name: line.product.name.clone(),
                url: line.product.path(),
                quantity: line.quantity,
                max: line.product.stock.clamp(1, crate::shop::cart::MAX_QUANTITY),
                unit_price: tl(line.unit_price),
                line_total: tl(line.line_total),
            })
            .collect(),
        item_count: cart.item_count(),
        subtotal: tl(cart.totals.subtotal),
        discount: (cart.totals.discount > Money::ZERO).then(|| tl(cart.totals.discount)),
        shipping: tl(cart.totals.shipping),
        total: tl(cart.totals.total),
        total_kurus: cart.totals.total.kurus(),
        vat_included: tl(cart.totals.vat_included),
        coupon: cart.coupon.as_ref().map(|c| c.coupon.code.clone()),
        coupon_applies: cart.coupon.as_ref().is_some_and(|c| c.refusal.is_none()),
        warnings: cart.warnings.iter().map(|w| w.message.clone()).collect(),
        can_check_out: cart.can_check_out(),
    }
}

/// The request's cart, merging a guest cart into the customer's first (as the API
/// does), with the cookie to clear when one was merged.
async fn current_cart(
    state: &HttpState,
    headers: &HeaderMap,
    user: Option<&User>,
) -> Result<(Cart, Option<HeaderValue>), Failure> {
    let shop = &state.app.shop;
    let token = cookies::cart_value(headers, state.app.config());
    match user {
        Some(user) => {
            let mut cleared = None;
            if let Some(token) = &token {
                shop.merge_guest_cart(user, token).await?;
                cleared = HeaderValue::from_str(&cookies::cart(state.app.config(), "", 0)).ok();
            }
            Ok((shop.cart(Holder::Customer(user)).await?, cleared))
        }
        _ => Ok((shop.cart(Holder::Guest(token.as_deref())).await?, None)),
    }
}

async fn cart_page(State(state): State<HttpState>, headers: HeaderMap) -> Response {
    let site = &state.app.config().site_name;
    let viewer = match viewer(&state, &headers).await {
        Ok(viewer) => viewer,
        Err(failure) => return failure_page(&headers, failure, LOCALE, site),
    };
    let (cart, cleared) = match current_cart(&state, &headers, viewer.user()).await {
        Ok(found) => found,
        Err(failure) => return failure_page(&headers, failure, LOCALE, site),
    };
    let mut response = page(
        &state,
        &headers,
        "cart",
        "Sepetim",
        context! { cart => cart_view(&cart) },
    );
    if let Some(cookie) = cleared {
        response.headers_mut().append(SET_COOKIE, cookie);
    }
    response
}

/// A saved address as a choice at checkout.
#[derive(Serialize)]
struct AddressChoice {
    id: i64,
    title: String,
    text: String,
    is_default: bool,
}

/// A payment method as a choice at checkout.
#[derive(Serialize)]
struct PaymentChoice {
    value: &'static str,
    label: String,
}

async fn checkout_page(State(state): State<HttpState>, headers: HeaderMap) -> Response {
    let site = &state.app.config().site_name;
    let user = match signed_in(&state, &headers, "/odeme").await {
        Ok(user) => user,
        Err(response) => return response,
    };
    let found = async {
        let (cart, _) = current_cart(&state, &headers, Some(&user)).await?;
        let addresses = state.app.addresses.of(&user).await?;
        let settings = state.app.shop.settings().await?;
        Ok::<_, Failure>((cart, addresses, settings))
    };
    let (cart, addresses, settings) = match found.await {
        Ok(found) => found,
        Err(failure) => return failure_page(&headers, failure, LOCALE, site),
    };
    if cart.lines.is_empty() {
        return see_other("/sepet");
    }
    let mut payments = Vec::new();
    if !settings.bank_accounts.is_empty() {
        payments.push(PaymentChoice {
            value: "BANK_TRANSFER",
            label: "Havale / EFT".to_owned(),
        });
    }
    if settings.cash_on_delivery {
        let fee = settings.cash_on_delivery_fee;
        payments.push(PaymentChoice {
            value: "CASH_ON_DELIVERY",
            label: if fee > Money::ZERO {
                format!("Kapıda ödeme (+{})", tl(fee))
            } else {
                "Kapıda ödeme".to_owned()
            },
        });
    }
    let choices: Vec<AddressChoice> = addresses
        .iter()
        .map(|a| AddressChoice {
            id: a.id,
            title: a.title.clone(),
            text: format!(
                "{}, {}",
                a.recipient_name,
                a.postal_text().replace('\n', ", ")
            ),
            is_default: a.is_default,
        })
        .collect();
    page(
        &state,
        &headers,
        "checkout",
        "Ödeme",
        context! {
            cart => cart_view(&cart),
            addresses => choices,
            payments,
            verified => user.email_verified_at.is_some(),
            email => &user.email,
            // One key per rendering of this page: a double-clicked button places one order.
            idempotency_key => tokens::generate().raw,
            provinces => PROVINCES.as_slice(),
        },
    )
}

/// An order as its page shows it.
#[derive(Serialize)]
struct OrderView {
    number: String,
    status: &'static str,
    status_label: &'static str,
    created: String,
    lines: Vec<(String, i32, String)>,
    subtotal: String,
    discount: Option<String>,
    shipping: String,
    payment_fee: Option<String>,
    total: String,
    vat_included: String,
    payment: &'static str,
    recipient: String,
    phone: String,
    address: String,
    carrier: Option<String>,
    tracking_number: Option<String>,
    cancellable: bool,
    awaiting_transfer: bool,
}

fn status_label(status: OrderStatus) -> &'static str {
    match status {
        OrderStatus::AwaitingPayment => "Ödeme bekleniyor",
        OrderStatus::Preparing => "Hazırlanıyor",
        OrderStatus::Shipped => "Kargoda",
        OrderStatus::Delivered => "Teslim edildi",
        OrderStatus::Cancelled => "İptal edildi",
    }
}

fn order_view(order: &Order) -> OrderView {
    let o = &order.order;
    let created: chrono::DateTime<chrono::Utc> = o.created_at.into();
    OrderView {
        number: o.number.clone(),
        status: o.status.as_db(),
        status_label: status_label(o.status),
        created: created
            .with_timezone(&chrono_tz::Europe::Istanbul)
            .format("%d.%m.%Y %H:%M")
            .to_string(),
        lines: order
            .lines
            .iter()
            .map(|l| (l.product_name.clone(), l.quantity, tl(l.line_total)))
            .collect(),
        subtotal: tl(o.subtotal),
        discount: (o.discount > Money::ZERO).then(|| tl(o.discount)),
        shipping: tl(o.shipping),
        payment_fee: (o.payment_fee > Money::ZERO).then(|| tl(o.payment_fee)),
        total: tl(o.total),
        vat_included: tl(o.vat_included),
        payment: match o.payment_method {
            PaymentMethod::BankTransfer => "Havale / EFT",
            PaymentMethod::CashOnDelivery => "Kapıda ödeme",
        },
        recipient: o.recipient_name.clone(),
        phone: o.phone.clone(),
        address: o.shipping_address.clone(),
        carrier: o.carrier.clone(),
        tracking_number: o.tracking_number.clone(),
        cancellable: customer_may_cancel(o.status),
        awaiting_transfer: o.status == OrderStatus::AwaitingPayment,
    }
}

async fn order_page(
    State(state): State<HttpState>,
    Path(number): Path<String>,
    headers: HeaderMap,
) -> Response {
    let site = &state.app.config().site_name;
    let user = match signed_in(&state, &headers, &format!("/siparis/{number}")).await {
        Ok(user) => user,
        Err(response) => return response,
    };
    let shop = &state.app.shop;
    let found = if user.role == Role::Admin {
        shop.order_by_number(&number).await
    } else {
        shop.my_order(&user, &number).await
    };
    let (order, settings) = match (found, shop.settings().await) {
        (Ok(Some(order)), Ok(settings)) => (order, settings),
        (Ok(None), _) => return failure_page(&headers, Failure::NotFound, LOCALE, site),
        (Err(e), _) | (_, Err(e)) => return failure_page(&headers, Failure::from(e), LOCALE, site),
    };
    let accounts: Vec<(String, String, String)> = settings
        .bank_accounts
        .iter()
        .map(|a| (a.bank.clone(), a.holder.clone(), a.iban_grouped()))
        .collect();
    let title = format!("Sipariş {}", order.order.number);
    page(
        &state,
        &headers,
        "order",
        &title,
        context! { order => order_view(&order), accounts },
    )
}

async fn orders_page(State(state): State<HttpState>, headers: HeaderMap) -> Response {
    let site = &state.app.config().site_name;
    let user = match signed_in(&state, &headers, "/hesap/siparisler").await {
        Ok(user) => user,
        Err(response) => return response,
    };
    let page_of = crate::db::Page {
        after: None,
        limit: 50,
    };
    let orders = match state
        .app
        .shop
        .orders(Some(user.id), None, None, page_of)
        .await
    {
        Ok((orders, _)) => orders,
        Err(e) => return failure_page(&headers, Failure::from(e), LOCALE, site),
    };
    let orders: Vec<OrderView> = orders.iter().take(50).map(order_view).collect();
    page(
        &state,
        &headers,
        "orders",
        "Siparişlerim",
        context! { orders },
    )
}

/// How many favourites `/hesap/favoriler` shows (the API pages through all of them).
const FAVORITES_SHOWN: i64 = 48;

async fn favorites_page(State(state): State<HttpState>, headers: HeaderMap) -> Response {
    let site = &state.app.config().site_name;
    let user = match signed_in(&state, &headers, "/hesap/favoriler").await {
        Ok(user) => user,
        Err(response) => return response,
    };
    let app = &state.app;
    let found = async {
        let (favorites, total) = app
            .favorites
            .of_user(user.id, None, FAVORITES_SHOWN)
            .await?;
        let products: Vec<_> = favorites
            .into_iter()
            .take(usize::try_from(FAVORITES_SHOWN).unwrap_or(0))
            .map(|f| f.product)
            .collect();
        let shown = Shown::load(app, &products).await?;
        let now = app.services.clock.now();
        let cards: Vec<_> = products
            .iter()
            .map(|p| card(p, &shown, LOCALE, now))
            .collect();
        Ok::<_, Failure>((cards, total))
    };
    match found.await {
        Ok((cards, total)) => page(
            &state,
            &headers,
            "favorites",
            "Beğendiklerim",
            context! { cards_list => cards, total },
        ),
        Err(failure) => failure_page(&headers, failure, LOCALE, site),
    }
}

/// A coupon as the coupons page shows it.
#[derive(Serialize)]
struct CouponView {
    code: String,
    description: String,
    deal: String,
    conditions: Vec<String>,
    url: String,
}

fn coupon_view(coupon: &Coupon) -> CouponView {
    let deal = match coupon.kind {
        CouponKind::Percent => format!("%{} indirim", coupon.value),
        CouponKind::Fixed => format!("{} indirim", tl(Money::from_kurus(coupon.value))),
        CouponKind::FreeShipping => "Ücretsiz kargo".to_owned(),
    };
    let mut conditions = Vec::new();
    if coupon.min_subtotal > Money::ZERO {
        conditions.push(format!(
            "En az {} tutarındaki sepetlerde",
            tl(coupon.min_subtotal)
        ));
    }
    if let Some(end) = coupon.ends_at {
        conditions.push(format!(
            "Son gün: {}",
            end.with_timezone(&chrono_tz::Europe::Istanbul)
                .format("%d.%m.%Y %H:%M")
        ));
    }
    if coupon.per_customer_limit == Some(1) {
        conditions.push("Müşteri başına bir kez".to_owned());
    }
    if coupon.is_limited() {
        conditions.push("Yalnızca kuponlu ürünlerde".to_owned());
    }
    CouponView {
        code: coupon.code.clone(),
        description: coupon.description.clone(),
        deal,
        conditions,
        url: format!("/kupon/{}", coupon.code),
    }
}

async fn coupons_page(State(state): State<HttpState>, headers: HeaderMap) -> Response {
    let site = &state.app.config().site_name;
    let all = crate::db::Page {
        after: None,
        limit: 100,
    };
    let coupons = match state.app.shop.public_coupons(all).await {
        Ok((coupons, _)) => coupons,
        Err(e) => return failure_page(&headers, Failure::from(e), LOCALE, site),
    };
    let coupons: Vec<CouponView> = coupons.iter().take(100).map(coupon_view).collect();
    page(
        &state,
        &headers,
        "coupons",
        "Kuponlar",
        context! { coupons },
    )
}

async fn coupon_page(
    State(state): State<HttpState>,
    Path(code): Path<String>,
    headers: HeaderMap,
) -> Response {
    let site = &state.app.config().site_name;
    let app = &state.app;
    let found = async {
        let coupon = app
            .shop
            .coupon_by_code(&code)
            .await?
            .ok_or(Failure::NotFound)?;
        let products = app
            .shop
            .coupon_products(&coupon.code, None, COUPON_PRODUCTS)
            .await?;
        let shown = Shown::load(app, &products.products).await?;
        let now = app.services.clock.now();
        let cards: Vec<_> = products
            .products
            .iter()
            .map(|p| card(p, &shown, LOCALE, now))
            .collect();
        Ok::<_, Failure>((coupon, cards, products.total))
    };
    match found.await {
        Ok((coupon, cards, total)) => {
            let title = format!("{} kuponlu ürünler", coupon.code);
            page(
                &state,
                &headers,
                "coupon",
                &title,
                context! { coupon => coupon_view(&coupon), cards_list => cards, total },
            )
        }
        Err(failure) => failure_page(&headers, failure, LOCALE, site),
    }
}
