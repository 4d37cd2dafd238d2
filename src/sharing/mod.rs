//! "Share with a friend" by e-mail: a signed-in customer sends a product to one address.
//! The e-mail comes from the site, says who sent it, and carries no link but the
//! product's and the opt-out; the customer's note loses its links. Limits: per sender
//! and per recipient per day (Istanbul time), held by the database's daily allowances
//! so concurrent requests cannot pass them; an address that opted out gets nothing.

use std::net::IpAddr;

use chrono::Duration as Days;

use crate::auth::User;
use crate::auth::tokens;
use crate::catalog::{Catalog, PRODUCT_PRESET};
use crate::db::product_shares as rows;
use crate::db::stats::claim_daily_quota;
use crate::error::{AppError, AppResult};
use crate::locale::Locale;
use crate::mail::{self, templates::sharing as mails};
use crate::media::MediaLibrary;
use crate::services::Services;
use crate::stats::visits::istanbul_day;
use crate::text::{clean_text, normalize_email, strip_links};
use crate::throttle::{Limit, too_many_attempts};

/// Products one customer may send per day.
pub const SHARES_PER_SENDER: i64 = 10;
/// Shared products one address may receive per day, from everyone together.
pub const SHARES_PER_RECIPIENT: i64 = 3;
/// Products shared from one client network (every account on it together).
pub const SHARES_PER_NETWORK: Limit = Limit::per(30, std::time::Duration::from_secs(86_400));
/// The longest note a customer may add.
pub const MAX_MESSAGE: usize = 500;
/// How long the opt-out link of a shared-product e-mail works.
pub const OPT_OUT_KEPT_FOR: Days = Days::days(365);
/// The storefront page an opt-out link opens.
pub const OPT_OUT_PATH: &str = "/paylasim/durdur";

/// What a customer asks to send.
#[derive(Debug)]
pub struct ShareRequest {
    pub product_id: i64,
    pub friend_email: String,
    pub friend_name: Option<String>,
    pub message: Option<String>,
}

/// Sending products to friends.
#[derive(Clone)]
pub struct Sharing {
    svc: Services,
    catalog: Catalog,
    media: MediaLibrary,
}

impl Sharing {
    /// The sharing domain: it shows the catalogue's products with their pictures.
    pub fn new(svc: Services, catalog: Catalog, media: MediaLibrary) -> Self {
        Sharing {
            svc,
            catalog,
            media,
        }
    }

    /// Sends a product to a friend (in the sender's language), once the limits allow it.
    pub async fn share_by_email(
        &self,
        user: &User,
        request: ShareRequest,
        client: IpAddr,
    ) -> AppResult<()> {
        if user.email_verified_at.is_none() {
            return Err(AppError::refused(
                "EMAIL_NOT_VERIFIED",
                None,
                "Confirm your e-mail address before sending products to friends; we sent you a link.",
            ));
        }
        let locale = user.locale;
        let to = normalize_email(&request.friend_email).ok_or_else(|| {
            AppError::invalid("friendEmail", "That is not a valid e-mail address.")
        })?;
        let friend_name = match request.friend_name.as_deref().map(str::trim) {
            None | Some("") => None,
            Some(name) => Some(strip_links(&clean_text("friendName", name, 60, false)?)),
        }
        .filter(|name| !name.is_empty());
        let message = match request.message.as_deref().map(str::trim) {
            None | Some("") => None,
            Some(message) => Some(strip_links(&clean_text(
                "message",
                message,
                MAX_MESSAGE,
                true,
            )?)),
        }
        .filter(|message| !message.is_empty());
        // Before any query: a refused network costs nothing.
        self.svc
            .throttle
            .hit_client("share", client, SHARES_PER_NETWORK)
            .await?
            .map_err(too_many_attempts)?;
        let product = self
            .catalog
            .product(request.product_id, false)
            .await?
            .ok_or_else(|| AppError::not_found("There is no product with this id."))?;
        let picture = self.picture(product.id).await?;
        let config = &self.svc.config;
        let sender = match strip_links(&user.name) {
            name if name.is_empty() => match locale {
                Locale::Tr => "Bir müşterimiz".to_owned(),
                Locale::En => "One of our customers".to_owned(),
            },
            name => name,
        };
        let now = self.svc.clock.now();
        let day = istanbul_day(now);
        let opt_out = tokens::generate();
        let link = config.public_link(&format!(
            "{}?utm_source=email&utm_medium=share",
            product.path()
        ));
        let opt_out_link = config.public_link(&format!("{OPT_OUT_PATH}?t={}", opt_out.raw));
        let price = product.current_price(now).format(locale);
        let share = mails::SharedProduct {
            sender: &sender,
            friend_name: friend_name.as_deref(),
            message: message.as_deref(),
            product_name: &product.name,
            price: &price,
            picture: picture.as_deref(),
            link: &link,
            opt_out: &opt_out_link,
        };
        let mail = mails::product_shared(locale, &config.site_name, &to, &share);
        let jobs = &self.svc.jobs;
        self.svc
            .db
            .transaction(async |tx| {
                if rows::opted_out(&mut tx.conn(), &to).await? {
                    return Err(AppError::refused(
                        "RECIPIENT_OPTED_OUT",
                        Some("friendEmail"),
                        "This address asked not to receive shared products.",
                    ));
                }
                let sender_key = format!("shares-by:{}", user.id);
                if !claim_daily_quota(&mut tx.conn(), &sender_key, &day, SHARES_PER_SENDER).await? {
                    return Err(AppError::refused(
                        "SHARE_LIMIT",
                        None,
                        format!("You can send {SHARES_PER_SENDER} products a day; try again tomorrow."),
                    ));
                }
                let recipient_key = format!("shares-to:{}", tokens::hash(&to));
                if !claim_daily_quota(&mut tx.conn(), &recipient_key, &day, SHARES_PER_RECIPIENT)
                    .await?
                {
                    return Err(AppError::refused(
                        "RECIPIENT_LIMIT",
                        Some("friendEmail"),
                        "This address has received enough shared products today; try again tomorrow.",
                    ));
                }
                rows::insert(
                    &mut tx.conn(),
                    user.id,
                    product.id,
                    &to,
                    &opt_out.hash,
                    now.into(),
                )
                .await?;
                mail::enqueue(jobs, tx, &mail).await?;
                Ok::<_, AppError>(())
            })
            .await
    }

    /// Stops shared-product e-mails to the address an opt-out link was sent to; false
    /// when the link is not one we sent (or has expired).
    pub async fn opt_out(&self, token: &str) -> AppResult<bool> {
        if !tokens::well_formed(token) {
            return Ok(false);
        }
        let hash = tokens::hash(token);
        let now = self.svc.clock.now();
        self.svc
            .db
            .transaction(async |tx| {
                let Some(email) = rows::recipient_of(&mut tx.conn(), &hash).await? else {
                    return Ok(false);
                };
                rows::opt_out(&mut tx.conn(), &email, now.into()).await?;
                Ok::<_, AppError>(true)
            })
            .await
    }

    /// Forgets shares whose opt-out links have expired.
    pub async fn sweep(&self) -> AppResult<usize> {
        let before = self.svc.clock.now() - OPT_OUT_KEPT_FOR;
        self.svc
            .db
            .transaction(async |tx| {
                Ok::<_, AppError>(rows::delete_before(&mut tx.conn(), before.into()).await?)
            })
            .await
    }

    /// The product's first picture as a JPEG the size of its page's main picture (mail
    /// programs do not all show WebP), as an absolute URL.
    async fn picture(&self, product_id: i64) -> AppResult<Option<String>> {
        let media = self.catalog.media_of(&[product_id]).await?;
        let Some(first) = media.get(&product_id).and_then(|m| m.images.first()) else {
            return Ok(None);
        };
        let variants = self.media.variants_of(&[first.id]).await?;
        let url = variants
            .iter()
            .find(|v| v.preset == PRODUCT_PRESET && v.size == "main" && v.format != "WEBP")
            .map_or_else(|| first.url().to_owned(), |v| v.url.clone());
        Ok(Some(if url.starts_with('/') {
            self.svc.config.public_link(&url)
        } else {
            url
        }))
    }
}
