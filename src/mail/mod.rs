//! Outgoing e-mail: SMTP (`VITRIN_SMTP_URL`) or `.eml` files in `data/outbox/`. Sending
//! happens in background tasks with retries, so it never changes an API answer.

pub mod templates;

use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use anyhow::Context as _;
use lettre::message::{Mailbox, MultiPart};
use lettre::{AsyncFileTransport, AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};

use crate::config::Config;

/// A message ready to send.
#[derive(Debug, Clone)]
pub struct Mail {
    pub to: String,
    /// Where replies go, when not to the sender (e.g. the visitor who wrote a message).
    pub reply_to: Option<String>,
    pub subject: String,
    pub text: String,
    pub html: String,
}

enum Transport {
    Smtp(AsyncSmtpTransport<Tokio1Executor>),
    Outbox(AsyncFileTransport<Tokio1Executor>),
}

struct Inner {
    transport: Transport,
    from: Mailbox,
    retries: u32,
    retry_delay: Duration,
}

/// Sends mail in the background.
#[derive(Clone)]
pub struct Mailer {
    inner: Arc<Inner>,
    outbox: Option<PathBuf>,
}

impl Mailer {
    /// Builds the transport the configuration names.
    pub fn new(config: &Config) -> anyhow::Result<Mailer> {
        let from: Mailbox = config.mail.from.parse().context("VITRIN_MAIL_FROM")?;
        let (transport, outbox) = match &config.mail.smtp_url {
            Some(url) => (
                Transport::Smtp(
                    AsyncSmtpTransport::<Tokio1Executor>::from_url(url)
                        .context("VITRIN_SMTP_URL: not a usable SMTP URL")?
                        .timeout(Some(Duration::from_secs(30)))
                        .build(),
                ),
                None,
            ),
            None => {
                let dir = config.data_dir.join("outbox");
                std::fs::create_dir_all(&dir)
                    .with_context(|| format!("creating the mail outbox {}", dir.display()))?;
                (Transport::Outbox(AsyncFileTransport::new(&dir)), Some(dir))
            }
        };
        Ok(Mailer {
            inner: Arc::new(Inner {
                transport,
                from,
                retries: config.mail.retries,
                retry_delay: config.mail.retry_delay,
            }),
            outbox,
        })
    }

    /// The outbox folder when mail is written to files (the embedded default).
    pub fn outbox(&self) -> Option<&PathBuf> {
        self.outbox.as_ref()
    }

    /// Queues a message; failures are retried with backoff and logged, never returned.
    pub fn send(&self, mail: Mail) {
        let inner = self.inner.clone();
        tokio::spawn(async move {
            let message = match build(&inner.from, &mail) {
                Ok(message) => message,
                Err(e) => {
                    tracing::error!(error = %e, subject = %mail.subject, "an e-mail could not be built; dropped");
                    return;
                }
            };
            let mut delay = inner.retry_delay;
            for attempt in 0..=inner.retries {
                let result = match &inner.transport {
                    Transport::Smtp(smtp) => smtp
                        .send(message.clone())
                        .await
                        .map(|_| ())
                        .map_err(anyhow::Error::from),
                    Transport::Outbox(files) => files
                        .send(message.clone())
                        .await
                        .map(|_| ())
                        .map_err(anyhow::Error::from),
                };
                match result {
                    Ok(()) => {
                        tracing::info!(subject = %mail.subject, attempt, "e-mail sent");
                        return;
                    }
                    Err(e) if attempt < inner.retries => {
                        tracing::warn!(error = %e, subject = %mail.subject, attempt, retry_in = ?delay, "sending an e-mail failed; will retry");
                        tokio::time::sleep(delay).await;
                        delay = delay.saturating_mul(2);
                    }
                    Err(e) => {
                        tracing::error!(error = %e, subject = %mail.subject, "sending an e-mail failed; giving up");
                    }
                }
            }
        });
    }
}

fn build(from: &Mailbox, mail: &Mail) -> anyhow::Result<Message> {
    let to: Mailbox = mail.to.parse().context("recipient address")?;
    let mut builder = Message::builder().from(from.clone()).to(to);
    if let Some(reply_to) = &mail.reply_to {
        builder = builder.reply_to(reply_to.parse().context("reply-to address")?);
    }
    builder
        .subject(mail.subject.clone())
        .multipart(MultiPart::alternative_plain_html(
            mail.text.clone(),
            mail.html.clone(),
        ))
        .context("building the message")
}
