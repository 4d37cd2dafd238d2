//! Announcements between instances sharing one PostgreSQL database: each instance
//! LISTENs on one channel; writers NOTIFY in the transaction that changed something
//! (delivered at commit). On SQLite there is one instance and nothing to do.

use std::time::Duration;

use futures_util::StreamExt;
use tokio_postgres::AsyncMessage;

use super::Events;
use crate::db::events::EVENTS_CHANNEL;

/// Listens for announcements until `stop` is cancelled, reconnecting after failures
/// (and then announcing every topic, since announcements may have been missed meanwhile).
pub fn spawn(events: Events, url: String, stop: tokio_util::sync::CancellationToken) {
    tokio::spawn(async move {
        let mut delay = Duration::from_millis(500);
        loop {
            tokio::select! {
                result = listen(&events, &url) => match result {
                    Ok(()) => tracing::warn!(retry_in = ?delay, "the connection listening for changes from other instances closed"),
                    Err(e) => tracing::warn!(error = %e, retry_in = ?delay, "listening for changes from other instances failed"),
                },
                () = stop.cancelled() => break,
            }
            tokio::select! {
                () = tokio::time::sleep(delay) => {}
                () = stop.cancelled() => break,
            }
            delay = (delay * 2).min(Duration::from_secs(30));
            events.publish_all();
        }
    });
}

async fn listen(events: &Events, url: &str) -> Result<(), tokio_postgres::Error> {
    let (client, mut connection) = tokio_postgres::connect(url, tokio_postgres::NoTls).await?;
    let (tx, mut notifications) = tokio::sync::mpsc::unbounded_channel();
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
    client
        .batch_execute(&format!("LISTEN {EVENTS_CHANNEL}"))
        .await?;
    tracing::info!("listening for changes from other instances");
    let result = loop {
        match notifications.recv().await {
            Some(Ok(name)) => match events.known(&name) {
                Some(topic) => events.publish(topic),
                None => {
                    tracing::debug!(topic = name, "ignoring an announcement nobody here follows")
                }
            },
            Some(Err(e)) => break Err(e),
            None => break Ok(()),
        }
    };
    drop(client);
    driver.abort();
    result
}
