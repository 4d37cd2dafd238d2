//! The `TestApp` builder: a real server on an ephemeral port over a fresh database
//! (SQLite file or PostgreSQL database), a manual clock, and HTTP/GraphQL helpers.

pub mod cloudinary;
pub mod mail;
pub mod process;
pub mod providers;
pub mod shop;
pub mod ws;

use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::atomic::{AtomicU32, Ordering};

use reqwest::header::{HeaderMap, HeaderValue};
use serde_json::{Value, json};
use vitrin::app::{AppBuilder, AppState};
use vitrin::clock::ManualClock;
use vitrin::config::Config;
use vitrin::db::{Backend, Conn};

/// Where PostgreSQL tests create their databases.
fn postgres_admin_url() -> String {
    std::env::var("TEST_DATABASE_URL")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/postgres".to_owned())
}

/// Configures a test server before it starts.
pub struct TestAppBuilder {
    backend: Backend,
    env: Vec<(String, String)>,
}

impl TestAppBuilder {
    /// Sets a `VITRIN_*` variable for this server.
    pub fn env(mut self, name: &str, value: &str) -> Self {
        self.env.push((name.to_owned(), value.to_owned()));
        self
    }

    /// Sets several variables (a local fake's settings).
    pub fn envs(mut self, vars: impl IntoIterator<Item = (&'static str, String)>) -> Self {
        for (name, value) in vars {
            self = self.env(name, &value);
        }
        self
    }

    /// Starts the server; `None` (with a printed notice) when PostgreSQL is unreachable
    /// and `VITRIN_REQUIRE_POSTGRES` is not set.
    pub async fn start(self) -> Option<TestApp> {
        let dir = tempfile::tempdir().expect("temporary directory");
        let database = match self.backend {
            Backend::Sqlite => TestDatabase::Sqlite(format!(
                "sqlite://{}",
                dir.path().join("vitrin.db").display()
            )),
            Backend::Postgres => TestDatabase::create_postgres().await?,
        };
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind");
        let addr = listener.local_addr().expect("local addr");
        let mut vars = vec![
            ("VITRIN_DATABASE_URL".to_owned(), database.url().to_owned()),
            (
                "VITRIN_DATA_DIR".to_owned(),
                dir.path().display().to_string(),
            ),
            (
                "VITRIN_PUBLIC_URL".to_owned(),
                format!("http://127.0.0.1:{}", addr.port()),
            ),
            ("VITRIN_DATABASE_POOL_SIZE".to_owned(), "5".to_owned()),
        ];
        vars.extend(self.env);
        let config = Config::from_lookup(|name| {
            vars.iter()
                .rev()
                .find(|(k, _)| k == name)
                .map(|(_, v)| v.clone())
        })
        .expect("test configuration");
        let clock = Arc::new(ManualClock::new());
        let app = AppBuilder::new(config)
            .clock(clock.clone())
            .start()
            .await
            .expect("app starts");
        let settings = vitrin::http::server::ServerSettings::from_config(app.config());
        let router = vitrin::app(app.clone());
        let server = tokio::spawn(vitrin::http::server::serve(
            listener,
            router,
            settings,
            std::future::pending(),
        ));
        Some(TestApp {
            app,
            clock,
            addr,
            client: reqwest::Client::builder().build().expect("client"),
            server,
            database,
            _dir: dir,
        })
    }
}

enum TestDatabase {
    Sqlite(String),
    Postgres { url: String, name: String },
}

static COUNTER: AtomicU32 = AtomicU32::new(0);

impl TestDatabase {
    async fn create_postgres() -> Option<TestDatabase> {
        let admin = postgres_admin_url();
        let client = match connect(&admin).await {
            Ok(client) => client,
            Err(e) => {
                if std::env::var_os("VITRIN_REQUIRE_POSTGRES").is_some() {
                    panic!(
                        "PostgreSQL at {admin} is required (VITRIN_REQUIRE_POSTGRES) but unreachable: {e}"
                    );
                }
                eprintln!(
                    "NOTICE: PostgreSQL at {admin} is unreachable ({e}); skipping the PostgreSQL half of this test."
                );
                return None;
            }
        };
        let template = migrated_template(&client, &admin).await;
        let name = format!(
            "vitrin_test_{}_{}_{}",
            std::process::id(),
            COUNTER.fetch_add(1, Ordering::Relaxed),
            rand::random::<u32>()
        );
        client
            .batch_execute(&format!("CREATE DATABASE {name} TEMPLATE {template}"))
            .await
            .expect("create test database");
        Some(TestDatabase::Postgres {
            url: database_url(&admin, &name),
            name,
        })
    }

    fn url(&self) -> &str {
        match self {
            TestDatabase::Sqlite(url) | TestDatabase::Postgres { url, .. } => url,
        }
    }
}

/// `admin` with another database name.
fn database_url(admin: &str, name: &str) -> String {
    let mut url = url::Url::parse(admin).expect("TEST_DATABASE_URL is a URL");
    url.set_path(name);
    url.to_string()
}

/// A database with every migration applied, named after the migrations' contents, from
/// which each test's database is copied (a copy takes milliseconds; migrating took most
/// of a PostgreSQL test's time). The first test process to need it builds it under an
/// advisory lock; the others wait for it, and stale templates are dropped.
async fn migrated_template(client: &tokio_postgres::Client, admin: &str) -> String {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("migrations/postgres");
    let mut files: Vec<std::path::PathBuf> = walk_files(&dir);
    files.sort();
    let mut hasher = <sha2::Sha256 as sha2::Digest>::new();
    for file in &files {
        sha2::Digest::update(
            &mut hasher,
            file.strip_prefix(&dir)
                .unwrap()
                .to_string_lossy()
                .as_bytes(),
        );
        sha2::Digest::update(&mut hasher, std::fs::read(file).unwrap());
    }
    let digest = hex::encode(sha2::Digest::finalize(hasher));
    let template = format!("vitrin_template_{}", &digest[..16]);
    // Any constant key: every test process agrees on it.
    client
        .batch_execute("SELECT pg_advisory_lock(7164251)")
        .await
        .expect("template lock");
    let existing: Vec<String> = client
        .query(
            "SELECT datname FROM pg_database WHERE datname LIKE 'vitrin_template_%'",
            &[],
        )
        .await
        .expect("list templates")
        .iter()
        .map(|row| row.get(0))
        .collect();
    if !existing.contains(&template) {
        for stale in &existing {
            let _ = client
                .batch_execute(&format!("DROP DATABASE IF EXISTS {stale} WITH (FORCE)"))
                .await;
        }
        let building = format!("{template}_building");
        client
            .batch_execute(&format!("CREATE DATABASE {building}"))
            .await
            .expect("create the template");
        let db = vitrin::db::Db::connect(&database_url(admin, &building), 1)
            .await
            .expect("connect to the template");
        db.migrate().await.expect("migrate the template");
        drop(db);
        // The pool's connection closes in the background: retry until it has.
        for attempt in 0.. {
            match client
                .batch_execute(&format!("ALTER DATABASE {building} RENAME TO {template}"))
                .await
            {
                Ok(()) => break,
                Err(e) if attempt < 100 => {
                    let _ = e;
                    tokio::time::sleep(std::time::Duration::from_millis(50)).await;
                }
                Err(e) => panic!("the template cannot be renamed: {e}"),
            }
        }
    }
    client
        .batch_execute("SELECT pg_advisory_unlock(7164251)")
        .await
        .expect("template unlock");
    template
}

fn walk_files(dir: &std::path::Path) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).expect("migrations").flatten() {
        let path = entry.path();
        if path.is_dir() {
            out.extend(walk_files(&path));
        } else {
            out.push(path);
        }
    }
    out
}

async fn connect(url: &str) -> Result<tokio_postgres::Client, tokio_postgres::Error> {
    let (client, connection) = tokio_postgres::connect(url, tokio_postgres::NoTls).await?;
    tokio::spawn(connection);
    Ok(client)
}

impl Drop for TestDatabase {
    fn drop(&mut self) {
        if let TestDatabase::Postgres { name, .. } = self {
            let name = name.clone();
            // Drop runs outside async context guarantees: use a thread with its own runtime.
            let _ = std::thread::spawn(move || {
                let runtime = tokio::runtime::Builder::new_current_thread()
                    .enable_all()
                    .build()
                    .expect("runtime");
                runtime.block_on(async {
                    if let Ok(client) = connect(&postgres_admin_url()).await {
                        let _ = client
                            .batch_execute(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
                            .await;
                    }
                });
            })
            .join();
        }
    }
}

/// A running server and what tests need to talk to it.
pub struct TestApp {
    pub app: AppState,
    pub clock: Arc<ManualClock>,
    pub addr: SocketAddr,
    pub client: reqwest::Client,
    server: tokio::task::JoinHandle<()>,
    database: TestDatabase,
    _dir: tempfile::TempDir,
}

impl Drop for TestApp {
    fn drop(&mut self) {
        self.server.abort();
    }
}

impl TestApp {
    /// A builder for a server on `backend`.
    pub fn builder(backend: Backend) -> TestAppBuilder {
        TestAppBuilder {
            backend,
            env: Vec::new(),
        }
    }

    /// The base URL (`http://127.0.0.1:port`).
    pub fn url(&self, path: &str) -> String {
        format!("http://{}{}", self.addr, path)
    }

    /// The data folder (SQLite database, media, outbox).
    pub fn data_dir(&self) -> std::path::PathBuf {
        self.app.config().data_dir.clone()
    }

    /// The database URL (for a second instance on the same database).
    pub fn database_url(&self) -> &str {
        self.database.url()
    }

    /// The file outbox (the embedded mail transport).
    pub fn outbox(&self) -> std::path::PathBuf {
        self.app
            .mailer
            .outbox()
            .expect("the outbox transport is configured")
            .clone()
    }

    /// POSTs a GraphQL request as JSON and returns the parsed body.
    pub async fn gql(&self, token: Option<&str>, query: &str, variables: Value) -> Value {
        let response = self.post_gql(token, query, variables).await;
        response.json().await.expect("JSON body")
    }

    /// POSTs a GraphQL request as JSON and returns the raw response.
    pub async fn post_gql(
        &self,
        token: Option<&str>,
        query: &str,
        variables: Value,
    ) -> reqwest::Response {
        let mut request = self
            .client
            .post(self.url("/graphql"))
            .json(&json!({ "query": query, "variables": variables }));
        if let Some(token) = token {
            request = request.bearer_auth(token);
        }
        request.send().await.expect("request sent")
    }

    /// POSTs a GraphQL request as if from `client` (the test server trusts the loopback
    /// proxy when started with `VITRIN_TRUSTED_PROXIES=127.0.0.1`).
    pub async fn gql_from(
        &self,
        client: &str,
        token: Option<&str>,
        query: &str,
        variables: Value,
    ) -> Value {
        let mut request = self
            .client
            .post(self.url("/graphql"))
            .header("x-forwarded-for", client)
            .json(&json!({ "query": query, "variables": variables }));
        if let Some(token) = token {
            request = request.bearer_auth(token);
        }
        request
            .send()
            .await
            .expect("request sent")
            .json()
            .await
            .expect("JSON body")
    }

    /// POSTs a raw body with headers to `/graphql`.
    pub async fn post_raw(
        &self,
        headers: HeaderMap,
        body: impl Into<reqwest::Body>,
    ) -> reqwest::Response {
        self.client
            .post(self.url("/graphql"))
            .headers(headers)
            .body(body)
            .send()
            .await
            .expect("request sent")
    }

    /// Creates an administrator through the domain (as `vitrin create-admin` does).
    pub async fn create_admin(&self, email: &str, password: &str) -> vitrin::auth::User {
        self.app
            .auth
            .create_admin(email, password)
            .await
            .expect("admin created")
    }

    /// Signs in and returns the session token.
    pub async fn login(&self, email: &str, password: &str) -> String {
        let body = self
            .gql(
                None,
                "mutation($e: String!, $p: String!) { login(email: $e, password: $p) { token } }",
                json!({ "e": email, "p": password }),
            )
            .await;
        body["data"]["login"]["token"]
            .as_str()
            .unwrap_or_else(|| panic!("login failed: {body}"))
            .to_owned()
    }

    /// An administrator, signed in: returns the token.
    pub async fn admin_token(&self) -> String {
        self.create_admin(ADMIN_EMAIL, ADMIN_PASSWORD).await;
        self.login(ADMIN_EMAIL, ADMIN_PASSWORD).await
    }

    /// Uploads a fixture (`tests/fixtures/media/<name>`) with the GraphQL multipart
    /// request spec, as any standard multipart GraphQL client does.
    pub async fn upload(&self, token: &str, fixture: &str, section: &str) -> reqwest::Response {
        let bytes = std::fs::read(fixture_path(fixture)).expect("fixture");
        let name = fixture.rsplit('/').next().unwrap_or(fixture).to_owned();
        self.upload_bytes(token, bytes, &name, section).await
    }

    /// Uploads bytes under a file name.
    pub async fn upload_bytes(
        &self,
        token: &str,
        bytes: Vec<u8>,
        name: &str,
        section: &str,
    ) -> reqwest::Response {
        let operations = json!({
            "query": "mutation($file: Upload!, $section: MediaSection, $alt: String) { uploadMedia(file: $file, section: $section, alt: $alt) { id kind url width height bytes contentType durationSeconds section alt } }",
            "variables": { "file": null, "section": section, "alt": "Test görseli" }
        });
        self.upload_file(token, operations, bytes, name).await
    }

    /// Sends `operations` with one file in `variables.file` (the GraphQL multipart
    /// request spec).
    pub async fn upload_file(
        &self,
        token: &str,
        operations: Value,
        bytes: Vec<u8>,
        name: &str,
    ) -> reqwest::Response {
        let form = reqwest::multipart::Form::new()
            .text("operations", operations.to_string())
            .text("map", r#"{"0":["variables.file"]}"#)
            .part(
                "0",
                reqwest::multipart::Part::bytes(bytes)
                    .file_name(name.to_owned())
                    .mime_str("image/jpeg")
                    .expect("mime"),
            );
        self.client
            .post(self.url("/graphql"))
            .bearer_auth(token)
            .multipart(form)
            .send()
            .await
            .expect("upload sent")
    }

    /// Every file under the local media folder, with its size.
    pub fn media_files(&self) -> Vec<(std::path::PathBuf, u64)> {
        fn walk(dir: &std::path::Path, out: &mut Vec<(std::path::PathBuf, u64)>) {
            let Ok(entries) = std::fs::read_dir(dir) else {
                return;
            };
            for entry in entries.flatten() {
                let path = entry.path();
                if path.is_dir() {
                    walk(&path, out);
                } else if let Ok(meta) = entry.metadata() {
                    out.push((path, meta.len()));
                }
            }
        }
        let mut out = Vec::new();
        walk(&self.app.config().data_dir.join("media"), &mut out);
        out
    }

    /// Runs raw SQL on the server's database (to set up states the API cannot reach).
    pub async fn exec_sql(&self, sql: &str) {
        use diesel_async::RunQueryDsl;
        let mut pooled = self.app.services.db.write().await.expect("connection");
        match pooled.conn() {
            Conn::Sqlite(c) => diesel::sql_query(sql).execute(c).await,
            Conn::Pg(c) => diesel::sql_query(sql).execute(c).await,
        }
        .expect("SQL runs");
    }

    /// Runs raw SQL on the server's database; whether the database accepted it.
    pub async fn try_exec_sql(&self, sql: &str) -> bool {
        use diesel_async::RunQueryDsl;
        let mut pooled = self.app.services.db.write().await.expect("connection");
        match pooled.conn() {
            Conn::Sqlite(c) => diesel::sql_query(sql).execute(c).await,
            Conn::Pg(c) => diesel::sql_query(sql).execute(c).await,
        }
        .is_ok()
    }

    /// One number from a `SELECT COUNT(*) AS n …` or `SELECT … AS n` query.
    pub async fn count_sql(&self, sql: &str) -> i64 {
        use diesel::QueryableByName;
        use diesel_async::RunQueryDsl;
        #[derive(QueryableByName)]
        struct N {
            #[diesel(sql_type = diesel::sql_types::BigInt)]
            n: i64,
        }
        let mut pooled = self.app.services.db.read().await.expect("connection");
        let row: N = match pooled.conn() {
            Conn::Sqlite(c) => diesel::sql_query(sql).get_result(c).await,
            Conn::Pg(c) => diesel::sql_query(sql).get_result(c).await,
        }
        .expect("SQL runs");
        row.n
    }
}

/// The path of a media fixture.
pub fn fixture_path(name: &str) -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/media")
        .join(name)
}

/// The administrator most tests sign in as.
pub const ADMIN_EMAIL: &str = "owner@example.com";
/// Their password.
pub const ADMIN_PASSWORD: &str = "kirmizi bisiklet 42";

/// Headers for a JSON POST.
pub fn json_headers() -> HeaderMap {
    let mut h = HeaderMap::new();
    h.insert("content-type", HeaderValue::from_static("application/json"));
    h
}

/// The `extensions.code` of the first error.
pub fn error_code(body: &Value) -> &str {
    body["errors"][0]["extensions"]["code"]
        .as_str()
        .unwrap_or_else(|| panic!("no error code in {body}"))
}

/// Declares a test that runs once on SQLite and once on PostgreSQL. The body sees the
/// started server as `$app`; `with |b| …` adjusts the builder first.
#[macro_export]
macro_rules! db_test {
    (async fn $name:ident($app:ident) $body:block) => {
        $crate::db_test!(async fn $name($app) with |b| b, $body);
    };
    (async fn $name:ident($app:ident) with |$b:ident| $setup:expr, $body:block) => {
        mod $name {
            #[allow(unused_imports)]
            use super::*;

            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn sqlite() {
                let $b = $crate::support::TestApp::builder(vitrin::db::Backend::Sqlite);
                if let Some($app) = ($setup).start().await $body
            }

            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn postgres() {
                let $b = $crate::support::TestApp::builder(vitrin::db::Backend::Postgres);
                if let Some($app) = ($setup).start().await $body
            }
        }
    };
}

/// Declares a test that runs once per backend and builds its own server(s) from
/// `$backend` (for tests that need fakes started first, or several servers).
#[macro_export]
macro_rules! backend_test {
    (async fn $name:ident($backend:ident) $body:block) => {
        mod $name {
            #[allow(unused_imports)]
            use super::*;

            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn sqlite() {
                let $backend = vitrin::db::Backend::Sqlite;
                $body
            }

            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn postgres() {
                let $backend = vitrin::db::Backend::Postgres;
                $body
            }
        }
    };
}

/// Declares a test of what only PostgreSQL offers (several instances on one database);
/// it builds its servers with `TestApp::builder(Backend::Postgres)`.
#[macro_export]
macro_rules! postgres_test {
    (async fn $name:ident() $body:block) => {
        #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
        async fn $name() $body
    };
}
