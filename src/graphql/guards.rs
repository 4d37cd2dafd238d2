//! Field guards: every admin field carries `AdminOnly`, every account field `SignedIn`.

use async_graphql::{Context, Guard, Result};

use crate::auth::Role;
use crate::error::AppError;

use super::context::ContextExt;

/// Lets through any signed-in user.
pub struct SignedIn;

impl Guard for SignedIn {
    async fn check(&self, ctx: &Context<'_>) -> Result<()> {
        ctx.user()?;
        Ok(())
    }
}

/// Lets through administrators only.
pub struct AdminOnly;

impl Guard for AdminOnly {
    async fn check(&self, ctx: &Context<'_>) -> Result<()> {
        match ctx.user()?.role {
            Role::Admin => Ok(()),
            Role::Customer => Err(AppError::forbidden("Only administrators may do this.").into()),
        }
    }
}
