//! The `vitrin` command line.

use std::process::Stdio;

use crate::support::process::{create_admin, free_port, vitrin};

#[test]
fn create_admin_reads_the_password_from_stdin_and_creates_the_sqlite_file() {
    let dir = tempfile::tempdir().unwrap();
    let output = create_admin(dir.path(), "Owner@Example.com", "kirmizi bisiklet 42");
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(String::from_utf8_lossy(&output.stdout).contains("owner@example.com"));
    assert!(dir.path().join("data/vitrin.db").exists());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn create_admin_reads_only_the_first_line_of_stdin() {
    let dir = tempfile::tempdir().unwrap();
    let output = create_admin(
        dir.path(),
        "owner@example.com",
        "kirmizi bisiklet 42\nkirmizi bisiklet 42",
    );
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let database = format!("sqlite://{}", dir.path().join("data/vitrin.db").display());
    let app = crate::support::TestApp::builder(vitrin::db::Backend::Sqlite)
        .env("VITRIN_DATABASE_URL", &database)
        .start()
        .await
        .unwrap();
    app.login("owner@example.com", "kirmizi bisiklet 42").await;
}

#[test]
fn create_admin_refuses_a_common_password_clearly() {
    let dir = tempfile::tempdir().unwrap();
    let output = create_admin(dir.path(), "owner@example.com", "password1");
    assert!(!output.status.success());
    assert!(String::from_utf8_lossy(&output.stderr).contains("commonly used"));
}

#[test]
fn bad_configuration_fails_with_one_line_naming_the_variable() {
    let dir = tempfile::tempdir().unwrap();
    let output = vitrin(dir.path())
        .arg("migrate")
        .env("VITRIN_LISTEN", "not-an-address")
        .output()
        .unwrap();
    assert!(!output.status.success());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    assert!(stderr.contains("VITRIN_LISTEN"), "{stderr}");
}

#[test]
fn schema_prints_the_sdl() {
    let dir = tempfile::tempdir().unwrap();
    let output = vitrin(dir.path()).arg("schema").output().unwrap();
    assert!(output.status.success());
    assert_eq!(
        String::from_utf8_lossy(&output.stdout),
        vitrin::schema::sdl()
    );
}

#[test]
fn json_logs_are_one_object_per_line() {
    let dir = tempfile::tempdir().unwrap();
    let port = free_port();
    let mut child = vitrin(dir.path())
        .arg("serve")
        .env("VITRIN_LISTEN", format!("127.0.0.1:{port}"))
        .env("VITRIN_LOG", "info")
        .env("VITRIN_LOG_FORMAT", "json")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let stdout = child.stdout.take().unwrap();
    let line = std::io::BufRead::lines(std::io::BufReader::new(stdout))
        .next()
        .unwrap()
        .unwrap();
    let _ = child.kill();
    let _ = child.wait();
    let entry: serde_json::Value =
        serde_json::from_str(&line).unwrap_or_else(|e| panic!("{e}: {line}"));
    assert_eq!(entry["level"], "INFO");
    assert!(
        entry["message"]
            .as_str()
            .unwrap()
            .contains("vitrin is serving"),
        "{entry}"
    );
}
