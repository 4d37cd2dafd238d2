//! The contact form: messages are stored, counted in the statistics, and e-mailed to
//! the site's contact address.

use std::net::IpAddr;
use std::time::Duration;

use chrono::{DateTime, Utc};

use crate::app::App;
use crate::auth::{from_millis, normalize_email};
use crate::db::contact_messages::{
    self as rows, ContactMessageRow, MessageCursor, NewContactMessage,
};
use crate::db::{DbError, stats as counters, users};
use crate::error::{AppError, AppResult};
use crate::mail::templates;
use crate::reviews::clean_text;
use crate::stats::{CONTACT_MESSAGES, counters_changed};
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
            created_at: from_millis(row.created_at),
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

/// Validates, stores and forwards a message.
pub async fn submit(app: &App, submission: ContactSubmission, client: IpAddr) -> AppResult<()> {
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
    let limits = PublicLimits {
        per_network: MESSAGES_PER_NETWORK,
        per_block: MESSAGES_PER_BLOCK,
        total: Limit::per(
            app.config.public_writes.contact_messages_per_minute,
            Duration::from_secs(60),
        ),
    };
    app.throttle
        .hit_public("contact", client, &limits)
        .map_err(too_many_attempts)?;
    let now = app.clock.now();
    let now_ms = now.timestamp_millis();
    let mut tx = app.db.begin().await?;
    let result = async {
        let conn = &mut tx.conn();
        let row = rows::insert(
            conn,
            &NewContactMessage {
                name: &name,
                email: &email,
                phone: phone.as_deref(),
                subject: subject.as_deref(),
                message: &message,
                is_read: false,
                created_at: now_ms,
            },
        )
        .await?;
        counters::bump(conn, CONTACT_MESSAGES, 1).await?;
        counters_changed(conn, now_ms).await?;
        Ok::<_, DbError>(row)
    }
    .await;
    let stored = ContactMessage::from(tx.finish(result).await?);
    app.stats.invalidate();
    let recipients = match &app.config.contact_email {
        Some(address) => vec![address.clone()],
        None => users::admin_emails(&mut app.db.read().await?.conn()).await?,
    };
    for to in recipients {
        app.mailer.send(templates::contact_message(
            &app.config.site_name,
            &to,
            &stored,
        ));
    }
    Ok(())
}

/// Marks a message read.
pub async fn mark_read(app: &App, id: i64) -> AppResult<ContactMessage> {
    rows::mark_read(&mut app.db.write().await?.conn(), id)
        .await?
        .map(ContactMessage::from)
        .ok_or_else(|| AppError::not_found("There is no message with this id."))
}

/// A page of messages (unread first, newest first) and the total.
pub async fn list(
    app: &App,
    unread_only: bool,
    after: Option<MessageCursor>,
    limit: i64,
) -> AppResult<(Vec<ContactMessage>, i64)> {
    let mut pooled = app.db.read().await?;
    let mut conn = pooled.conn();
    let rows = rows::list(&mut conn, unread_only, after, limit + 1).await?;
    let total = rows::count(&mut conn, unread_only).await?;
    Ok((rows.into_iter().map(ContactMessage::from).collect(), total))
}
