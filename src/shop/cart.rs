//! Carts: a guest's, found by an opaque cookie token (stored hashed, 30 days from its
//! last change), and each customer's one cart, into which a guest's cart merges at the
//! first request after signing in. Prices are always the product's current price; the
//! cart says what changed since the shopper last saw it.

use std::collections::{HashMap, HashSet};
use std::net::IpAddr;
use std::time::Duration;

use chrono::{DateTime, Utc};

use super::Shop;
use super::coupons::{self, Coupon, Refusal, Use};
use super::pricing::{self, Deal, PricedLine, Shipping, Totals};
use crate::auth::{User, tokens};
use crate::catalog::Product;
use crate::db::carts::{self as rows, CartRow, LineRow, Owner};
use crate::db::{Conn, Tx, coupons as coupon_rows, products, shop_settings};
use crate::error::{AppError, AppResult};
use crate::money::Money;
use crate::throttle::{Limit, too_many_attempts};
use crate::time::Timestamp;

/// How many of one product a line may hold.
pub const MAX_QUANTITY: i32 = 20;
/// How many different products a cart may hold.
pub const MAX_LINES: usize = 50;
/// How long a guest's cart lives after its last change.
pub const GUEST_CART_TTL: Duration = Duration::from_secs(30 * 24 * 3600);
/// New guest carts one client network may open (a household's browsers, not a script's
/// thousand requests).
const NEW_GUEST_CARTS: Limit = Limit::per(20, Duration::from_secs(3600));
/// Coupon codes one client network may try a minute.
const COUPON_TRIES: Limit = Limit::per(20, Duration::from_secs(60));

/// Whose cart a request means.
#[derive(Debug, Clone, Copy)]
pub enum Holder<'a> {
    Customer(&'a User),
    /// A guest, with the token of its cart's cookie if it sent one.
    Guest(Option<&'a str>),
}

/// A line as the shopper sees it.
#[derive(Debug, Clone)]
pub struct CartLine {
    pub id: i64,
    pub product: Product,
    pub quantity: i32,
    /// The product's price now.
    pub unit_price: Money,
    pub line_total: Money,
}

/// What changed since a line was put in the cart, or what stops checkout.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WarningKind {
    /// The price is not the one the shopper saw (informative).
    PriceChanged,
    /// None left.
    OutOfStock,
    /// Fewer left than the line asks for.
    NotEnoughStock,
    /// Taken off sale.
    Unavailable,
    /// The cart's coupon no longer applies.
    CouponNotApplicable,
}

/// A warning about a line or the coupon.
#[derive(Debug, Clone)]
pub struct CartWarning {
    pub kind: WarningKind,
    pub line_id: Option<i64>,
    pub message: String,
    /// Whether checkout waits until it is fixed.
    pub blocking: bool,
}

/// The coupon in a cart and what it takes off now.
#[derive(Debug, Clone)]
pub struct AppliedCoupon {
    pub coupon: Coupon,
    pub discount: Money,
    /// Why it does not apply now, if it does not (a warning says so too).
    pub refusal: Option<Refusal>,
}

/// A cart with its prices worked out.
#[derive(Debug, Clone, Default)]
pub struct Cart {
    /// `None` until something was put in it.
    pub id: Option<i64>,
    pub lines: Vec<CartLine>,
    pub totals: Totals,
    pub coupon: Option<AppliedCoupon>,
    pub warnings: Vec<CartWarning>,
    /// What the totals were worked out from (checkout adds the payment fee).
    priced: Vec<PricedLine>,
    deal: Deal,
    shipping: Shipping,
}

impl Cart {
    /// The totals with a payment method's fee added.
    pub fn totals_with_fee(&self, fee: Money) -> Totals {
        pricing::totals(&self.priced, self.deal, self.shipping, fee)
    }

    /// How many items (quantities added).
    pub fn item_count(&self) -> i32 {
        self.lines.iter().map(|l| l.quantity).sum()
    }

    /// Whether checkout can go ahead: something in it, nothing blocking.
    pub fn can_check_out(&self) -> bool {
        !self.lines.is_empty() && self.blocked().is_none()
    }

    /// Whether anything stops checkout.
    pub fn blocked(&self) -> Option<&CartWarning> {
        self.warnings.iter().find(|w| w.blocking)
    }
}

/// A cart after a change, with the token of a guest cart it just opened (for the cookie).
pub struct Changed {
    pub cart: Cart,
    pub new_guest_token: Option<String>,
}

impl Shop {
    /// The holder's cart (an empty one when there is none).
    pub async fn cart(&self, holder: Holder<'_>) -> AppResult<Cart> {
        let now = self.svc.clock.now();
        let mut pooled = self.svc.db.read().await?;
        let mut conn = pooled.conn();
        let row = match Key::of(holder).owner() {
            Some(owner) => rows::find(&mut conn, owner, guest_since(now)).await?,
            None => None,
        };
        let user = customer(holder);
        self.priced(&mut conn, row.as_ref(), user).await
    }

    /// Puts `quantity` more of a product in the cart (opening a guest cart if needed).
    pub async fn add_to_cart(
        &self,
        holder: Holder<'_>,
        client: IpAddr,
        product_id: i64,
        quantity: i32,
    ) -> AppResult<Changed> {
        check_quantity(quantity, 1)?;
        let now = self.svc.clock.now();
        let existing = self.existing_guest_cart(holder, now).await?;
        let new_guest = matches!(holder, Holder::Guest(_)) && !existing;
        if new_guest {
            // A refused add opens no cart, so it uses none of the client's allowance.
            for_sale(&mut self.svc.db.read().await?.conn(), product_id).await?;
        }
        if new_guest
            && let Err(wait) = self
                .svc
                .throttle
                .hit_client("guest-cart", client, NEW_GUEST_CARTS)
                .await?
        {
            return Err(too_many_attempts(wait));
        }
        let fresh = new_guest.then(tokens::generate);
        let key = match &fresh {
            Some(secret) => Key::Guest(secret.hash.clone()),
            None => Key::of(holder),
        };
        let owner = key
            .owner()
            .ok_or_else(|| AppError::internal(anyhow::anyhow!("a guest cart without a token")))?;
        let row = self
            .svc
            .db
            .transaction(async |tx| {
                let cart = cart_for_writing(tx, owner, now).await?;
                let product = for_sale(&mut tx.conn(), product_id).await?;
                let lines = rows::lines(&mut tx.conn(), cart.id).await?;
                let held = lines.iter().find(|l| l.product_id == product_id);
                if held.is_none() && lines.len() >= MAX_LINES {
                    return Err(AppError::refused(
                        "CART_FULL",
                        None,
                        format!("A cart holds at most {MAX_LINES} different products."),
                    ));
                }
                let wanted = held.map_or(0, |l| l.quantity) + quantity;
                check_quantity(wanted, 1)?;
                check_stock(&product, wanted)?;
                rows::put_line(
                    &mut tx.conn(),
                    cart.id,
                    product_id,
                    wanted,
                    product.current_price(now),
                    now.into(),
                )
                .await?;
                rows::touch(&mut tx.conn(), cart.id, now.into()).await?;
                Ok::<_, AppError>(cart)
            })
            .await?;
        Ok(Changed {
            cart: self.cart_by_row(&row, customer(holder)).await?,
            new_guest_token: fresh.map(|s| s.raw),
        })
    }

    /// Sets a line's quantity (0 removes it); the line's price becomes the one shown.
    pub async fn update_cart_line(
        &self,
        holder: Holder<'_>,
        line_id: i64,
        quantity: i32,
    ) -> AppResult<Cart> {
        check_quantity(quantity, 0)?;
        self.change_line(holder, line_id, quantity).await
    }

    /// Removes a line.
    pub async fn remove_cart_line(&self, holder: Holder<'_>, line_id: i64) -> AppResult<Cart> {
        self.change_line(holder, line_id, 0).await
    }

    /// Empties the cart and drops its coupon.
    pub async fn clear_cart(&self, holder: Holder<'_>) -> AppResult<Cart> {
        let now = self.svc.clock.now();
        if let Some(owner) = Key::of(holder).owner() {
            self.svc
                .db
                .transaction(async |tx| {
                    if let Some(cart) = rows::find(&mut tx.conn(), owner, guest_since(now)).await? {
                        rows::clear(&mut tx.conn(), cart.id, now.into()).await?;
                    }
                    Ok::<_, AppError>(())
                })
                .await?;
        }
        self.cart(holder).await
    }

    /// Puts a coupon on the cart, if its rules allow it for this cart now. Codes tried
    /// are limited per client, so private codes cannot be found by guessing.
    pub async fn apply_coupon(
        &self,
        holder: Holder<'_>,
        client: IpAddr,
        code: &str,
    ) -> AppResult<Cart> {
        if let Err(wait) = self
            .svc
            .throttle
            .hit_client("coupon-try", client, COUPON_TRIES)
            .await?
        {
            return Err(too_many_attempts(wait));
        }
        let now = self.svc.clock.now();
        let coupon = self
            .coupon_by_code(code)
            .await?
            .ok_or_else(|| Refusal::Unknown.error())?;
        let key = Key::of(holder);
        let Some(owner) = key.owner() else {
            return Err(Refusal::CartEmpty.error());
        };
        self.svc
            .db
            .transaction(async |tx| {
                let cart = rows::find(&mut tx.conn(), owner, guest_since(now))
                    .await?
                    .ok_or_else(|| Refusal::CartEmpty.error())?;
                let priced = self
                    .priced_with(
                        &mut tx.conn(),
                        &cart,
                        Some(coupon.clone()),
                        customer(holder),
                    )
                    .await?;
                if let Some(refusal) = priced.coupon.and_then(|applied| applied.refusal) {
                    return Err(refusal.error());
                }
                rows::set_coupon(&mut tx.conn(), cart.id, Some(coupon.id), now.into()).await?;
                Ok::<_, AppError>(())
            })
            .await?;
        self.cart(holder).await
    }

    /// Takes the coupon off the cart.
    pub async fn remove_coupon(&self, holder: Holder<'_>) -> AppResult<Cart> {
        let now = self.svc.clock.now();
        if let Some(owner) = Key::of(holder).owner() {
            self.svc
                .db
                .transaction(async |tx| {
                    if let Some(cart) = rows::find(&mut tx.conn(), owner, guest_since(now)).await? {
                        rows::set_coupon(&mut tx.conn(), cart.id, None, now.into()).await?;
                    }
                    Ok::<_, AppError>(())
                })
                .await?;
        }
        self.cart(holder).await
    }

    /// Moves a guest's cart into the customer's: quantities add up, capped by the stock
    /// and by [`MAX_QUANTITY`]; the guest's coupon comes along when the customer's cart
    /// has none. The guest cart is gone afterwards (its cookie can be cleared).
    pub async fn merge_guest_cart(&self, user: &User, guest_token: &str) -> AppResult<()> {
        if !tokens::well_formed(guest_token) {
            return Ok(());
        }
        let now = self.svc.clock.now();
        let hash = tokens::hash(guest_token);
        self.svc
            .db
            .transaction(async |tx| {
                let Some(guest) =
                    rows::find(&mut tx.conn(), Owner::Guest(&hash), guest_since(now)).await?
                else {
                    return Ok(());
                };
                crate::db::users::lock(&mut tx.conn(), user.id).await?;
                let mine = cart_for_writing(tx, Owner::Customer(user.id), now).await?;
                let held = rows::lines(&mut tx.conn(), mine.id).await?;
                let incoming = rows::lines(&mut tx.conn(), guest.id).await?;
                let ids: Vec<i64> = incoming.iter().map(|l| l.product_id).collect();
                let found = products::find_many(&mut tx.conn(), &ids).await?;
                let mut count = held.len();
                for line in &incoming {
                    let Some(product) = found.iter().find(|p| p.id == line.product_id) else {
                        continue;
                    };
                    let before = held.iter().find(|h| h.product_id == line.product_id);
                    if before.is_none() && count >= MAX_LINES {
                        continue;
                    }
                    let wanted = (before.map_or(0, |h| h.quantity) + line.quantity)
                        .min(MAX_QUANTITY)
                        .min(product.stock);
                    if wanted < 1 {
                        continue;
                    }
                    let seen = before.map_or(line.seen_price, |h| h.seen_price);
                    rows::put_line(
                        &mut tx.conn(),
                        mine.id,
                        line.product_id,
                        wanted,
                        seen,
                        now.into(),
                    )
                    .await?;
                    if before.is_none() {
                        count += 1;
                    }
                }
                if mine.coupon_id.is_none() && guest.coupon_id.is_some() {
                    rows::set_coupon(&mut tx.conn(), mine.id, guest.coupon_id, now.into()).await?;
                }
                rows::delete(&mut tx.conn(), guest.id).await?;
                Ok::<_, AppError>(())
            })
            .await
    }

    /// Deletes guests' carts unused for [`GUEST_CART_TTL`].
    pub async fn sweep_guest_carts(&self) -> AppResult<usize> {
        let before = guest_since(self.svc.clock.now());
        Ok(rows::delete_guest_carts_before(&mut self.svc.db.write().await?.conn(), before).await?)
    }

    /// Whether the holder already has a cart to write to (a customer always has one,
    /// made on first use); a guest without a live cart gets a new one.
    async fn existing_guest_cart(&self, holder: Holder<'_>, now: DateTime<Utc>) -> AppResult<bool> {
        match Key::of(holder) {
            Key::Customer(_) => Ok(true),
            Key::Guest(hash) => Ok(rows::find(
                &mut self.svc.db.read().await?.conn(),
                Owner::Guest(&hash),
                guest_since(now),
            )
            .await?
            .is_some()),
            Key::Nothing => Ok(false),
        }
    }

    async fn change_line(
        &self,
        holder: Holder<'_>,
        line_id: i64,
        quantity: i32,
    ) -> AppResult<Cart> {
        let now = self.svc.clock.now();
        let key = Key::of(holder);
        let owner = key.owner().ok_or_else(no_such_line)?;
        self.svc
            .db
            .transaction(async |tx| {
                let cart = rows::find(&mut tx.conn(), owner, guest_since(now))
                    .await?
                    .ok_or_else(no_such_line)?;
                rows::lock(&mut tx.conn(), cart.id).await?;
                let lines = rows::lines(&mut tx.conn(), cart.id).await?;
                let line = lines
                    .iter()
                    .find(|l| l.id == line_id)
                    .ok_or_else(no_such_line)?;
                if quantity == 0 {
                    rows::delete_line(&mut tx.conn(), cart.id, line_id).await?;
                } else {
                    let product = for_sale(&mut tx.conn(), line.product_id).await?;
                    if quantity > line.quantity {
                        check_stock(&product, quantity)?;
                    }
                    rows::put_line(
                        &mut tx.conn(),
                        cart.id,
                        line.product_id,
                        quantity,
                        product.current_price(now),
                        now.into(),
                    )
                    .await?;
                }
                rows::touch(&mut tx.conn(), cart.id, now.into()).await?;
                Ok::<_, AppError>(())
            })
            .await?;
        self.cart(holder).await
    }

    async fn cart_by_row(&self, row: &CartRow, user: Option<&User>) -> AppResult<Cart> {
        let mut pooled = self.svc.db.read().await?;
        self.priced(&mut pooled.conn(), Some(row), user).await
    }

    /// The cart `row` priced now with its own coupon.
    pub(super) async fn priced(
        &self,
        conn: &mut Conn<'_>,
        row: Option<&CartRow>,
        user: Option<&User>,
    ) -> AppResult<Cart> {
        let Some(row) = row else {
            return Ok(Cart::default());
        };
        let coupon = match row.coupon_id {
            Some(id) => {
                let found = coupon_rows::find(conn, id).await?.into_iter().collect();
                self.with_scopes(conn, found).await?.pop()
            }
            None => None,
        };
        self.priced_with(conn, row, coupon, user).await
    }

    /// The cart `row` priced now with `coupon`.
    pub(super) async fn priced_with(
        &self,
        conn: &mut Conn<'_>,
        row: &CartRow,
        coupon: Option<Coupon>,
        user: Option<&User>,
    ) -> AppResult<Cart> {
        let now = self.svc.clock.now();
        let lines = rows::lines(conn, row.id).await?;
        let ids: Vec<i64> = lines.iter().map(|l| l.product_id).collect();
        let found: HashMap<i64, Product> = products::find_many(conn, &ids)
            .await?
            .into_iter()
            .map(|p| (p.id, Product::from(p)))
            .collect();
        let eligible = self.eligible_products(conn, coupon.as_ref(), &ids).await?;
        let settings = shop_settings::get(conn).await?;
        let shipping = Shipping {
            fee: settings.shipping_fee,
            free_from: settings.free_shipping_threshold,
        };
        let mut cart_lines = Vec::with_capacity(lines.len());
        let mut priced = Vec::with_capacity(lines.len());
        let mut warnings = Vec::new();
        for line in &lines {
            let Some(product) = found.get(&line.product_id) else {
                continue;
            };
            let unit_price = product.current_price(now);
            warnings.extend(line_warning(line, product, unit_price));
            let priced_line = PricedLine {
                unit_price,
                quantity: line.quantity,
                vat_rate: product.vat_rate,
                eligible: eligible.contains(&product.id),
            };
            cart_lines.push(CartLine {
                id: line.id,
                product: product.clone(),
                quantity: line.quantity,
                unit_price,
                line_total: priced_line.total(),
            });
            priced.push(priced_line);
        }
        let plain = pricing::totals(&priced, Deal::None, shipping, Money::ZERO);
        let (deal, applied) = match coupon {
            None => (Deal::None, None),
            Some(coupon) => {
                let usage = Use {
                    now,
                    subtotal: plain.subtotal,
                    lines: priced.len(),
                    eligible_lines: priced.iter().filter(|l| l.eligible).count(),
                    used_by_customer: match user {
                        Some(user) => {
                            Some(coupon_rows::redemptions_by(conn, coupon.id, user.id).await?)
                        }
                        None => None,
                    },
                };
                match coupons::check(&coupon, &usage) {
                    Ok(()) => (coupon.deal(), Some((coupon, None))),
                    Err(refusal) => {
                        warnings.push(CartWarning {
                            kind: WarningKind::CouponNotApplicable,
                            line_id: None,
                            message: refusal.message(),
                            blocking: true,
                        });
                        (Deal::None, Some((coupon, Some(refusal))))
                    }
                }
            }
        };
        let totals = pricing::totals(&priced, deal, shipping, Money::ZERO);
        Ok(Cart {
            id: Some(row.id),
            lines: cart_lines,
            coupon: applied.map(|(coupon, refusal)| AppliedCoupon {
                discount: totals.discount,
                coupon,
                refusal,
            }),
            totals,
            warnings,
            priced,
            deal,
            shipping,
        })
    }

    /// Which of `product_ids` the coupon applies to.
    pub(super) async fn eligible_products(
        &self,
        conn: &mut Conn<'_>,
        coupon: Option<&Coupon>,
        product_ids: &[i64],
    ) -> AppResult<HashSet<i64>> {
        let Some(coupon) = coupon else {
            return Ok(HashSet::new());
        };
        if !coupon.is_limited() {
            return Ok(product_ids.iter().copied().collect());
        }
        let mut eligible: HashSet<i64> = product_ids
            .iter()
            .copied()
            .filter(|id| coupon.product_ids.contains(id))
            .collect();
        if !coupon.category_ids.is_empty() {
            // On this connection: inside checkout's transaction a second one from the
            // pool could wait for ever once every connection is held by a checkout.
            let all = crate::db::categories::all(conn).await?;
            let branch: HashSet<i64> =
                crate::catalog::categories::branches(&all, &coupon.category_ids)
                    .into_iter()
                    .collect();
            for (product_id, category) in products::categories_of(conn, product_ids).await? {
                if branch.contains(&category.id) {
                    eligible.insert(product_id);
                }
            }
        }
        Ok(eligible)
    }
}

/// What finds a holder's cart in the database: the customer, or the hash of a guest's
/// token (a guest without a well-formed token has no cart).
enum Key {
    Customer(i64),
    Guest(String),
    Nothing,
}

impl Key {
    fn of(holder: Holder<'_>) -> Key {
        match holder {
            Holder::Customer(user) => Key::Customer(user.id),
            Holder::Guest(Some(token)) if tokens::well_formed(token) => {
                Key::Guest(tokens::hash(token))
            }
            Holder::Guest(_) => Key::Nothing,
        }
    }

    fn owner(&self) -> Option<Owner<'_>> {
        match self {
            Key::Customer(id) => Some(Owner::Customer(*id)),
            Key::Guest(hash) => Some(Owner::Guest(hash)),
            Key::Nothing => None,
        }
    }
}

fn customer<'a>(holder: Holder<'a>) -> Option<&'a User> {
    match holder {
        Holder::Customer(user) => Some(user),
        Holder::Guest(_) => None,
    }
}

/// Guest carts changed before this moment have expired.
fn guest_since(now: DateTime<Utc>) -> Timestamp {
    let ttl = chrono::Duration::from_std(GUEST_CART_TTL).unwrap_or(chrono::Duration::days(30));
    (now - ttl).into()
}

/// The owner's cart, created if it has none yet, locked for the transaction.
async fn cart_for_writing(tx: &mut Tx, owner: Owner<'_>, now: DateTime<Utc>) -> AppResult<CartRow> {
    let row = match rows::find(&mut tx.conn(), owner, guest_since(now)).await? {
        Some(row) => row,
        None => rows::create(&mut tx.conn(), owner, now.into()).await?,
    };
    rows::lock(&mut tx.conn(), row.id).await?;
    Ok(row)
}

/// A product that can be put in a cart now.
async fn for_sale(conn: &mut Conn<'_>, id: i64) -> AppResult<Product> {
    let row = products::find(conn, id)
        .await?
        .filter(|p| p.active && p.archived_at.is_none())
        .ok_or_else(crate::catalog::products::no_such_product)?;
    if row.external_url.is_some() {
        return Err(AppError::refused(
            "SOLD_ELSEWHERE",
            Some("productId"),
            "This product is bought through its external link, not the cart.",
        ));
    }
    Ok(Product::from(row))
}

fn check_quantity(quantity: i32, min: i32) -> AppResult<()> {
    if quantity < min {
        return Err(AppError::invalid(
            "quantity",
            format!("The quantity must be at least {min}."),
        ));
    }
    if quantity > MAX_QUANTITY {
        return Err(AppError::refused(
            "QUANTITY_LIMIT",
            Some("quantity"),
            format!("At most {MAX_QUANTITY} of one product per order."),
        ));
    }
    Ok(())
}

fn check_stock(product: &Product, wanted: i32) -> AppResult<()> {
    if product.stock < wanted {
        return Err(AppError::refused(
            "NOT_ENOUGH_STOCK",
            Some("quantity"),
            if product.stock == 0 {
                format!("{} is out of stock.", product.name)
            } else {
                format!("Only {} of {} left.", product.stock, product.name)
            },
        ));
    }
    Ok(())
}

fn line_warning(line: &LineRow, product: &Product, price: Money) -> Option<CartWarning> {
    let warn = |kind, blocking, message: String| CartWarning {
        kind,
        line_id: Some(line.id),
        message,
        blocking,
    };
    if !product.active || product.external_url.is_some() {
        return Some(warn(
            WarningKind::Unavailable,
            true,
            format!(
                "{} is no longer sold here; remove it to check out.",
                product.name
            ),
        ));
    }
    if product.stock == 0 {
        return Some(warn(
            WarningKind::OutOfStock,
            true,
            format!("{} is out of stock; remove it to check out.", product.name),
        ));
    }
    if product.stock < line.quantity {
        return Some(warn(
            WarningKind::NotEnoughStock,
            true,
            format!(
                "Only {} of {} left; lower the quantity to check out.",
                product.stock, product.name
            ),
        ));
    }
    (price != line.seen_price).then(|| {
        warn(
            WarningKind::PriceChanged,
            false,
            format!(
                "The price of {} changed from {} to {} since you added it.",
                product.name,
                line.seen_price.format(crate::locale::Locale::En),
                price.format(crate::locale::Locale::En)
            ),
        )
    })
}

fn no_such_line() -> AppError {
    AppError::not_found("Your cart has no line with this id.")
}
