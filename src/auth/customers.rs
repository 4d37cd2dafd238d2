//! The shop's customers as administrators see them: a searchable list, and disabling an
//! account (which ends its sessions at once).

use super::{Auth, User};
use crate::db::users::CustomerFilter;
use crate::db::{Page, sessions, users};
use crate::error::{AppError, AppResult};
use crate::text::fold;

impl Auth {
    /// A page of customers (newest first) matching `filter`, and how many match in all.
    /// The search matches a piece of the e-mail address or the name.
    pub async fn customers(
        &self,
        search: Option<&str>,
        verified: Option<bool>,
        disabled: Option<bool>,
        page: Page,
    ) -> AppResult<(Vec<User>, i64)> {
        let search = search.map(|s| fold(s.trim())).filter(|s| !s.is_empty());
        let filter = CustomerFilter {
            search: search.as_deref(),
            verified,
            disabled,
        };
        let (rows, total) =
            users::customers(&mut self.svc.db.read().await?.conn(), &filter, page).await?;
        Ok((rows.into_iter().map(User::from).collect(), total))
    }

    /// Disables (every session ends, sign-in is refused) or enables a customer.
    pub async fn set_customer_disabled(&self, id: i64, disabled: bool) -> AppResult<User> {
        let now = self.svc.clock.now().into();
        let user = self
            .svc
            .db
            .transaction(async |tx| {
                let row = users::set_customer_disabled(&mut tx.conn(), id, disabled, now)
                    .await?
                    .ok_or_else(|| AppError::not_found("There is no customer with this id."))?;
                if disabled {
                    sessions::delete_for_user(&mut tx.conn(), id, None).await?;
                }
                Ok::<_, AppError>(User::from(row))
            })
            .await?;
        tracing::info!(
            user = user.id,
            disabled,
            "customer account disabled or enabled"
        );
        Ok(user)
    }
}
