//! The application: the shared services and every domain, wired once and shared behind
//! one `Arc`. Only the layers above the domains (GraphQL and HTTP) see it; the domains
//! see [`Services`] and their own parts.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use crate::addresses::Addresses;
use crate::auth::Auth;
use crate::auth::passwords::Passwords;
use crate::auth::providers::Providers;
use crate::catalog::Catalog;
use crate::clock::{Clock, SystemClock};
use crate::config::Config;
use crate::contact::Contact;
use crate::db::Backend;
use crate::favorites::Favorites;
use crate::jobs::Workers;
use crate::mail::Mailer;
use crate::media::store::cloudinary::CloudinaryStore;
use crate::media::store::local::LocalStore;
use crate::media::{MediaLibrary, SharedStore};
use crate::reviews::Reviews;
use crate::services::Services;
use crate::sharing::Sharing;
use crate::shop::Shop;
use crate::stats::Statistics;

/// One server instance: the services and the domains.
pub struct App {
    pub services: Services,
    pub auth: Auth,
    pub stats: Statistics,
    pub reviews: Reviews,
    pub contact: Contact,
    pub media: MediaLibrary,
    pub catalog: Catalog,
    pub addresses: Addresses,
    pub shop: Shop,
    pub favorites: Favorites,
    pub sharing: Sharing,
    pub mailer: Mailer,
    workers: Mutex<Option<Workers>>,
}

/// What handlers and resolvers hold.
pub type AppState = Arc<App>;

impl App {
    /// The configuration.
    pub fn config(&self) -> &Config {
        &self.services.config
    }

    /// Announces that this instance is stopping: `/readyz` answers 503 from now on.
    pub fn begin_shutdown(&self) {
        self.services.draining.cancel();
    }

    /// Closes every websocket with 1012 (service restart): their clients reconnect at
    /// once, to another instance or to this one restarted.
    pub fn close_websockets(&self) {
        self.services.closing.cancel();
    }

    /// Stops: websockets close (their close frames are sent within the shutdown grace),
    /// job workers finish what runs (within the grace) and hand back the rest, and the
    /// other loops end.
    pub async fn shutdown(&self) {
        self.begin_shutdown();
        self.close_websockets();
        let (sockets, grace) = (&self.services.sockets, self.config().shutdown_grace);
        sockets.close();
        if tokio::time::timeout(grace, sockets.wait()).await.is_err() {
            tracing::warn!(
                open = sockets.len(),
                "websockets still open when the shutdown grace ran out"
            );
        }
        self.services.stopping.cancel();
        let workers = self
            .workers
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .take();
        if let Some(workers) = workers {
            workers.shutdown(self.config().shutdown_grace).await;
        }
    }
}

/// Builds an [`App`]; tests swap parts (the clock) before `start`.
/// The topics public answers follow: when one changes, the edge forgets what is filed
/// under its name.
const EDGE_TOPICS: [crate::events::Topic; 5] = [
    crate::stats::TOPIC,
    crate::catalog::TOPIC,
    crate::media::STORAGE_TOPIC,
    crate::reviews::TOPIC,
    crate::favorites::TOPIC,
];

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

    /// Connects to the database, applies migrations, wires the domains and starts the
    /// background work (job workers, live pushes, housekeeping).
    pub async fn start(self) -> anyhow::Result<AppState> {
        let svc = Services::connect(self.config, self.clock).await?;
        let config = &svc.config;
        let store: SharedStore = match &config.media.cloudinary {
            Some(cloudinary) => Arc::new(CloudinaryStore::new(cloudinary.clone())?),
            None => Arc::new(LocalStore::new(config.media_dir())?),
        };
        if let Some(warning) = unshared_media_warning(config, svc.db.backend()) {
            tracing::warn!("{warning}");
        }
        let mailer = Mailer::new(config)?;
        let media = MediaLibrary::new(svc.clone(), store);
        let catalog = Catalog::new(svc.clone(), media.clone());
        let addresses = Addresses::new(svc.clone());
        mailer.register(&svc.jobs);
        crate::edge::start(&svc, &EDGE_TOPICS)?;
        let app = App {
            auth: Auth::new(
                svc.clone(),
                Passwords::new(config.hash_concurrency)?,
                mailer.clone(),
                Providers::new(config, svc.clock.clone())?,
            ),
            stats: Statistics::new(svc.clone()),
            reviews: Reviews::new(svc.clone(), media.clone()),
            contact: Contact::new(svc.clone()),
            favorites: Favorites::new(svc.clone()),
            sharing: Sharing::new(svc.clone(), catalog.clone(), media.clone()),
            media,
            shop: Shop::new(svc.clone(), catalog.clone(), addresses.clone()),
            catalog,
            addresses,
            mailer,
            workers: Mutex::new(Some(svc.jobs.start())),
            services: svc,
        };
        let svc = &app.services;
        if svc.db.backend() == Backend::Postgres {
            crate::events::listener::start(
                svc.events.clone(),
                svc.db.url().to_owned(),
                svc.stopping.clone(),
            )
            .await;
        }
        spawn_housekeeping(&app);
        Ok(Arc::new(app))
    }
}

/// What to tell whoever runs several instances: on PostgreSQL (the setup for several)
/// with media on this machine's disk, each instance would see only its own uploads.
fn unshared_media_warning(config: &Config, backend: Backend) -> Option<String> {
    (backend == Backend::Postgres && config.media.cloudinary.is_none()).then(|| {
        format!(
            "media files are stored in {} on this machine: every instance on this PostgreSQL \
             database must share that folder (a network volume), or set VITRIN_CLOUDINARY_URL",
            config.media_dir().display()
        )
    })
}

/// Every ten minutes: expired sessions, old visitor allowances, old rate-limit events,
/// expired guest carts, old external-link clicks, review photos no review took and
/// expired share opt-out links go.
fn spawn_housekeeping(app: &App) {
    let (auth, stats, shop, reviews, sharing, throttle, stopping) = (
        app.auth.clone(),
        app.stats.clone(),
        app.shop.clone(),
        app.reviews.clone(),
        app.sharing.clone(),
        app.services.throttle.clone(),
        app.services.stopping.clone(),
    );
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(Duration::from_secs(600));
        loop {
            tokio::select! {
                _ = tick.tick() => {}
                () = stopping.cancelled() => break,
            }
            if let Err(e) = auth.sweep_expired_sessions().await {
                tracing::warn!(error = ?e, "removing expired sessions failed");
            }
            if let Err(e) = stats.sweep_visitor_allowances().await {
                tracing::warn!(error = ?e, "removing old visitor allowances failed");
            }
            if let Err(e) = shop.sweep().await {
                tracing::warn!(error = ?e, "removing expired carts and old clicks failed");
            }
            if let Err(e) = reviews.sweep_unattached_photos().await {
                tracing::warn!(error = ?e, "removing unused review photos failed");
            }
            if let Err(e) = sharing.sweep().await {
                tracing::warn!(error = ?e, "removing expired shares failed");
            }
            if let Err(e) = throttle.sweep().await {
                tracing::warn!(error = ?e, "removing old rate-limit events failed");
            }
        }
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    fn config(vars: &[(&str, &str)]) -> Config {
        Config::from_lookup(|name| {
            vars.iter()
                .find(|(var, _)| *var == name)
                .map(|(_, value)| (*value).to_owned())
        })
        .unwrap()
    }

    #[test]
    fn several_instances_are_warned_when_media_is_on_local_disk() {
        let local = config(&[]);
        assert!(unshared_media_warning(&local, Backend::Postgres).is_some());
        assert!(unshared_media_warning(&local, Backend::Sqlite).is_none());
        let cloudinary = config(&[("VITRIN_CLOUDINARY_URL", "cloudinary://key:secret@demo")]);
        assert!(unshared_media_warning(&cloudinary, Backend::Postgres).is_none());
    }
}
