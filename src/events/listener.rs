//! Announcements between instances sharing one PostgreSQL database: each instance
//! LISTENs on one channel; writers NOTIFY in the transaction that changed something
//! (delivered at commit). On SQLite there is one instance and nothing to do.

use std::time::Duration;

use futures_util::StreamExt;
use tokio_postgres::AsyncMessage;

use super::Events;
use crate::db::events::EVENTS_CHANNEL;

/// How often the listening connection is checked: a connection a firewall or failover
/// dropped silently would otherwise leave this instance deaf without an error.
const CONNECTION_CHECK: Duration = Duration::from_secs(30);

/// Listens for announcements until `stop` is cancelled, reconnecting after failures.
/// Answers once the first connection listens (or failed), so that nothing this instance
/// caches is computed before it can hear of changes. After each reconnection every
/// topic is announced: what another instance announced meanwhile was not heard.
pub async fn start(events: Events, url: String, stop: tokio_util::sync::CancellationToken) {
    let mut first = match Listening::connect(&url).await {
        Ok(listening) => Some(listening),
        Err(e) => {
            tracing::warn!(error = %e, "listening for changes from other instances failed");
            None
        }
    };
    tokio::spawn(async move {
        let mut delay = Duration::from_millis(500);
        loop {
            let listening = match first.take() {
                Some(listening) => Ok(listening),
                None => Listening::connect(&url)
                    .await
                    .inspect(|_| events.publish_all()),
            };
            let result = match listening {
                Ok(listening) => {
                    delay = Duration::from_millis(500);
                    tokio::select! {
                        result = listening.relay(&events) => result,
                        () = stop.cancelled() => break,
                    }
                }
                Err(e) => Err(e),
            };
            match result {
                Ok(()) => {
                    tracing::warn!(retry_in = ?delay, "the connection listening for changes from other instances closed")
                }
                Err(e) => {
                    tracing::warn!(error = %e, retry_in = ?delay, "listening for changes from other instances failed")
                }
            }
            tokio::select! {
                () = tokio::time::sleep(delay) => {}
                () = stop.cancelled() => break,
            }
            delay = (delay * 2).min(Duration::from_secs(30));
        }
    });
}

/// A connection that LISTENs on the channel, with the task driving it.
struct Listening {
    client: tokio_postgres::Client,
    notifications: tokio::sync::mpsc::UnboundedReceiver<Result<String, tokio_postgres::Error>>,
    driver: tokio::task::JoinHandle<()>,
}

impl Listening {
    async fn connect(url: &str) -> anyhow::Result<Self> {
        let (client, mut connection) = tokio_postgres::connect(url, tokio_postgres::NoTls).await?;
        let (tx, notifications) = tokio::sync::mpsc::unbounded_channel();
        let driver = tokio::spawn(async move {
            let mut messages = futures_util::stream::poll_fn(move |cx| connection.poll_message(cx));
            while let Some(message) = messages.next().await {
                match message {
                    Ok(AsyncMessage::Notification(n)) => {
                        if tx.send(Ok(n.payload().to_owned())).is_err() {
                            break;
                        }
                    }
                    Ok(_) => {}
                    Err(e) => {
                        let _ = tx.send(Err(e));
                        break;
                    }
                }
            }
        });
        let listening = Listening {
            client,
            notifications,
            driver,
        };
        listening
            .client
            .batch_execute(&format!("LISTEN {EVENTS_CHANNEL}"))
            .await?;
        tracing::info!("listening for changes from other instances");
        Ok(listening)
    }

    /// Publishes what is announced here until the connection fails or closes.
    async fn relay(mut self, events: &Events) -> anyhow::Result<()> {
        let mut checks = tokio::time::interval_at(
            tokio::time::Instant::now() + CONNECTION_CHECK,
            CONNECTION_CHECK,
        );
        loop {
            tokio::select! {
                notification = self.notifications.recv() => match notification {
                    Some(Ok(name)) => match events.known(&name) {
                        Some(topic) => events.publish(topic),
                        None => {
                            tracing::debug!(topic = name, "ignoring an announcement nobody here follows")
                        }
                    },
                    Some(Err(e)) => return Err(e.into()),
                    None => return Ok(()),
                },
                _ = checks.tick() => {
                    let check = self.client.simple_query("SELECT 1");
                    match tokio::time::timeout(CONNECTION_CHECK, check).await {
                        Ok(Ok(_)) => {}
                        Ok(Err(e)) => return Err(e.into()),
                        Err(_) => return Err(anyhow::anyhow!("the listening connection stopped answering")),
                    }
                }
            }
        }
    }
}

impl Drop for Listening {
    fn drop(&mut self) {
        self.driver.abort();
    }
}
