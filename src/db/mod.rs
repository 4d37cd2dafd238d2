//! Database access for both backends: pools, transactions and the dispatch that lets
//! query code be written once. Backend-specific SQL stays inside this module.

pub mod addresses;
pub mod carts;
pub mod categories;
pub mod contact_messages;
pub mod coupons;
pub mod events;
pub mod external_clicks;
pub mod favorites;
pub mod identities;
pub mod jobs;
pub mod media;
pub mod orders;
pub mod product_media;
pub mod product_shares;
pub mod products;
pub mod review_photos;
pub mod review_votes;
pub mod reviews;
pub mod schema;
pub mod sessions;
pub mod shop_settings;
pub mod stats;
pub mod throttle;
pub mod tokens;
pub mod users;

use std::future::Future;
use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use diesel::connection::{Instrumentation, InstrumentationEvent, SimpleConnection};
use diesel::result::{DatabaseErrorKind, Error as DieselError};
use diesel::{Connection, SqliteConnection};
use diesel_async::async_connection_wrapper::AsyncConnectionWrapper;
use diesel_async::pooled_connection::deadpool::{Object, Pool};
use diesel_async::pooled_connection::{
    AsyncDieselConnectionManager, ManagerConfig, RecyclingMethod,
};
use diesel_async::sync_connection_wrapper::SyncConnectionWrapper;
use diesel_async::{AsyncConnection, AsyncPgConnection, TransactionManager};
use diesel_migrations::{EmbeddedMigrations, MigrationHarness, embed_migrations};
use futures_util::FutureExt;

/// The SQLite connection as diesel-async drives it (a sync connection on blocking threads).
pub type SqliteConn = SyncConnectionWrapper<SqliteConnection>;

const SQLITE_MIGRATIONS: EmbeddedMigrations = embed_migrations!("migrations/sqlite");
const POSTGRES_MIGRATIONS: EmbeddedMigrations = embed_migrations!("migrations/postgres");

/// Per-connection SQLite settings: wait for locks instead of failing, WAL so readers never
/// block the writer, and foreign keys enforced (SQLite leaves them off by default).
const SQLITE_PRAGMAS: &str = "PRAGMA busy_timeout = 10000; PRAGMA journal_mode = WAL; \
     PRAGMA synchronous = NORMAL; PRAGMA foreign_keys = ON;";

/// A database failure below the domain: always an internal error for clients.
#[derive(Debug, thiserror::Error)]
pub enum DbError {
    #[error(transparent)]
    Query(#[from] DieselError),
    #[error("database connection: {0}")]
    Pool(String),
    #[error("database migration failed: {0}")]
    Migration(String),
}

/// Which database the server runs on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

/// A borrowed connection of either backend; query functions take `&mut Conn`.
pub enum Conn<'a> {
    Sqlite(&'a mut SqliteConn),
    Pg(&'a mut AsyncPgConnection),
}

/// Runs the same diesel expression on whichever backend `conn` (a `&mut Conn`) holds.
macro_rules! with_conn {
    ($conn:expr, |$c:ident| $body:expr) => {
        match $conn {
            $crate::db::Conn::Sqlite($c) => {
                let $c = &mut **$c;
                $body
            }
            $crate::db::Conn::Pg($c) => {
                let $c = &mut **$c;
                $body
            }
        }
    };
}
pub(crate) use with_conn;

/// A connection checked out of a pool.
#[expect(
    clippy::large_enum_variant,
    reason = "held briefly on the stack; boxing would allocate per checkout"
)]
pub enum Pooled {
    Sqlite(Object<SqliteConn>),
    Pg(Object<AsyncPgConnection>),
}

impl Pooled {
    /// Borrows the connection for query functions.
    pub fn conn(&mut self) -> Conn<'_> {
        match self {
            Pooled::Sqlite(c) => Conn::Sqlite(c),
            Pooled::Pg(c) => Conn::Pg(c),
        }
    }
}

enum Pools {
    /// SQLite allows one writer at a time: a single write connection queues writers in
    /// the pool (fairly, without busy-waiting) while readers use WAL snapshots.
    Sqlite {
        read: Pool<SqliteConn>,
        write: Pool<SqliteConn>,
    },
    Pg(Pool<AsyncPgConnection>),
}

/// The database: pools plus the backend they talk to.
#[derive(Clone)]
pub struct Db {
    pools: Arc<Pools>,
    url: Arc<str>,
    queries: QueryCounter,
}

/// Counts the statements this instance's connections run (`vitrin_db_queries_total`;
/// tests use it to prove a page costs the same number of queries at any size).
#[derive(Clone, Default)]
struct QueryCounter(Arc<AtomicU64>);

impl Instrumentation for QueryCounter {
    fn on_connection_event(&mut self, event: InstrumentationEvent<'_>) {
        if let InstrumentationEvent::StartQuery { .. } = event {
            self.0.fetch_add(1, Ordering::Relaxed);
        }
    }
}

impl Db {
    /// Opens pools for `url` (`sqlite://path` or `postgres://…`) and checks that a
    /// connection can be made.
    pub async fn connect(url: &str, pool_size: usize) -> Result<Db, DbError> {
        let queries = QueryCounter::default();
        let pools = if let Some(path) = sqlite_path(url) {
            if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
                std::fs::create_dir_all(parent).map_err(|e| {
                    DbError::Pool(format!("cannot create {}: {e}", parent.display()))
                })?;
            }
            let path = path.to_string_lossy();
            Pools::Sqlite {
                read: sqlite_pool(&path, pool_size, &queries)?,
                write: sqlite_pool(&path, 1, &queries)?,
            }
        } else {
            let mut config = ManagerConfig::<AsyncPgConnection>::default();
            let counter = queries.clone();
            config.custom_setup = Box::new(move |url| {
                let (url, counter) = (url.to_owned(), counter.clone());
                async move {
                    let mut conn = AsyncPgConnection::establish(&url).await?;
                    conn.set_instrumentation(counter);
                    Ok(conn)
                }
                .boxed()
            });
            let manager =
                AsyncDieselConnectionManager::<AsyncPgConnection>::new_with_config(url, config);
            Pools::Pg(
                Pool::builder(manager)
                    .max_size(pool_size)
                    .build()
                    .map_err(|e| DbError::Pool(e.to_string()))?,
            )
        };
        let db = Db {
            pools: Arc::new(pools),
            url: url.into(),
            queries,
        };
        db.write().await?;
        Ok(db)
    }

    /// The backend in use.
    pub fn backend(&self) -> Backend {
        match *self.pools {
            Pools::Sqlite { .. } => Backend::Sqlite,
            Pools::Pg(_) => Backend::Postgres,
        }
    }

    /// The URL the pools connect to (PostgreSQL's LISTEN needs its own connection).
    pub fn url(&self) -> &str {
        &self.url
    }

    /// How many statements this instance has run so far.
    pub fn queries(&self) -> u64 {
        self.queries.0.load(Ordering::Relaxed)
    }

    /// A connection for reads.
    pub async fn read(&self) -> Result<Pooled, DbError> {
        match &*self.pools {
            Pools::Sqlite { read, .. } => Ok(Pooled::Sqlite(read.get().await.map_err(pool_error)?)),
            Pools::Pg(pool) => Ok(Pooled::Pg(pool.get().await.map_err(pool_error)?)),
        }
    }

    /// A connection for writes outside an explicit transaction.
    pub async fn write(&self) -> Result<Pooled, DbError> {
        match &*self.pools {
            Pools::Sqlite { write, .. } => {
                Ok(Pooled::Sqlite(write.get().await.map_err(pool_error)?))
            }
            Pools::Pg(pool) => Ok(Pooled::Pg(pool.get().await.map_err(pool_error)?)),
        }
    }

    /// Runs `work` in a write transaction: commits when it answers `Ok`, rolls back when it
    /// answers `Err`, and only after a successful commit runs the effects `work`
    /// registered with [`Tx::after_commit`] (cache invalidation, event publication, job
    /// wake-up). The one way this code base writes a transaction:
    ///
    /// ```ignore
    /// let row = db.transaction(async |tx| {
    ///     let row = rows::insert(&mut tx.conn(), &new).await?;
    ///     events.publish_on_commit(tx, TOPIC).await?;
    ///     Ok::<_, AppError>(row)
    /// }).await?;
    /// ```
    ///
    /// A transaction whose future is dropped half-way (a cancelled request) leaves its
    /// connection marked broken; the pool discards it, which rolls the work back.
    pub async fn transaction<T, E, F>(&self, work: F) -> Result<T, E>
    where
        for<'t> F: AsyncFnOnce(&'t mut Tx) -> Result<T, E>
            + TxWork<&'t mut Tx, Result<T, E>, Fut: Send>
            + Send,
        E: From<DbError>,
    {
        let mut tx = self.begin().await?;
        match work(&mut tx).await {
            Ok(value) => {
                // Committed and followed through in a task of its own: a caller dropped
                // during the commit (a websocket that closed) must not lose what follows.
                let committed = tokio::spawn(async move {
                    for effect in tx.commit().await? {
                        effect();
                    }
                    Ok::<_, DbError>(())
                });
                committed
                    .await
                    .map_err(|e| DbError::Pool(format!("committing failed: {e}")))??;
                Ok(value)
            }
            Err(e) => {
                if let Err(rollback) = tx.rollback().await {
                    tracing::warn!(error = %rollback, "rollback failed; the connection is discarded");
                }
                Err(e)
            }
        }
    }

    /// Starts a write transaction (`BEGIN IMMEDIATE` on SQLite, so it never has to
    /// upgrade a read lock and fail with "database is locked" under contention).
    async fn begin(&self) -> Result<Tx, DbError> {
        let mut pooled = self.write().await?;
        match &mut pooled {
            Pooled::Sqlite(c) => {
                c.spawn_blocking(|c| {
                    diesel::connection::AnsiTransactionManager::begin_transaction_sql(
                        c,
                        "BEGIN IMMEDIATE",
                    )
                })
                .await?
            }
            Pooled::Pg(c) => {
                <AsyncPgConnection as AsyncConnection>::TransactionManager::begin_transaction(
                    &mut **c,
                )
                .await?
            }
        }
        Ok(Tx {
            pooled,
            after_commit: Vec::new(),
        })
    }

    /// Writes a consistent copy of the SQLite database to `path` (`VACUUM INTO`: safe
    /// while others read and write; `path` must not exist).
    pub async fn copy_sqlite_into(&self, path: &Path) -> Result<(), DbError> {
        let Pools::Sqlite { read, .. } = &*self.pools else {
            return Err(DbError::Pool(
                "only a SQLite database can be copied".to_owned(),
            ));
        };
        let mut conn = read.get().await.map_err(pool_error)?;
        diesel_async::RunQueryDsl::execute(
            diesel::sql_query("VACUUM INTO ?")
                .bind::<diesel::sql_types::Text, _>(path.to_string_lossy().into_owned()),
            &mut *conn,
        )
        .await?;
        Ok(())
    }

    /// The newest migration this binary brings for its backend (its version, such as
    /// `20261130000009`).
    pub fn latest_migration(&self) -> String {
        latest_migration(self.backend())
    }

    /// The newest migration applied to the database, if any.
    pub async fn applied_migration(&self) -> Result<Option<String>, DbError> {
        #[derive(diesel::QueryableByName)]
        struct Applied {
            #[diesel(sql_type = diesel::sql_types::Nullable<diesel::sql_types::Text>)]
            version: Option<String>,
        }
        let mut pooled = self.read().await?;
        let mut conn = pooled.conn();
        let query = "SELECT MAX(version) AS version FROM __diesel_schema_migrations";
        let applied: Applied = with_conn!(&mut conn, |c| diesel_async::RunQueryDsl::get_result(
            diesel::sql_query(query),
            c
        )
        .await)?;
        Ok(applied.version)
    }

    /// Applies the embedded migrations of this backend.
    pub async fn migrate(&self) -> Result<(), DbError> {
        match &*self.pools {
            Pools::Sqlite { write, .. } => {
                let mut conn = write.get().await.map_err(pool_error)?;
                conn.spawn_blocking(|c| {
                    c.run_pending_migrations(SQLITE_MIGRATIONS)
                        .map(|_| ())
                        .map_err(DieselError::QueryBuilderError)
                })
                .await
                .map_err(|e| DbError::Migration(e.to_string()))
            }
            Pools::Pg(_) => {
                let url = self.url.to_string();
                // The migration harness is synchronous: run it on a blocking thread through
                // the async connection wrapper, which keeps the binary free of libpq.
                tokio::task::spawn_blocking(move || {
                    let mut conn =
                        <AsyncConnectionWrapper<AsyncPgConnection> as Connection>::establish(&url)
                            .map_err(|e| DbError::Migration(e.to_string()))?;
                    conn.run_pending_migrations(POSTGRES_MIGRATIONS)
                        .map(|_| ())
                        .map_err(|e| DbError::Migration(e.to_string()))
                })
                .await
                .map_err(|e| DbError::Migration(e.to_string()))?
            }
        }
    }
}

/// The file of a `sqlite://path` database URL.
pub fn sqlite_path(url: &str) -> Option<&Path> {
    url.strip_prefix("sqlite://").map(Path::new)
}

/// The newest migration this binary brings for `backend`.
pub fn latest_migration(backend: Backend) -> String {
    use diesel::migration::MigrationSource;
    let versions = match backend {
        Backend::Sqlite => {
            MigrationSource::<diesel::sqlite::Sqlite>::migrations(&SQLITE_MIGRATIONS)
                .map(|all| all.iter().map(|m| m.name().version().to_string()).collect())
        }
        Backend::Postgres => MigrationSource::<diesel::pg::Pg>::migrations(&POSTGRES_MIGRATIONS)
            .map(|all| all.iter().map(|m| m.name().version().to_string()).collect()),
    };
    versions
        .unwrap_or_else(|_| Vec::new())
        .into_iter()
        .max()
        .unwrap_or_default()
}

fn sqlite_pool(
    path: &str,
    size: usize,
    queries: &QueryCounter,
) -> Result<Pool<SqliteConn>, DbError> {
    let mut config = ManagerConfig::<SqliteConn>::default();
    // A connection to a local file cannot be dropped by a server: the test query the
    // default recycling runs on every checkout would only add a blocking hop.
    config.recycling_method = RecyclingMethod::Fast;
    let counter = queries.clone();
    config.custom_setup = Box::new(move |url| {
        let (url, counter) = (url.to_owned(), counter.clone());
        async move {
            let mut conn = SqliteConn::establish(&url).await?;
            conn.set_instrumentation(counter);
            conn.spawn_blocking(|c| c.batch_execute(SQLITE_PRAGMAS))
                .await
                .map_err(diesel::ConnectionError::CouldntSetupConfiguration)?;
            Ok(conn)
        }
        .boxed()
    });
    let manager = AsyncDieselConnectionManager::<SqliteConn>::new_with_config(path, config);
    Pool::builder(manager)
        .max_size(size)
        .build()
        .map_err(|e| DbError::Pool(e.to_string()))
}

fn pool_error(e: diesel_async::pooled_connection::deadpool::PoolError) -> DbError {
    DbError::Pool(e.to_string())
}

/// The future of a transaction's work is `Send` (the bound `Db::transaction` needs; the
/// same device diesel-async uses, as async closures cannot name their futures yet).
pub trait TxWork<T, R>: AsyncFnOnce(T) -> R + FnOnce(T) -> <Self as TxWork<T, R>>::Fut {
    /// The future the work returns.
    type Fut: Future<Output = R>;
}

impl<F, T, Fut, R> TxWork<T, R> for F
where
    F: AsyncFnOnce(T) -> R + FnOnce(T) -> Fut,
    Fut: Future<Output = R>,
{
    type Fut = Fut;
}

/// Something to do once a transaction has committed.
type Effect = Box<dyn FnOnce() + Send>;

/// An open write transaction holding its connection.
pub struct Tx {
    pooled: Pooled,
    after_commit: Vec<Effect>,
}

impl Tx {
    /// Borrows the transaction's connection for query functions.
    pub fn conn(&mut self) -> Conn<'_> {
        self.pooled.conn()
    }

    /// Runs `effect` once the transaction has committed; never if it rolls back.
    pub fn after_commit(&mut self, effect: impl FnOnce() + Send + 'static) {
        self.after_commit.push(Box::new(effect));
    }

    async fn commit(mut self) -> Result<Vec<Effect>, DbError> {
        match &mut self.pooled {
            Pooled::Sqlite(c) => {
                <SqliteConn as AsyncConnection>::TransactionManager::commit_transaction(&mut **c)
                    .await?
            }
            Pooled::Pg(c) => {
                <AsyncPgConnection as AsyncConnection>::TransactionManager::commit_transaction(
                    &mut **c,
                )
                .await?
            }
        }
        Ok(std::mem::take(&mut self.after_commit))
    }

    async fn rollback(mut self) -> Result<(), DbError> {
        match &mut self.pooled {
            Pooled::Sqlite(c) => {
                <SqliteConn as AsyncConnection>::TransactionManager::rollback_transaction(&mut **c)
                    .await?
            }
            Pooled::Pg(c) => {
                <AsyncPgConnection as AsyncConnection>::TransactionManager::rollback_transaction(
                    &mut **c,
                )
                .await?
            }
        }
        Ok(())
    }
}

/// A page of a list ordered by descending id: rows with ids below `after`, at most `limit`.
#[derive(Debug, Clone, Copy)]
pub struct Page {
    pub after: Option<i64>,
    pub limit: i64,
}

impl Page {
    /// How many rows to fetch: one more than the page, to learn whether another follows.
    pub fn fetch(&self) -> i64 {
        self.limit + 1
    }
}

/// `text` with SQL LIKE's wildcards escaped (for `LIKE … ESCAPE '\'`).
pub fn escape_like(text: &str) -> String {
    let mut escaped = String::with_capacity(text.len());
    for c in text.chars() {
        if matches!(c, '%' | '_' | '\\') {
            escaped.push('\\');
        }
        escaped.push(c);
    }
    escaped
}

/// Whether a query failed on a unique constraint.
pub fn is_unique_violation(e: &DieselError) -> bool {
    matches!(
        e,
        DieselError::DatabaseError(DatabaseErrorKind::UniqueViolation, _)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn like_wildcards_are_escaped() {
        assert_eq!(escape_like("50%_a\\b"), "50\\%\\_a\\\\b");
    }
}
