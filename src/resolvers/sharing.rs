//! "Share with a friend" by e-mail.

use async_graphql::{Context, ID, Object, Result};

use crate::graphql::context::ContextExt;
use crate::graphql::guards::SignedIn;
use crate::graphql::scalars::parse_id;
use crate::sharing::ShareRequest;

/// Sending products to friends.
#[derive(Default)]
pub struct SharingMutation;

#[Object]
impl SharingMutation {
    /// E-mails a product to a friend from the site, saying the signed-in customer sent
    /// it. The note is plain text of up to 500 characters and loses any link. Each
    /// customer may send 10 a day and each address receive 3 a day; an address that
    /// used the mail's opt-out link receives none.
    #[graphql(guard = "SignedIn")]
    async fn share_product_by_email(
        &self,
        ctx: &Context<'_>,
        product_id: ID,
        friend_email: String,
        friend_name: Option<String>,
        message: Option<String>,
    ) -> Result<bool> {
        let request = ShareRequest {
            product_id: parse_id(&product_id)?,
            friend_email,
            friend_name,
            message,
        };
        let user = ctx.user()?;
        ctx.app()
            .sharing
            .share_by_email(user, request, ctx.request().client_ip)
            .await?;
        Ok(true)
    }
}
