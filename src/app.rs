//! The application: everything a request needs, built once and shared behind one `Arc`.

use std::sync::Arc;
use std::time::Duration;

use anyhow::Context as _;

use crate::auth::passwords::Passwords;
use crate::clock::{Clock, SystemClock};
use crate::config::Config;
use crate::db::{Backend, Db};
use crate::mail::Mailer;
use crate::media::store::cloudinary::CloudinaryStore;
use crate::media::store::local::LocalStore;
use crate::media::usage::StorageHub;
use crate::media::{ImageWorker, SharedStore};
use crate::metrics::Metrics;
use crate::stats::live::StatsHub;
use crate::throttle::RateLimiter;

/// The shared state of one server instance.
pub struct App {
    pub config: Config,
    pub db: Db,
    pub clock: Arc<dyn Clock>,
    pub passwords: Passwords,
    pub throttle: RateLimiter,
    pub metrics: Metrics,
    pub mailer: Mailer,
    pub stats: StatsHub,
    pub store: SharedStore,
    pub images: ImageWorker,
    pub storage: StorageHub,
}

/// What handlers and resolvers hold.
pub type AppState = Arc<App>;

/// Builds an [`App`]; tests swap parts (the clock) before `start`.
pub struct AppBuilder {
    config: Config,
    clock: Arc<dyn Clock>,
}

impl AppBuilder {
    /// Starts from a configuration with the system clock.
    pub fn new(config: Config) -> Self {
        AppBuilder {
            config,
            clock: Arc::new(SystemClock),
        }
    }

    /// Uses another clock.
    pub fn clock(mut self, clock: Arc<dyn Clock>) -> Self {
        self.clock = clock;
        self
    }

    /// Connects to the database, applies migrations and starts background tasks.
    pub async fn start(self) -> anyhow::Result<AppState> {
        let AppBuilder { config, clock } = self;
        let db = Db::connect(&config.database_url, config.database_pool_size)
            .await
            .with_context(|| {
                format!(
                    "VITRIN_DATABASE_URL: cannot open the database at {}",
                    redact(&config.database_url)
                )
            })?;
        db.migrate().await.context("applying database migrations")?;
        let store: SharedStore = match &config.media.cloudinary {
            Some(cloudinary) => Arc::new(CloudinaryStore::new(cloudinary.clone())?),
            None => Arc::new(LocalStore::new(config.media_dir())?),
        };
        let usage_ttl = config
            .media
            .cloudinary
            .as_ref()
            .map_or(Duration::from_secs(600), |c| c.usage_ttl);
        let passwords = Passwords::new(config.hash_concurrency)?;
        let mailer = Mailer::new(&config)?;
        let app = Arc::new(App {
            passwords,
            throttle: RateLimiter::new(clock.clone()),
            metrics: Metrics::default(),
            mailer,
            stats: StatsHub::default(),
            store,
            images: ImageWorker::new(config.media.image_concurrency),
            storage: StorageHub::new(usage_ttl),
            db,
            clock,
            config,
        });
        spawn_housekeeping(&app);
        StatsHub::spawn_pusher(Arc::downgrade(&app));
        StorageHub::spawn_pusher(Arc::downgrade(&app));
        if app.db.backend() == Backend::Postgres {
            crate::stats::bus::spawn_listener(Arc::downgrade(&app), app.db.url().to_owned());
        }
        Ok(app)
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

fn spawn_housekeeping(app: &AppState) {
    let weak = Arc::downgrade(app);
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(Duration::from_secs(3600));
        loop {
            tick.tick().await;
            let Some(app) = weak.upgrade() else { break };
            if let Err(e) = crate::auth::sweep_expired_sessions(&app).await {
                tracing::warn!(error = ?e, "removing expired sessions failed");
            }
            if let Err(e) = crate::stats::visits::sweep_quotas(&app).await {
                tracing::warn!(error = ?e, "removing old visitor allowances failed");
            }
        }
    });
}
