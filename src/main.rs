//! The `vitrin` command: serve (the default), migrate, create-admin, backup, restore,
//! schema.

use std::io::IsTerminal as _;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::Context as _;
use clap::{Parser, Subcommand};
use std::sync::Arc;

use vitrin::app::AppBuilder;
use vitrin::auth::Auth;
use vitrin::auth::passwords::Passwords;
use vitrin::auth::providers::Providers;
use vitrin::clock::SystemClock;
use vitrin::config::Config;
use vitrin::mail::Mailer;
use vitrin::services::Services;

/// Many small short-lived allocations per request and per pushed message: mimalloc
/// serves them faster than the system allocator (benches/stats_fanout.rs measures it).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[derive(Parser)]
#[command(name = "vitrin", version, about = "The Vitrin server")]
struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Subcommand)]
enum Command {
    /// Serve the API, GraphiQL and the dashboard (the default).
    Serve,
    /// Apply the database migrations and exit.
    Migrate,
    /// Create an administrator; the password is read from stdin or prompted for.
    CreateAdmin {
        #[arg(long)]
        email: String,
    },
    /// Write one archive of the database (SQLite) and the local media; safe while the
    /// server runs.
    Backup {
        /// The archive to write (it must not exist yet).
        #[arg(long)]
        to: PathBuf,
    },
    /// Restore an archive into the configured data folder (which must be empty).
    Restore {
        /// The archive to read.
        #[arg(long)]
        from: PathBuf,
        /// Replace the database and media that are there.
        #[arg(long)]
        force: bool,
    },
    /// Fill an empty catalogue with demo products, categories and pictures.
    SeedDemo {
        /// How many products.
        #[arg(long, default_value_t = 200)]
        products: usize,
    },
    /// Print the GraphQL schema (SDL).
    Schema,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    if let Some(Command::Schema) = cli.command {
        print!("{}", vitrin::schema::sdl());
        return ExitCode::SUCCESS;
    }
    let config = match Config::from_env() {
        Ok(config) => config,
        Err(e) => {
            eprintln!("configuration error: {e}");
            return ExitCode::from(2);
        }
    };
    vitrin::telemetry::init(&config);
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("cannot start the async runtime: {e}");
            return ExitCode::FAILURE;
        }
    };
    let result = runtime.block_on(async {
        match cli.command.unwrap_or(Command::Serve) {
            Command::Serve => serve(config).await,
            Command::Migrate => Services::connect(config, Arc::new(SystemClock))
                .await
                .map(|_| println!("migrations applied")),
            Command::CreateAdmin { email } => create_admin(config, &email).await,
            Command::Backup { to } => backup(config, &to).await,
            Command::Restore { from, force } => restore(config, &from, force).await,
            Command::SeedDemo { products } => seed_demo(config, products).await,
            Command::Schema => Ok(()),
        }
    });
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::FAILURE
        }
    }
}

async fn serve(config: Config) -> anyhow::Result<()> {
    let listen = config.listen;
    // Held while serving: a restore refuses to replace files under a running server.
    let _data = vitrin::backup::DataLock::for_serving(&config.data_dir)?;
    let app = AppBuilder::new(config).start().await?;
    let public = app.config().public_url.clone();
    let settings = vitrin::http::server::ServerSettings::from_config(app.config());
    let router = vitrin::app(app.clone());
    let listener = tokio::net::TcpListener::bind(listen)
        .await
        .with_context(|| format!("VITRIN_LISTEN: cannot listen on {listen}"))?;
    tracing::info!(%listen, "vitrin is serving: GraphiQL at {}graphiql", public);
    let stopping = app.clone();
    let shutdown = async move {
        shutdown_signal().await;
        stopping.begin_shutdown();
        let delay = stopping.config().drain_delay;
        if !delay.is_zero() {
            tracing::info!(
                ?delay,
                "not ready any more; serving on while load balancers notice"
            );
            tokio::time::sleep(delay).await;
        }
        stopping.close_websockets();
    };
    vitrin::http::server::serve(listener, router, settings, shutdown).await;
    app.shutdown().await;
    tracing::info!("vitrin stopped");
    Ok(())
}

/// Completes on Ctrl-C or SIGTERM (what service managers and orchestrators send).
async fn shutdown_signal() {
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(e) => {
                tracing::warn!(error = %e, "cannot listen for SIGTERM; stop with Ctrl-C");
                std::future::pending::<()>().await;
            }
        }
    };
    tokio::select! {
        _ = tokio::signal::ctrl_c() => {}
        () = terminate => {}
    }
    tracing::info!("shutting down: finishing the requests in flight");
}

async fn create_admin(config: Config, email: &str) -> anyhow::Result<()> {
    let password = read_password()?;
    let mailer = Mailer::new(&config)?;
    let hashers = config.hash_concurrency;
    let clock = Arc::new(SystemClock);
    let providers = Providers::new(&config, clock.clone())?;
    let svc = Services::connect(config, clock).await?;
    let auth = Auth::new(svc, Passwords::new(hashers)?, mailer, providers);
    match auth.create_admin(email, &password).await {
        Ok(user) => {
            println!("administrator {} created (id {})", user.email, user.id);
            Ok(())
        }
        Err(vitrin::error::AppError::Client { message, .. }) => anyhow::bail!(message),
        Err(e) => anyhow::bail!("{e:?}"),
    }
}

async fn seed_demo(config: Config, products: usize) -> anyhow::Result<()> {
    let app = AppBuilder::new(config).start().await?;
    let seeded = app.catalog.seed_demo(products).await;
    app.shutdown().await;
    match seeded {
        Ok(seeded) => {
            println!(
                "demo catalogue: {} categories, {} products, {} pictures; see {}",
                seeded.categories,
                seeded.products,
                seeded.pictures,
                app.config().public_link("/urunler")
            );
            Ok(())
        }
        Err(vitrin::error::AppError::Client { message, .. }) => anyhow::bail!(message),
        Err(e) => anyhow::bail!("{e:?}"),
    }
}

async fn backup(config: Config, to: &Path) -> anyhow::Result<()> {
    let report = vitrin::backup::create(&config, to).await?;
    if let (Some(archive), Some(manifest)) = (&report.archive, &report.manifest) {
        let bytes: u64 = manifest.files.iter().map(|f| f.bytes).sum();
        let media = manifest
            .files
            .iter()
            .filter(|f| f.path.starts_with("media/"))
            .count();
        let database = if manifest.database {
            format!("the database (schema {}) and ", manifest.migration)
        } else {
            String::new()
        };
        println!(
            "backup written to {}: {database}{media} media file(s), {bytes} bytes",
            archive.display()
        );
    }
    for note in &report.notes {
        println!("note: {note}");
    }
    Ok(())
}

async fn restore(config: Config, from: &Path, force: bool) -> anyhow::Result<()> {
    let report = vitrin::backup::restore(&config, from, force).await?;
    let manifest = &report.manifest;
    println!(
        "restored {} into {} (taken {} by Vitrin {}, schema {}); start the server with `vitrin serve`",
        from.display(),
        config.data_dir.display(),
        manifest.created_at.format("%Y-%m-%d %H:%M UTC"),
        manifest.vitrin_version,
        manifest.migration
    );
    for note in &report.notes {
        println!("note: {note}");
    }
    Ok(())
}

fn read_password() -> anyhow::Result<String> {
    if std::io::stdin().is_terminal() {
        let first = rpassword::prompt_password("Password: ")?;
        let second = rpassword::prompt_password("Repeat the password: ")?;
        anyhow::ensure!(first == second, "the passwords differ");
        Ok(first)
    } else {
        // The first line only, as `passwd --stdin` and `docker login --password-stdin`
        // read it: `printf 'pw\npw\n' | vitrin create-admin` means the password `pw`.
        let mut line = String::new();
        std::io::stdin()
            .read_line(&mut line)
            .context("reading the password from stdin")?;
        Ok(line.trim_end_matches(['\r', '\n']).to_owned())
    }
}
