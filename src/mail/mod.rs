//! Outgoing e-mail: SMTP (`VITRIN_SMTP_URL`) or `.eml` files in `data/outbox/`. Mail is
//! never sent from a request: it is enqueued as a job in the transaction of the change
//! it tells about ([`enqueue`]), and the job queue sends it, retrying failures.

pub mod templates;

use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use anyhow::Context as _;
use lettre::message::{Mailbox, MultiPart};
use lettre::{AsyncFileTransport, AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};
use serde::{Deserialize, Serialize};

use crate::config::Config;
use crate::db::{DbError, Tx};
use crate::jobs::{JobError, JobKind, JobRun, Jobs};

/// A message ready to send.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Mail {
    pub to: String,
    /// Where replies go, when not to the sender (e.g. the visitor who wrote a message).
    pub reply_to: Option<String>,
    pub subject: String,
    pub text: String,
    pub html: String,
}

/// The job that sends one message.
pub const SEND: JobKind<Mail> = JobKind::new("mail.send");

/// Sends `mail` once `tx` commits (and only then), through the job queue.
pub async fn enqueue(jobs: &Jobs, tx: &mut Tx, mail: &Mail) -> Result<(), DbError> {
    let summary = format!("{} · {}", mail.to, mail.subject);
    jobs.enqueue(tx, &SEND, mail, &summary).await
}

enum Transport {
    Smtp(AsyncSmtpTransport<Tokio1Executor>),
    Outbox(AsyncFileTransport<Tokio1Executor>),
}

struct Inner {
    transport: Transport,
    from: Mailbox,
}

/// Hands messages to the configured transport.
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
            inner: Arc::new(Inner { transport, from }),
            outbox,
        })
    }

    /// The outbox folder when mail is written to files (the embedded default).
    pub fn outbox(&self) -> Option<&PathBuf> {
        self.outbox.as_ref()
    }

    /// Sends the [`SEND`] jobs of `jobs`.
    pub fn register(&self, jobs: &Jobs) {
        let mailer = self.clone();
        jobs.register(&SEND, move |mail: Mail, run: JobRun| {
            let mailer = mailer.clone();
            async move {
                // The same Message-ID on every attempt: a mail that was delivered before
                // its job could be marked done is recognised as the same one.
                let id = format!("vitrin-job-{}", run.id);
                mailer.send(&mail, Some(&id)).await
            }
        });
    }

    /// Sends `mail` now, once; a given `message_id` names it (unique per message).
    pub async fn send(&self, mail: &Mail, message_id: Option<&str>) -> Result<(), JobError> {
        let message = build(&self.inner.from, mail, message_id).map_err(JobError::Permanent)?;
        match &self.inner.transport {
            Transport::Smtp(smtp) => smtp.send(message).await.map(|_| ()).map_err(|e| {
                if e.is_permanent() {
                    JobError::Permanent(e.into())
                } else {
                    JobError::Retry(e.into())
                }
            }),
            Transport::Outbox(files) => files
                .send(message)
                .await
                .map(|_| ())
                .map_err(|e| JobError::Retry(e.into())),
        }?;
        tracing::info!(subject = %mail.subject, "e-mail sent");
        Ok(())
    }
}

fn build(from: &Mailbox, mail: &Mail, message_id: Option<&str>) -> anyhow::Result<Message> {
    let to: Mailbox = mail.to.parse().context("recipient address")?;
    let mut builder = Message::builder().from(from.clone()).to(to);
    if let Some(reply_to) = &mail.reply_to {
        builder = builder.reply_to(reply_to.parse().context("reply-to address")?);
    }
    if let Some(id) = message_id {
        builder = builder.message_id(Some(format!("<{id}@{}>", from.email.domain())));
    }
    builder
        .subject(mail.subject.clone())
        .multipart(MultiPart::alternative_plain_html(
            mail.text.clone(),
            mail.html.clone(),
        ))
        .context("building the message")
}
