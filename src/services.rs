//! The shared infrastructure every domain uses: configuration, the database, the clock,
//! change announcements, the job queue, rate limits and metrics. It sits below the
//! domains: they take it (and the parts of their own), and nothing here knows them.

use std::sync::Arc;

use anyhow::Context as _;
use tokio_util::sync::CancellationToken;
use tokio_util::task::TaskTracker;

use crate::clock::Clock;
use crate::config::Config;
use crate::db::Db;
use crate::events::Events;
use crate::jobs::Jobs;
use crate::metrics::Metrics;
use crate::throttle::Throttle;

/// What every domain may reach; cheap to clone.
#[derive(Clone)]
pub struct Services {
    pub config: Arc<Config>,
    pub db: Db,
    pub clock: Arc<dyn Clock>,
    pub events: Events,
    pub jobs: Jobs,
    pub throttle: Arc<Throttle>,
    pub metrics: Arc<Metrics>,
    /// Cancelled when the instance begins to stop: `/readyz` answers 503, so that load
    /// balancers send new traffic elsewhere.
    pub draining: CancellationToken,
    /// Cancelled when the instance stops accepting: websockets close with 1012 (service
    /// restart), so their clients come back at once.
    pub closing: CancellationToken,
    /// The open websocket sessions, which the instance lets finish before it stops.
    pub sockets: TaskTracker,
    /// Cancelled when the instance stops: background loops end on it.
    pub stopping: CancellationToken,
}

impl Services {
    /// Connects to the database named by `config` and applies its migrations.
    pub async fn connect(config: Config, clock: Arc<dyn Clock>) -> anyhow::Result<Services> {
        let db = Db::connect(&config.database_url, config.database_pool_size)
            .await
            .with_context(|| {
                format!(
                    "VITRIN_DATABASE_URL: cannot open the database at {}",
                    redact(&config.database_url)
                )
            })?;
        db.migrate().await.context("applying database migrations")?;
        Ok(Services {
            jobs: Jobs::new(db.clone(), clock.clone(), config.jobs),
            throttle: Arc::new(Throttle::for_db(&db, clock.clone())),
            metrics: Arc::default(),
            events: Events::default(),
            draining: CancellationToken::new(),
            closing: CancellationToken::new(),
            sockets: TaskTracker::new(),
            stopping: CancellationToken::new(),
            config: Arc::new(config),
            db,
            clock,
        })
    }
}

/// Hides the password part of a database URL for messages.
pub fn redact(url: &str) -> String {
    match url::Url::parse(url) {
        Ok(mut u) if u.password().is_some() => {
            let _ = u.set_password(Some("***"));
            u.to_string()
        }
        _ => url.to_owned(),
    }
}
