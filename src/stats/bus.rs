//! Change announcements between instances sharing one PostgreSQL database: each
//! instance LISTENs on one channel; writers NOTIFY in the transaction that changed
//! something (delivered at commit). On SQLite there is one instance and nothing to do.

use std::sync::Weak;
use std::time::Duration;

use futures_util::StreamExt;
use tokio_postgres::AsyncMessage;

use crate::app::App;
use crate::db::stats::EVENTS_CHANNEL;

/// The topic announcing new statistics.
pub const STATS_TOPIC: &str = "stats";
/// The topic announcing new storage figures.
pub const STORAGE_TOPIC: &str = "storage";

/// Listens for announcements for as long as the application lives, reconnecting after
/// failures (and then refreshing everything, since announcements may have been missed).
pub fn spawn_listener(app: Weak<App>, url: String) {
    tokio::spawn(async move {
        let mut delay = Duration::from_millis(500);
        loop {
            if app.strong_count() == 0 {
                break;
            }
            match listen(&app, &url).await {
                Ok(()) => break,
                Err(e) => {
                    tracing::warn!(error = %e, retry_in = ?delay, "listening for changes from other instances failed");
                    tokio::time::sleep(delay).await;
                    delay = (delay * 2).min(Duration::from_secs(30));
                    if let Some(app) = app.upgrade() {
                        dispatch(&app, None);
                    }
                }
            }
        }
    });
}

async fn listen(app: &Weak<App>, url: &str) -> Result<(), tokio_postgres::Error> {
    let (client, mut connection) = tokio_postgres::connect(url, tokio_postgres::NoTls).await?;
    let (tx, mut notifications) = tokio::sync::mpsc::unbounded_channel();
    let driver = tokio::spawn(async move {
        let mut messages = futures_util::stream::poll_fn(move |cx| connection.poll_message(cx));
        while let Some(message) = messages.next().await {
            match message {
                Ok(AsyncMessage::Notification(n)) => {
                    if tx.send(Some(n.payload().to_owned())).is_err() {
                        break;
                    }
                }
                Ok(_) => {}
                Err(e) => {
                    let _ = tx.send(None);
                    return Err(e);
                }
            }
        }
        Ok(())
    });
    client
        .batch_execute(&format!("LISTEN {EVENTS_CHANNEL}"))
        .await?;
    tracing::info!("listening for changes from other instances");
    while let Some(payload) = notifications.recv().await {
        let Some(app) = app.upgrade() else {
            return Ok(());
        };
        match payload {
            Some(topic) => dispatch(&app, Some(&topic)),
            None => break,
        }
    }
    drop(client);
    match driver.await {
        Ok(Err(e)) => Err(e),
        _ => Ok(()),
    }
}

fn dispatch(app: &App, topic: Option<&str>) {
    match topic {
        Some(STATS_TOPIC) => app.stats.invalidate(),
        Some(STORAGE_TOPIC) => app.storage.changed(),
        Some(other) => tracing::debug!(topic = other, "ignoring an unknown change announcement"),
        None => {
            app.stats.invalidate();
            app.storage.changed();
        }
    }
}
