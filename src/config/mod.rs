//! Settings from `VITRIN_*` environment variables (and an optional `.env`), each with a
//! default that runs on one machine with no other service.

pub mod presets;

use std::net::{IpAddr, SocketAddr};
use std::path::PathBuf;
use std::str::FromStr;
use std::time::Duration;

use url::Url;

use crate::jobs::JobSettings;

/// A configuration problem, reported as one line naming the variable.
#[derive(Debug, thiserror::Error)]
#[error("{var}: {message}")]
pub struct ConfigError {
    pub var: &'static str,
    pub message: String,
}

/// How log lines are written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LogFormat {
    Human,
    Json,
}

/// Limits applied to every GraphQL request.
#[derive(Debug, Clone)]
pub struct GraphqlLimits {
    pub max_depth: usize,
    pub max_complexity: usize,
    pub max_page_size: usize,
    pub max_aliases: usize,
    pub max_body_bytes: usize,
    pub introspection: bool,
    /// Operations one websocket may run at once.
    pub max_socket_operations: usize,
    /// How long a query may run before it is stopped.
    pub request_timeout: Duration,
}

/// Everything the server needs to start.
#[derive(Debug, Clone)]
pub struct Config {
    pub listen: SocketAddr,
    pub public_url: Url,
    pub site_name: String,
    pub contact_email: Option<String>,
    pub database_url: String,
    pub database_pool_size: usize,
    pub data_dir: PathBuf,
    pub web_dir: PathBuf,
    pub log_format: LogFormat,
    pub log_filter: String,
    pub graphql: GraphqlLimits,
    pub admin_session_ttl: Duration,
    pub customer_session_ttl: Duration,
    pub trusted_proxies: Vec<IpNet>,
    /// The bearer token `/metrics` asks for; without one it answers loopback clients only.
    pub metrics_token: Option<String>,
    pub hash_concurrency: usize,
    pub mail: MailConfig,
    pub jobs: JobSettings,
    pub reset_token_ttl: Duration,
    pub email_change_token_ttl: Duration,
    pub media: MediaConfig,
    /// Sign-in with Google and Facebook (each only when configured).
    pub sign_in: SignInProviders,
    pub public_writes: PublicWriteLimits,
    /// Orders one customer may place an hour (`VITRIN_CHECKOUTS_PER_HOUR`): an order
    /// holds stock and sends e-mails.
    pub checkouts_per_hour: usize,
    pub connections: ConnectionLimits,
    /// How long in-flight requests may take to finish once shutdown begins.
    pub shutdown_grace: Duration,
    /// How long a stopping instance keeps serving while it answers not-ready, so that a
    /// load balancer stops sending it traffic before it stops accepting.
    pub drain_delay: Duration,
    /// The edge worker in front of this server, when there is one.
    pub edge: Option<EdgeConfig>,
}

/// The edge worker (`edge/`): where its resized images are, which nodes to tell about
/// changes, and the secret both sides sign with.
#[derive(Debug, Clone)]
pub struct EdgeConfig {
    /// `VITRIN_EDGE_URL`: the public address of the edge; resized-image URLs point there.
    pub url: Option<Url>,
    /// `VITRIN_EDGE_PURGE_URLS`: every edge node, each told when public answers change.
    pub purge_urls: Vec<Url>,
    /// `VITRIN_EDGE_SECRET`: signs purges and image URLs.
    pub secret: String,
}

impl EdgeConfig {
    /// The purge endpoints of the edge nodes, as the purge jobs name them.
    pub fn nodes(&self) -> Vec<String> {
        self.purge_urls.iter().map(Url::to_string).collect()
    }

    /// The shortest secret accepted: 32 characters of a password generator.
    const MIN_SECRET: usize = 32;

    fn from_env(env: &Env<'_>) -> Result<Option<Self>, ConfigError> {
        let url: Option<Url> =
            env.get_with("VITRIN_EDGE_URL", None, |raw| http_url(raw).map(Some))?;
        let purge_urls: Vec<Url> = env.get_with("VITRIN_EDGE_PURGE_URLS", Vec::new(), |raw| {
            raw.split(',')
                .map(str::trim)
                .filter(|part| !part.is_empty())
                .map(http_url)
                .collect()
        })?;
        let secret: Option<String> = env.get_with("VITRIN_EDGE_SECRET", None, |raw| {
            if raw.chars().count() < Self::MIN_SECRET {
                Err(format!("must be at least {} characters", Self::MIN_SECRET))
            } else {
                Ok(Some(raw.to_owned()))
            }
        })?;
        match secret {
            Some(secret) => Ok(Some(EdgeConfig {
                url,
                purge_urls,
                secret,
            })),
            None if url.is_none() && purge_urls.is_empty() => Ok(None),
            None => Err(ConfigError {
                var: "VITRIN_EDGE_SECRET",
                message: "is needed with VITRIN_EDGE_URL and VITRIN_EDGE_PURGE_URLS".to_owned(),
            }),
        }
    }
}

/// What one connection, one client and everyone together may hold: the guards against
/// slow or idle clients exhausting connections and memory.
#[derive(Debug, Clone, Copy)]
pub struct ConnectionLimits {
    /// Time to send a request's headers; also how long an idle keep-alive connection stays.
    pub header_timeout: Duration,
    /// The longest pause while a request body arrives.
    pub body_timeout: Duration,
    /// HTTP connections in all, and per client network (proxies excepted).
    pub max_connections: usize,
    pub max_connections_per_client: usize,
    /// Websockets in all, and per client network.
    pub ws_max_connections: usize,
    pub ws_max_connections_per_client: usize,
    /// Operations (live subscriptions) one client network may run over all its sockets.
    pub ws_max_operations_per_client: usize,
    /// Time a new websocket has to send `connection_init` (then it is closed with 4408).
    pub ws_init_timeout: Duration,
    /// How often an open websocket is pinged; one silent for two intervals is closed.
    pub ws_ping_interval: Duration,
}

/// How many public writes everyone together may make per minute: the last guard of the
/// public numbers and of the admins' inboxes against clients with many addresses.
#[derive(Debug, Clone, Copy)]
pub struct PublicWriteLimits {
    pub visits_per_minute: usize,
    pub reviews_per_minute: usize,
    pub contact_messages_per_minute: usize,
}

/// Upload limits, crop presets and where media is stored.
#[derive(Debug, Clone)]
pub struct MediaConfig {
    pub max_image_bytes: u64,
    pub max_image_pixels: u64,
    pub max_video_bytes: u64,
    pub max_uploads_per_request: usize,
    /// The storage budget shown against usage.
    pub storage_limit: u64,
    /// Image operations running at once (each may hold a decoded photo).
    pub image_concurrency: usize,
    pub presets: Vec<presets::CropPreset>,
    pub cloudinary: Option<CloudinaryConfig>,
}

/// Cloudinary credentials and client settings.
#[derive(Debug, Clone)]
pub struct CloudinaryConfig {
    pub cloud_name: String,
    pub api_key: String,
    pub api_secret: String,
    /// `https://api.cloudinary.com` (tests point it at a local fake).
    pub api_base: String,
    /// `https://res.cloudinary.com`.
    pub delivery_base: String,
    /// Folder for our assets.
    pub folder: String,
    /// How long the account usage figures are cached.
    pub usage_ttl: Duration,
    /// Files larger than this are sent in chunks (Cloudinary: 100 MB per request).
    pub chunk_threshold: u64,
    /// The size of each chunk (Cloudinary's default: 20 MB).
    pub chunk_size: u64,
    /// Retries of a failed or rate-limited call.
    pub retries: u32,
    /// The first retry delay; doubling after each retry.
    pub retry_delay: Duration,
}

/// The outside providers customers may sign in with.
#[derive(Debug, Clone, Default)]
pub struct SignInProviders {
    pub google: Option<GoogleConfig>,
    pub facebook: Option<FacebookConfig>,
}

/// Google sign-in (OpenID Connect).
#[derive(Debug, Clone)]
pub struct GoogleConfig {
    pub client_id: String,
    pub client_secret: String,
    /// Whose discovery document gives the endpoints (`https://accounts.google.com`).
    pub issuer: String,
}

/// Facebook Login.
#[derive(Debug, Clone)]
pub struct FacebookConfig {
    pub app_id: String,
    pub app_secret: String,
    /// The login dialog (`https://www.facebook.com/v19.0/dialog/oauth`).
    pub dialog_url: String,
    /// The Graph API (`https://graph.facebook.com/v19.0`).
    pub graph_url: String,
}

impl SignInProviders {
    fn from_env(env: &Env<'_>) -> Result<Self, ConfigError> {
        let google = match pair(
            env,
            "VITRIN_GOOGLE_CLIENT_ID",
            "VITRIN_GOOGLE_CLIENT_SECRET",
        )? {
            None => None,
            Some((client_id, client_secret)) => Some(GoogleConfig {
                client_id,
                client_secret,
                issuer: env.get_with(
                    "VITRIN_GOOGLE_ISSUER",
                    "https://accounts.google.com".to_owned(),
                    parse_provider_url,
                )?,
            }),
        };
        let facebook = match pair(env, "VITRIN_FACEBOOK_APP_ID", "VITRIN_FACEBOOK_APP_SECRET")? {
            None => None,
            Some((app_id, app_secret)) => Some(FacebookConfig {
                app_id,
                app_secret,
                dialog_url: env.get_with(
                    "VITRIN_FACEBOOK_DIALOG_URL",
                    "https://www.facebook.com/v19.0/dialog/oauth".to_owned(),
                    parse_provider_url,
                )?,
                graph_url: env.get_with(
                    "VITRIN_FACEBOOK_GRAPH_URL",
                    "https://graph.facebook.com/v19.0".to_owned(),
                    parse_provider_url,
                )?,
            }),
        };
        Ok(SignInProviders { google, facebook })
    }
}

/// Both of a provider's credentials, or neither (one alone is a mistake worth a refusal).
fn pair(
    env: &Env<'_>,
    id_var: &'static str,
    secret_var: &'static str,
) -> Result<Option<(String, String)>, ConfigError> {
    let id: Option<String> = env.get_with(id_var, None, |raw| Ok(Some(raw.to_owned())))?;
    let secret: Option<String> = env.get_with(secret_var, None, |raw| Ok(Some(raw.to_owned())))?;
    match (id, secret) {
        (Some(id), Some(secret)) => Ok(Some((id, secret))),
        (None, None) => Ok(None),
        (Some(_), None) => Err(ConfigError {
            var: secret_var,
            message: format!("is needed with {id_var}"),
        }),
        (None, Some(_)) => Err(ConfigError {
            var: id_var,
            message: format!("is needed with {secret_var}"),
        }),
    }
}

/// A provider's address: https, or plain http only on this machine (local test providers).
fn parse_provider_url(raw: &str) -> Result<String, String> {
    let url = Url::parse(raw).map_err(|e| format!("not a URL ({e})"))?;
    let loopback = match url.host() {
        Some(url::Host::Domain(host)) => host == "localhost",
        Some(url::Host::Ipv4(ip)) => ip.is_loopback(),
        Some(url::Host::Ipv6(ip)) => ip.is_loopback(),
        None => false,
    };
    match url.scheme() {
        "https" => Ok(raw.trim_end_matches('/').to_owned()),
        "http" if loopback => Ok(raw.trim_end_matches('/').to_owned()),
        "http" => Err("must be https (plain http only for a provider on this machine)".to_owned()),
        _ => Err("must be an https URL".to_owned()),
    }
}

/// Where e-mail goes.
#[derive(Debug, Clone)]
pub struct MailConfig {
    /// `smtp://…` or `smtps://…`; `None` writes `.eml` files to the outbox folder.
    pub smtp_url: Option<String>,
    /// The `From:` mailbox.
    pub from: String,
}

impl Config {
    /// The folder the local media store keeps its files in (served at `/media/`).
    pub fn media_dir(&self) -> PathBuf {
        self.data_dir.join("media")
    }

    /// Reads the process environment (after loading `.env` if present).
    pub fn from_env() -> Result<Self, ConfigError> {
        // A missing .env is the normal case; a malformed one is a configuration error.
        match dotenvy::dotenv() {
            Ok(_) => {}
            Err(e) if e.not_found() => {}
            Err(e) => {
                return Err(ConfigError {
                    var: ".env",
                    message: e.to_string(),
                });
            }
        }
        Self::from_lookup(|name| std::env::var(name).ok())
    }

    /// Builds the configuration from any variable source (the environment, or a map in tests).
    pub fn from_lookup(lookup: impl Fn(&str) -> Option<String>) -> Result<Self, ConfigError> {
        let env = Env(&lookup);
        let data_dir: PathBuf = env.get("VITRIN_DATA_DIR", PathBuf::from("data"))?;
        let default_db = format!("sqlite://{}", data_dir.join("vitrin.db").display());
        let listen: SocketAddr =
            env.get("VITRIN_LISTEN", SocketAddr::from(([127, 0, 0, 1], 8080)))?;
        let default_public =
            Url::parse(&format!("http://localhost:{}", listen.port())).map_err(|e| {
                ConfigError {
                    var: "VITRIN_LISTEN",
                    message: e.to_string(),
                }
            })?;
        let public_url = env.get_with("VITRIN_PUBLIC_URL", default_public, |raw| {
            let url = Url::parse(raw).map_err(|e| format!("not a URL ({e})"))?;
            match url.scheme() {
                "http" | "https" => Ok(url),
                other => Err(format!("scheme must be http or https, not {other}")),
            }
        })?;
        let database_url = env.get_with("VITRIN_DATABASE_URL", default_db, |raw| {
            if raw.starts_with("postgres://")
                || raw.starts_with("postgresql://")
                || raw.starts_with("sqlite://")
            {
                Ok(raw.to_owned())
            } else {
                Err("must start with sqlite:// or postgres://".to_owned())
            }
        })?;
        Ok(Config {
            listen,
            public_url,
            site_name: env.get("VITRIN_SITE_NAME", "Vitrin".to_owned())?,
            contact_email: env.get_with("VITRIN_CONTACT_EMAIL", None, |raw| {
                crate::text::normalize_email(raw)
                    .map(Some)
                    .ok_or_else(|| "not an e-mail address".to_owned())
            })?,
            database_url,
            database_pool_size: env.get_with("VITRIN_DATABASE_POOL_SIZE", 10, positive)?,
            web_dir: env.get("VITRIN_WEB_DIR", PathBuf::from("web/dist"))?,
            data_dir,
            log_format: env.get_with("VITRIN_LOG_FORMAT", LogFormat::Human, |raw| match raw {
                "human" => Ok(LogFormat::Human),
                "json" => Ok(LogFormat::Json),
                _ => Err("must be human or json".to_owned()),
            })?,
            log_filter: env.get("VITRIN_LOG", "info,vitrin=info".to_owned())?,
            graphql: GraphqlLimits {
                max_depth: env.get_with("VITRIN_MAX_DEPTH", 12, positive)?,
                max_complexity: env.get_with("VITRIN_MAX_COMPLEXITY", 1000, positive)?,
                max_page_size: env.get_with("VITRIN_MAX_PAGE_SIZE", 100, positive)?,
                max_aliases: env.get("VITRIN_MAX_ALIASES", 30)?,
                max_body_bytes: env.get_with("VITRIN_MAX_BODY", 1024 * 1024, |raw| {
                    parse_bytes(raw).and_then(|b| usize::try_from(b).map_err(|e| e.to_string()))
                })?,
                introspection: env.get_with("VITRIN_INTROSPECTION", true, parse_bool)?,
                max_socket_operations: env.get_with("VITRIN_WS_MAX_OPERATIONS", 100, positive)?,
                request_timeout: env.get_with(
                    "VITRIN_REQUEST_TIMEOUT",
                    Duration::from_secs(30),
                    parse_duration,
                )?,
            },
            admin_session_ttl: env.get_with(
                "VITRIN_ADMIN_SESSION_TTL",
                Duration::from_secs(12 * 3600),
                parse_duration,
            )?,
            customer_session_ttl: env.get_with(
                "VITRIN_CUSTOMER_SESSION_TTL",
                Duration::from_secs(30 * 86400),
                parse_duration,
            )?,
            trusted_proxies: env.get_with("VITRIN_TRUSTED_PROXIES", Vec::new(), |raw| {
                raw.split(',')
                    .map(str::trim)
                    .filter(|s| !s.is_empty())
                    .map(IpNet::from_str)
                    .collect()
            })?,
            metrics_token: env.get_with("VITRIN_METRICS_TOKEN", None, |raw| {
                if raw.len() < 16 {
                    Err("must be at least 16 characters".to_owned())
                } else {
                    Ok(Some(raw.to_owned()))
                }
            })?,
            mail: MailConfig {
                smtp_url: env.get_with("VITRIN_SMTP_URL", None, |raw| {
                    if raw.starts_with("smtp://") || raw.starts_with("smtps://") {
                        Ok(Some(raw.to_owned()))
                    } else {
                        Err("must start with smtp:// or smtps://".to_owned())
                    }
                })?,
                from: env.get_with(
                    "VITRIN_MAIL_FROM",
                    "Vitrin <noreply@localhost>".to_owned(),
                    |raw| {
                        raw.parse::<lettre::message::Mailbox>()
                            .map(|_| raw.to_owned())
                            .map_err(|e| {
                                format!("not a mailbox ({e}); e.g. \"Site <noreply@example.com>\"")
                            })
                    },
                )?,
            },
            jobs: JobSettings {
                max_attempts: env.get_with("VITRIN_JOB_ATTEMPTS", 8, |raw| {
                    positive(raw).and_then(|n| u32::try_from(n).map_err(|e| e.to_string()))
                })?,
                retry_delay: env.get_with(
                    "VITRIN_JOB_RETRY_DELAY",
                    Duration::from_secs(5),
                    parse_duration,
                )?,
                max_retry_delay: env.get_with(
                    "VITRIN_JOB_MAX_RETRY_DELAY",
                    Duration::from_secs(3600),
                    parse_duration,
                )?,
                lease: env.get_with("VITRIN_JOB_LEASE", Duration::from_secs(60), parse_duration)?,
                concurrency: env.get_with("VITRIN_JOB_CONCURRENCY", 4, positive)?,
                poll_interval: env.get_with(
                    "VITRIN_JOB_POLL_INTERVAL",
                    Duration::from_secs(2),
                    parse_duration,
                )?,
            },
            reset_token_ttl: env.get_with(
                "VITRIN_RESET_TOKEN_TTL",
                Duration::from_secs(30 * 60),
                parse_duration,
            )?,
            email_change_token_ttl: env.get_with(
                "VITRIN_EMAIL_CHANGE_TOKEN_TTL",
                Duration::from_secs(24 * 3600),
                parse_duration,
            )?,
            sign_in: SignInProviders::from_env(&env)?,
            edge: EdgeConfig::from_env(&env)?,
            media: MediaConfig {
                max_image_bytes: env.get_with("VITRIN_MAX_IMAGE_SIZE", 15 << 20, parse_bytes)?,
                max_image_pixels: env.get_with("VITRIN_MAX_IMAGE_PIXELS", 40_000_000, |raw| {
                    raw.parse::<u64>().map_err(|e| e.to_string())
                })?,
                max_video_bytes: env.get_with("VITRIN_MAX_VIDEO_SIZE", 100 << 20, parse_bytes)?,
                max_uploads_per_request: env.get_with("VITRIN_MAX_UPLOADS", 10, positive)?,
                storage_limit: env.get_with("VITRIN_STORAGE_LIMIT", 25_000_000_000, parse_bytes)?,
                image_concurrency: env.get_with(
                    "VITRIN_IMAGE_CONCURRENCY",
                    std::thread::available_parallelism().map_or(2, |n| n.get()),
                    positive,
                )?,
                presets: env.get_with(
                    "VITRIN_CROP_PRESETS",
                    presets::defaults(),
                    presets::parse,
                )?,
                cloudinary: env
                    .get_with("VITRIN_CLOUDINARY_URL", None, |raw| {
                        parse_cloudinary_url(raw).map(Some)
                    })?
                    .map(|credentials| {
                        Ok::<_, ConfigError>(CloudinaryConfig {
                            cloud_name: credentials.cloud_name,
                            api_key: credentials.api_key,
                            api_secret: credentials.api_secret,
                            api_base: env.get_with(
                                "VITRIN_CLOUDINARY_API_BASE",
                                "https://api.cloudinary.com".to_owned(),
                                parse_http_url,
                            )?,
                            delivery_base: env.get_with(
                                "VITRIN_CLOUDINARY_DELIVERY_BASE",
                                "https://res.cloudinary.com".to_owned(),
                                parse_http_url,
                            )?,
                            folder: env.get("VITRIN_CLOUDINARY_FOLDER", "vitrin".to_owned())?,
                            usage_ttl: env.get_with(
                                "VITRIN_CLOUDINARY_USAGE_TTL",
                                Duration::from_secs(600),
                                parse_duration,
                            )?,
                            chunk_threshold: env.get_with(
                                "VITRIN_CLOUDINARY_CHUNK_THRESHOLD",
                                100_000_000,
                                parse_bytes,
                            )?,
                            chunk_size: env.get_with(
                                "VITRIN_CLOUDINARY_CHUNK_SIZE",
                                20_000_000,
                                parse_bytes,
                            )?,
                            retries: env.get("VITRIN_CLOUDINARY_RETRIES", 4)?,
                            retry_delay: env.get_with(
                                "VITRIN_CLOUDINARY_RETRY_DELAY",
                                Duration::from_millis(500),
                                parse_duration,
                            )?,
                        })
                    })
                    .transpose()?,
            },
            public_writes: PublicWriteLimits {
                visits_per_minute: env.get_with("VITRIN_VISITS_PER_MINUTE", 60, positive)?,
                reviews_per_minute: env.get_with("VITRIN_REVIEWS_PER_MINUTE", 10, positive)?,
                contact_messages_per_minute: env.get_with(
                    "VITRIN_CONTACT_MESSAGES_PER_MINUTE",
                    5,
                    positive,
                )?,
            },
            checkouts_per_hour: env.get_with("VITRIN_CHECKOUTS_PER_HOUR", 10, positive)?,
            connections: ConnectionLimits {
                header_timeout: env.get_with(
                    "VITRIN_HEADER_TIMEOUT",
                    Duration::from_secs(10),
                    parse_duration,
                )?,
                body_timeout: env.get_with(
                    "VITRIN_BODY_TIMEOUT",
                    Duration::from_secs(30),
                    parse_duration,
                )?,
                max_connections: env.get_with("VITRIN_MAX_CONNECTIONS", 4096, positive)?,
                max_connections_per_client: env.get_with(
                    "VITRIN_MAX_CONNECTIONS_PER_CLIENT",
                    128,
                    positive,
                )?,
                ws_max_connections: env.get_with("VITRIN_WS_MAX_CONNECTIONS", 10_000, positive)?,
                ws_max_connections_per_client: env.get_with(
                    "VITRIN_WS_MAX_CONNECTIONS_PER_CLIENT",
                    64,
                    positive,
                )?,
                ws_max_operations_per_client: env.get_with(
                    "VITRIN_WS_MAX_OPERATIONS_PER_CLIENT",
                    256,
                    positive,
                )?,
                ws_init_timeout: env.get_with(
                    "VITRIN_WS_INIT_TIMEOUT",
                    Duration::from_secs(10),
                    parse_duration,
                )?,
                ws_ping_interval: env.get_with(
                    "VITRIN_WS_PING_INTERVAL",
                    Duration::from_secs(30),
                    parse_duration,
                )?,
            },
            shutdown_grace: env.get_with(
                "VITRIN_SHUTDOWN_GRACE",
                Duration::from_secs(20),
                parse_duration,
            )?,
            drain_delay: env.get_with("VITRIN_DRAIN_DELAY", Duration::ZERO, |raw| {
                if raw.trim().trim_start_matches('0').is_empty() {
                    Ok(Duration::ZERO)
                } else {
                    parse_duration(raw)
                }
            })?,
            hash_concurrency: env.get_with(
                "VITRIN_HASH_CONCURRENCY",
                std::thread::available_parallelism().map_or(2, |n| n.get()),
                positive,
            )?,
        })
    }

    /// Whether cookies must carry `Secure`: everywhere except plain-http localhost development.
    pub fn secure_cookies(&self) -> bool {
        !(self.public_url.scheme() == "http"
            && matches!(
                self.public_url.host_str(),
                Some("localhost" | "127.0.0.1" | "[::1]")
            ))
    }

    /// Whether the site is served over HTTPS (then HSTS is sent).
    pub fn is_https(&self) -> bool {
        self.public_url.scheme() == "https"
    }

    /// The public URL joined with an absolute path, never taken from a request's Host header.
    pub fn public_link(&self, path_and_fragment: &str) -> String {
        format!(
            "{}{}",
            self.public_url.as_str().trim_end_matches('/'),
            path_and_fragment
        )
    }
}

struct Env<'a>(&'a dyn Fn(&str) -> Option<String>);

impl Env<'_> {
    fn get<T: FromStr>(&self, var: &'static str, default: T) -> Result<T, ConfigError>
    where
        T::Err: std::fmt::Display,
    {
        self.get_with(var, default, |raw| {
            raw.parse::<T>().map_err(|e| e.to_string())
        })
    }

    fn get_with<T>(
        &self,
        var: &'static str,
        default: T,
        parse: impl Fn(&str) -> Result<T, String>,
    ) -> Result<T, ConfigError> {
        match (self.0)(var) {
            None => Ok(default),
            Some(raw) if raw.trim().is_empty() => Ok(default),
            Some(raw) => parse(raw.trim()).map_err(|message| ConfigError {
                var,
                message: format!("invalid value {raw:?}: {message}"),
            }),
        }
    }
}

fn positive(raw: &str) -> Result<usize, String> {
    match raw.parse::<usize>() {
        Ok(0) => Err("must be at least 1".to_owned()),
        Ok(n) => Ok(n),
        Err(e) => Err(e.to_string()),
    }
}

fn parse_bool(raw: &str) -> Result<bool, String> {
    match raw.to_ascii_lowercase().as_str() {
        "1" | "true" | "yes" | "on" => Ok(true),
        "0" | "false" | "no" | "off" => Ok(false),
        _ => Err("must be true or false".to_owned()),
    }
}

/// The parts of `cloudinary://api_key:api_secret@cloud_name`.
struct CloudinaryCredentials {
    cloud_name: String,
    api_key: String,
    api_secret: String,
}

fn parse_http_url(raw: &str) -> Result<String, String> {
    http_url(raw).map(|_| raw.trim_end_matches('/').to_owned())
}

/// An `http` or `https` URL.
fn http_url(raw: &str) -> Result<Url, String> {
    let url = Url::parse(raw).map_err(|e| format!("not a URL ({e})"))?;
    match url.scheme() {
        "http" | "https" => Ok(url),
        _ => Err("must be an http or https URL".to_owned()),
    }
}

fn parse_cloudinary_url(raw: &str) -> Result<CloudinaryCredentials, String> {
    let url = Url::parse(raw).map_err(|e| format!("not a URL ({e})"))?;
    if url.scheme() != "cloudinary" {
        return Err("must look like cloudinary://api_key:api_secret@cloud_name".to_owned());
    }
    let decode = |s: &str| {
        percent_encoding::percent_decode_str(s)
            .decode_utf8_lossy()
            .into_owned()
    };
    let credentials = CloudinaryCredentials {
        cloud_name: url.host_str().unwrap_or("").to_owned(),
        api_key: decode(url.username()),
        api_secret: decode(url.password().unwrap_or("")),
    };
    if credentials.cloud_name.is_empty()
        || credentials.api_key.is_empty()
        || credentials.api_secret.is_empty()
    {
        return Err("must look like cloudinary://api_key:api_secret@cloud_name".to_owned());
    }
    Ok(credentials)
}

/// Parses `250ms`, `90s`, `30m`, `12h`, `7d` (or plain seconds).
pub fn parse_duration(raw: &str) -> Result<Duration, String> {
    let (number, unit) = raw.split_at(raw.find(|c: char| !c.is_ascii_digit()).unwrap_or(raw.len()));
    let n: u64 = number
        .parse()
        .map_err(|_| "expected a number with ms, s, m, h or d".to_owned())?;
    let millis = match unit.trim() {
        "ms" => Some(n),
        "" | "s" => n.checked_mul(1000),
        "m" => n.checked_mul(60_000),
        "h" => n.checked_mul(3_600_000),
        "d" => n.checked_mul(86_400_000),
        other => return Err(format!("unknown unit {other:?}; use ms, s, m, h or d")),
    }
    .ok_or("too long")?;
    // Ten years is longer than anything here needs, and keeps date arithmetic safe.
    if millis > 10 * 365 * 86_400_000 {
        return Err("must be at most ten years".to_owned());
    }
    if millis == 0 {
        return Err("must be longer than zero".to_owned());
    }
    Ok(Duration::from_millis(millis))
}

/// Parses `1048576`, `512KiB`, `15MiB`, `25GB` (decimal and binary units).
pub fn parse_bytes(raw: &str) -> Result<u64, String> {
    let (number, unit) = raw.split_at(raw.find(|c: char| !c.is_ascii_digit()).unwrap_or(raw.len()));
    let n: u64 = number
        .parse()
        .map_err(|_| "expected a number with an optional unit (KB, MiB, GB…)".to_owned())?;
    let factor: u64 = match unit.trim().to_ascii_lowercase().as_str() {
        "" | "b" => 1,
        "kb" => 1000,
        "kib" => 1 << 10,
        "mb" => 1000 * 1000,
        "mib" => 1 << 20,
        "gb" => 1000 * 1000 * 1000,
        "gib" => 1 << 30,
        "tb" => 1000 * 1000 * 1000 * 1000,
        "tib" => 1 << 40,
        other => return Err(format!("unknown unit {other:?}")),
    };
    n.checked_mul(factor).ok_or_else(|| "too large".to_owned())
}

/// An IP network (`10.0.0.0/8`, `::1`) for the trusted proxy list.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct IpNet {
    addr: IpAddr,
    prefix: u8,
}

impl IpNet {
    /// Whether `ip` lies inside this network.
    pub fn contains(&self, ip: IpAddr) -> bool {
        match (self.addr, ip) {
            (IpAddr::V4(net), IpAddr::V4(ip)) => {
                let mask = u32::MAX
                    .checked_shl(32 - u32::from(self.prefix))
                    .unwrap_or(0);
                u32::from(net) & mask == u32::from(ip) & mask
            }
            (IpAddr::V6(net), IpAddr::V6(ip)) => {
                let mask = u128::MAX
                    .checked_shl(128 - u32::from(self.prefix))
                    .unwrap_or(0);
                u128::from(net) & mask == u128::from(ip) & mask
            }
            (IpAddr::V6(_), IpAddr::V4(v4)) => self.contains(IpAddr::V6(v4.to_ipv6_mapped())),
            (IpAddr::V4(_), IpAddr::V6(v6)) => v6
                .to_ipv4_mapped()
                .is_some_and(|v4| self.contains(IpAddr::V4(v4))),
        }
    }
}

impl FromStr for IpNet {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let (addr, prefix) = match s.split_once('/') {
            Some((a, p)) => (a, Some(p)),
            None => (s, None),
        };
        let addr: IpAddr = addr
            .parse()
            .map_err(|_| format!("{s:?} is not an IP address or network"))?;
        let max = if addr.is_ipv4() { 32 } else { 128 };
        let prefix = match prefix {
            None => max,
            Some(p) => p
                .parse::<u8>()
                .ok()
                .filter(|p| *p <= max)
                .ok_or_else(|| format!("{s:?} has an invalid prefix length"))?,
        };
        Ok(IpNet { addr, prefix })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn config(vars: &[(&str, &str)]) -> Result<Config, ConfigError> {
        Config::from_lookup(|name| {
            vars.iter()
                .find(|(k, _)| *k == name)
                .map(|(_, v)| (*v).to_owned())
        })
    }

    #[test]
    fn defaults_run_locally_on_sqlite() {
        let c = config(&[]).unwrap();
        assert_eq!(c.listen.to_string(), "127.0.0.1:8080");
        assert_eq!(c.database_url, "sqlite://data/vitrin.db");
        assert!(!c.secure_cookies());
        assert_eq!(c.graphql.max_depth, 12);
        assert_eq!(c.graphql.max_body_bytes, 1 << 20);
    }

    #[test]
    fn bad_value_names_the_variable() {
        let err = config(&[("VITRIN_LISTEN", "nowhere")]).unwrap_err();
        assert_eq!(err.var, "VITRIN_LISTEN");
        assert!(
            err.to_string()
                .starts_with("VITRIN_LISTEN: invalid value \"nowhere\"")
        );
        assert_eq!(
            config(&[("VITRIN_DATABASE_URL", "mysql://x")])
                .unwrap_err()
                .var,
            "VITRIN_DATABASE_URL"
        );
        assert_eq!(
            config(&[("VITRIN_ADMIN_SESSION_TTL", "12 parsecs")])
                .unwrap_err()
                .var,
            "VITRIN_ADMIN_SESSION_TTL"
        );
    }

    #[test]
    fn a_sign_in_provider_needs_both_credentials_and_https_off_this_machine() {
        assert!(config(&[]).unwrap().sign_in.google.is_none());
        let half = config(&[("VITRIN_GOOGLE_CLIENT_ID", "id")]).unwrap_err();
        assert_eq!(half.var, "VITRIN_GOOGLE_CLIENT_SECRET");
        let both = [
            ("VITRIN_GOOGLE_CLIENT_ID", "id"),
            ("VITRIN_GOOGLE_CLIENT_SECRET", "s"),
        ];
        let google = config(&both).unwrap().sign_in.google.unwrap();
        assert_eq!(google.issuer, "https://accounts.google.com");
        for (issuer, ok) in [
            ("http://127.0.0.1:4000/", true),
            ("http://localhost:4000", true),
            ("http://accounts.example", false),
            ("ftp://127.0.0.1", false),
        ] {
            let vars = [both[0], both[1], ("VITRIN_GOOGLE_ISSUER", issuer)];
            assert_eq!(config(&vars).is_ok(), ok, "{issuer}");
        }
    }

    #[test]
    fn https_public_url_makes_cookies_secure() {
        assert!(
            config(&[("VITRIN_PUBLIC_URL", "https://example.com")])
                .unwrap()
                .secure_cookies()
        );
        assert!(
            config(&[("VITRIN_PUBLIC_URL", "http://example.com")])
                .unwrap()
                .secure_cookies()
        );
    }

    #[test]
    fn sizes_and_durations_parse_with_units() {
        assert_eq!(parse_bytes("25GB").unwrap(), 25_000_000_000);
        assert_eq!(parse_bytes("15MiB").unwrap(), 15 << 20);
        assert_eq!(parse_duration("30m").unwrap(), Duration::from_secs(1800));
        assert!(parse_duration("0s").is_err());
    }

    #[test]
    fn networks_match_their_members() {
        let net: IpNet = "10.0.0.0/8".parse().unwrap();
        assert!(net.contains("10.1.2.3".parse().unwrap()));
        assert!(!net.contains("11.0.0.1".parse().unwrap()));
        let one: IpNet = "127.0.0.1".parse().unwrap();
        assert!(one.contains("::ffff:127.0.0.1".parse().unwrap()));
    }
}
