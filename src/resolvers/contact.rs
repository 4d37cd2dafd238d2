//! The contact form and the messages it brings.

use async_graphql::{Context, ID, InputObject, Object, Result};
use chrono::{DateTime, Utc};

use crate::contact::{ContactMessage, ContactSubmission};
use crate::db::contact_messages::MessageCursor;
use crate::error::AppError;
use crate::graphql::context::ContextExt;
use crate::graphql::guards::AdminOnly;
use crate::graphql::pagination::{Listing, decode_cursor, encode_cursor, listing, page_size};
use crate::graphql::scalars::parse_id;

/// A message from the contact form.
pub struct ContactMessageGql(ContactMessage);

#[Object(name = "ContactMessage")]
impl ContactMessageGql {
    async fn id(&self) -> ID {
        ID(self.0.id.to_string())
    }
    async fn name(&self) -> &str {
        &self.0.name
    }
    async fn email(&self) -> &str {
        &self.0.email
    }
    async fn phone(&self) -> Option<&str> {
        self.0.phone.as_deref()
    }
    async fn subject(&self) -> Option<&str> {
        self.0.subject.as_deref()
    }
    async fn message(&self) -> &str {
        &self.0.message
    }
    /// Whether an administrator marked it read.
    async fn read(&self) -> bool {
        self.0.read
    }
    async fn created_at(&self) -> DateTime<Utc> {
        self.0.created_at
    }
}

/// A visitor's message.
#[derive(InputObject)]
pub struct ContactInput {
    /// Up to 100 characters.
    name: String,
    email: String,
    /// Digits, spaces and + ( ) - . only.
    phone: Option<String>,
    /// Up to 200 characters.
    subject: Option<String>,
    /// Up to 5000 characters.
    message: String,
}

fn message_cursor(cursor: MessageCursor) -> String {
    encode_cursor(&format!("msg:{}:{}", u8::from(cursor.is_read), cursor.id))
}

fn parse_message_cursor(cursor: &str) -> Result<MessageCursor, AppError> {
    let value = decode_cursor(cursor)?;
    let mut parts = value.strip_prefix("msg:").unwrap_or("").split(':');
    match (
        parts.next(),
        parts.next().and_then(|id| id.parse::<i64>().ok()),
    ) {
        (Some(read @ ("0" | "1")), Some(id)) => Ok(MessageCursor {
            is_read: read == "1",
            id,
        }),
        _ => Err(AppError::bad_input(
            "The cursor is not valid; use an endCursor from a previous page.",
        )),
    }
}

/// Listing messages.
#[derive(Default)]
pub struct ContactQuery;

#[Object]
impl ContactQuery {
    /// Messages, unread first, then newest first.
    #[graphql(
        guard = "AdminOnly",
        complexity = "first.unwrap_or(20).max(1) as usize * child_complexity"
    )]
    async fn contact_messages(
        &self,
        ctx: &Context<'_>,
        first: Option<i32>,
        after: Option<String>,
        unread_only: Option<bool>,
    ) -> Result<Listing<ContactMessageGql>> {
        let app = ctx.app();
        let limit = page_size(first, app.config().graphql.max_page_size)?;
        let after = after.as_deref().map(parse_message_cursor).transpose()?;
        let (rows, total) = app
            .contact
            .list(unread_only.unwrap_or(false), after, limit)
            .await?;
        Ok(listing(
            rows,
            limit,
            total,
            |m| message_cursor(m.cursor()),
            ContactMessageGql,
        ))
    }
}

/// Sending and handling messages.
#[derive(Default)]
pub struct ContactMutation;

#[Object]
impl ContactMutation {
    /// Sends a message to the site (stored, counted and e-mailed).
    async fn submit_contact_message(&self, ctx: &Context<'_>, input: ContactInput) -> Result<bool> {
        let submission = ContactSubmission {
            name: input.name,
            email: input.email,
            phone: input.phone,
            subject: input.subject,
            message: input.message,
        };
        ctx.app()
            .contact
            .submit(submission, ctx.request().client_ip)
            .await?;
        Ok(true)
    }

    /// Marks a message read.
    #[graphql(guard = "AdminOnly")]
    async fn mark_contact_message_read(
        &self,
        ctx: &Context<'_>,
        id: ID,
    ) -> Result<ContactMessageGql> {
        Ok(ContactMessageGql(
            ctx.app().contact.mark_read(parse_id(&id)?).await?,
        ))
    }
}
