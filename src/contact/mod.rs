//! The contact form: messages are stored, counted in the statistics, and e-mailed to
//! the site's contact address.

use std::net::IpAddr;
use std::time::Duration;

use chrono::{DateTime, Utc};

use crate::db::contact_messages::{
    self as rows, ContactMessageRow, MessageCursor, NewContactMessage,
};
use crate::db::{DbError, users};
use crate::error::{AppError, AppResult};
use crate::mail::{self, templates};
use crate::services::Services;
use crate::stats::{self, CONTACT_MESSAGES};
use crate::text::{clean_text, normalize_email};
use crate::throttle::{Limit, PublicLimits, too_many_attempts};

/// Messages a client network may send (each one is e-mailed to the admins).
pub const MESSAGES_PER_NETWORK: Limit = Limit::per(3, Duration::from_secs(600));
/// Messages a block of client networks (IPv4 /24, IPv6 /48) may send.
pub const MESSAGES_PER_BLOCK: Limit = Limit::per(10, Duration::from_secs(3600));

/// A received message.
#[derive(Debug, Clone)]
pub struct ContactMessage {
    pub id: i64,
    pub name: String,
    pub email: String,
    pub phone: Option<String>,
    pub subject: Option<String>,
    pub message: String,
    pub read: bool,
    pub created_at: DateTime<Utc>,
}

impl From<ContactMessageRow> for ContactMessage {
    fn from(row: ContactMessageRow) -> Self {
        ContactMessage {
            id: row.id,
            name: row.name,
            email: row.email,
            phone: row.phone,
            subject: row.subject,
            message: row.message,
            read: row.is_read,
            created_at: row.created_at.into(),
        }
    }
}

impl ContactMessage {
    /// Where the next page after this message starts.
    pub fn cursor(&self) -> MessageCursor {
        MessageCursor {
            is_read: self.read,
            id: self.id,
        }
    }
}

/// What a visitor sends.
#[derive(Debug)]
pub struct ContactSubmission {
    pub name: String,
    pub email: String,
    pub phone: Option<String>,
    pub subject: Option<String>,
    pub message: String,
}

fn optional_text(field: &str, value: Option<&str>, max: usize) -> AppResult<Option<String>> {
    match value.map(str::trim).filter(|v| !v.is_empty()) {
        None => Ok(None),
        Some(v) => clean_text(field, v, max, false).map(Some),
    }
}

/// The contact form's messages.
#[derive(Clone)]
pub struct Contact {
    svc: Services,
}

impl Contact {
    /// The contact domain.
    pub fn new(svc: Services) -> Self {
        Contact { svc }
    }

    /// Validates and stores a message; it is e-mailed to the contact address (or every
    /// administrator) by jobs that commit with it.
    pub async fn submit(&self, submission: ContactSubmission, client: IpAddr) -> AppResult<()> {
        let name = clean_text("name", &submission.name, 100, false)?;
        let email = normalize_email(&submission.email)
            .ok_or_else(|| AppError::bad_input("That is not a valid e-mail address."))?;
        let phone = optional_text("phone", submission.phone.as_deref(), 40)?;
        if phone.as_deref().is_some_and(|p| {
            !p.chars()
                .all(|c| c.is_ascii_digit() || " +()-.".contains(c))
        }) {
            return Err(AppError::bad_input(
                "phone may contain only digits, spaces and + ( ) - .",
            ));
        }
        let subject = optional_text("subject", submission.subject.as_deref(), 200)?;
        let message = clean_text("message", &submission.message, 5000, true)?;
        let svc = &self.svc;
        let limits = PublicLimits {
            per_network: MESSAGES_PER_NETWORK,
            per_block: MESSAGES_PER_BLOCK,
            total: Limit::per(
                svc.config.public_writes.contact_messages_per_minute,
                Duration::from_secs(60),
            ),
        };
        svc.throttle
            .hit_public("contact", client, &limits)
            .await?
            .map_err(too_many_attempts)?;
        let now = svc.clock.now();
        svc.db
            .transaction(async |tx| {
                let new = NewContactMessage {
                    name: &name,
                    email: &email,
                    phone: phone.as_deref(),
                    subject: subject.as_deref(),
                    message: &message,
                    is_read: false,
                    created_at: now.into(),
                };
                rows::insert(&mut tx.conn(), &new).await?;
                stats::count(svc, tx, CONTACT_MESSAGES, 1, now).await?;
                let recipients = match &svc.config.contact_email {
                    Some(address) => vec![address.clone()],
                    None => users::admin_emails(&mut tx.conn()).await?,
                };
                let forwarded = templates::ForwardedMessage {
                    name: &name,
                    email: &email,
                    phone: phone.as_deref(),
                    subject: subject.as_deref(),
                    message: &message,
                    received_at: now,
                };
                for to in recipients {
                    let mail = templates::contact_message(&svc.config.site_name, &to, &forwarded);
                    mail::enqueue(&svc.jobs, tx, &mail).await?;
                }
                Ok::<_, DbError>(())
            })
            .await?;
        Ok(())
    }

    /// Marks a message read.
    pub async fn mark_read(&self, id: i64) -> AppResult<ContactMessage> {
        rows::mark_read(&mut self.svc.db.write().await?.conn(), id)
            .await?
            .map(ContactMessage::from)
            .ok_or_else(|| AppError::not_found("There is no message with this id."))
    }

    /// A page of messages (unread first, newest first) and the total.
    pub async fn list(
        &self,
        unread_only: bool,
        after: Option<MessageCursor>,
        limit: i64,
    ) -> AppResult<(Vec<ContactMessage>, i64)> {
        let mut pooled = self.svc.db.read().await?;
        let mut conn = pooled.conn();
        let rows = rows::list(&mut conn, unread_only, after, limit + 1).await?;
        let total = rows::count(&mut conn, unread_only).await?;
        Ok((rows.into_iter().map(ContactMessage::from).collect(), total))
    }
}
