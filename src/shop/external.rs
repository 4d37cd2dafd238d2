//! Products bought through an external link (`/go/{slug}`): the stored link is followed
//! only while its host is on the allow-list, and clicks are counted for 30 days.

use std::collections::HashMap;
use std::net::IpAddr;
use std::time::Duration;

use super::Shop;
use crate::catalog::Found;
use crate::db::{external_clicks as rows, shop_settings};
use crate::error::AppResult;
use crate::throttle::Limit;

/// How long clicks are kept and counted.
pub const CLICK_WINDOW_DAYS: i64 = 30;
/// Clicks one client network may record a minute (more still redirect, uncounted).
const CLICKS_PER_CLIENT: Limit = Limit::per(20, Duration::from_secs(60));

/// Where `/go/{slug}` sends the shopper.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Destination {
    /// The product's external link.
    Outside(String),
    /// The product was renamed: its `/go/` path is now this slug's.
    Renamed(String),
}

/// A click as the request shows it.
pub struct Click<'a> {
    /// The widget's anonymous visitor id, when the page passed it on.
    pub visitor_id: Option<&'a str>,
    /// The referring page.
    pub referrer: Option<&'a str>,
    pub client: IpAddr,
}

impl Shop {
    /// Follows a product's external link, counting the click; `None` when the product
    /// is not for sale or has no link on an allowed host.
    pub async fn follow_external_link(
        &self,
        slug: &str,
        click: Click<'_>,
    ) -> AppResult<Option<Destination>> {
        let product = match self.catalog.product_by_slug(slug, false).await? {
            None => return Ok(None),
            Some(Found::MovedTo(slug)) => return Ok(Some(Destination::Renamed(slug))),
            Some(Found::Product(product)) => product,
        };
        let Some(link) = product.external_url.as_deref() else {
            return Ok(None);
        };
        let Some(host) = url::Url::parse(link)
            .ok()
            .filter(|u| u.scheme() == "https")
            .and_then(|u| u.host_str().map(str::to_owned))
        else {
            return Ok(None);
        };
        let mut pooled = self.svc.db.read().await?;
        if !shop_settings::link_host_allowed(&mut pooled.conn(), &host).await? {
            return Ok(None);
        }
        drop(pooled);
        if self
            .svc
            .throttle
            .hit_client("external-click", click.client, CLICKS_PER_CLIENT)
            .await?
            .is_ok()
        {
            let visitor = click.visitor_id.filter(|v| is_visitor_id(v));
            let referrer = click.referrer.and_then(origin_of);
            let now = self.svc.clock.now();
            rows::insert(
                &mut self.svc.db.write().await?.conn(),
                product.id,
                visitor,
                referrer.as_deref(),
                now.into(),
            )
            .await?;
        }
        Ok(Some(Destination::Outside(link.to_owned())))
    }

    /// Clicks per product over the last 30 days.
    pub async fn external_clicks(&self, product_ids: &[i64]) -> AppResult<HashMap<i64, i64>> {
        let since = self.svc.clock.now() - chrono::Duration::days(CLICK_WINDOW_DAYS);
        let counts = rows::counts_since(
            &mut self.svc.db.read().await?.conn(),
            product_ids,
            since.into(),
        )
        .await?;
        Ok(counts.into_iter().collect())
    }

    /// Forgets clicks older than the window.
    pub async fn sweep_external_clicks(&self) -> AppResult<usize> {
        let before = self.svc.clock.now() - chrono::Duration::days(CLICK_WINDOW_DAYS);
        Ok(rows::delete_before(&mut self.svc.db.write().await?.conn(), before.into()).await?)
    }
}

/// The widget's visitor ids: 1–64 letters, digits, '-' or '_'.
fn is_visitor_id(id: &str) -> bool {
    (1..=64).contains(&id.len())
        && id
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

/// Only the referring page's origin is kept (its path may hold personal data).
fn origin_of(referrer: &str) -> Option<String> {
    let url = url::Url::parse(referrer).ok()?;
    matches!(url.scheme(), "http" | "https")
        .then(|| url.origin().ascii_serialization())
        .filter(|origin| origin.len() <= 200)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_referrers_origin_is_kept() {
        assert_eq!(
            origin_of("https://www.google.com/search?q=kupa").as_deref(),
            Some("https://www.google.com")
        );
        assert_eq!(origin_of("javascript:alert(1)"), None);
        assert!(is_visitor_id("a-b_C9"));
        assert!(!is_visitor_id("a b"));
    }
}
