//! `vitrin backup` and `vitrin restore` as a site owner runs them: a backup taken while
//! the server serves restores into a working site; damaged archives, archives from a
//! newer schema and folders that hold data are refused without touching anything.

use std::path::{Path, PathBuf};
use std::process::Output;

use serde_json::{Value, json};
use vitrin::db::Backend;

use crate::postgres_test;
use crate::support::process::{Served, free_port, vitrin};
use crate::support::{ADMIN_EMAIL, ADMIN_PASSWORD, TestApp};

const STATS: &str = "{ stats { completedJobs happyCustomers averageRating contactMessages reviewCount visitCount } }";
const MEDIA: &str = "{ mediaList(first: 50) { edges { node { id url bytes } } } }";

/// `vitrin <args>` on the data of `data_dir` and the database at `database_url`.
fn cli(data_dir: &Path, database_url: &str, args: &[&str]) -> Output {
    let scratch = tempfile::tempdir().unwrap();
    vitrin(scratch.path())
        .env("VITRIN_DATA_DIR", data_dir)
        .env("VITRIN_DATABASE_URL", database_url)
        .args(args)
        .output()
        .unwrap()
}

fn backup(app: &TestApp, archive: &Path) -> Output {
    cli(
        &app.data_dir(),
        app.database_url(),
        &["backup", "--to", archive.to_str().unwrap()],
    )
}

/// Restores `archive` into `dir` on SQLite (the database at `dir/vitrin.db`).
fn restore(dir: &Path, archive: &Path, force: bool) -> Output {
    let mut args = vec!["restore", "--from", archive.to_str().unwrap()];
    if force {
        args.push("--force");
    }
    cli(dir, &sqlite_url(dir), &args)
}

fn sqlite_url(dir: &Path) -> String {
    format!("sqlite://{}", dir.join("vitrin.db").display())
}

fn succeeded(output: &Output) -> String {
    let stdout = String::from_utf8_lossy(&output.stdout).into_owned();
    assert!(
        output.status.success(),
        "{stdout}{}",
        String::from_utf8_lossy(&output.stderr)
    );
    stdout
}

fn refused(output: &Output) -> String {
    assert!(
        !output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stdout)
    );
    String::from_utf8_lossy(&output.stderr).into_owned()
}

/// A site with an admin, an approved review, visits, a contact message and two photos;
/// answers the admin's token.
async fn populated(app: &TestApp) -> String {
    let token = app.admin_token().await;
    let review = json!({ "authorName": "Ayşe K.", "email": "ayse@example.com", "rating": 5, "comment": "Çok memnun kaldık, teşekkürler!" });
    let submitted = app
        .gql(
            None,
            "mutation($i: ReviewInput!) { submitReview(input: $i) { id } }",
            json!({ "i": review }),
        )
        .await;
    let id = submitted["data"]["submitReview"]["id"].clone();
    let approved = app
        .gql(
            Some(&token),
            "mutation($id: ID!) { approveReview(id: $id) { status } }",
            json!({ "id": id }),
        )
        .await;
    assert_eq!(
        approved["data"]["approveReview"]["status"], "APPROVED",
        "{approved}"
    );
    for visitor in ["ziyaretci-1", "ziyaretci-2"] {
        app.gql(
            None,
            "mutation($v: String!) { recordVisit(visitorId: $v) }",
            json!({ "v": visitor }),
        )
        .await;
    }
    let message =
        json!({ "name": "Can", "email": "can@example.com", "message": "Cumartesi açık mısınız?" });
    app.gql(
        None,
        "mutation($i: ContactInput!) { submitContactMessage(input: $i) }",
        json!({ "i": message }),
    )
    .await;
    for fixture in ["photo-exif-rotated.jpg", "small.png"] {
        let uploaded: Value = app
            .upload(&token, fixture, "GALLERY")
            .await
            .json()
            .await
            .unwrap();
        assert!(uploaded["errors"].is_null(), "{uploaded}");
    }
    token
}

/// Every media file the API lists, fetched: (id, bytes).
async fn media_bytes(app: &TestApp, token: &str) -> Vec<(String, Vec<u8>)> {
    let list = app.gql(Some(token), MEDIA, json!({})).await;
    let mut out = Vec::new();
    for edge in list["data"]["mediaList"]["edges"].as_array().unwrap() {
        let url = edge["node"]["url"].as_str().unwrap();
        // The URL names the server it came from; ask this one.
        let path = &url[url.find("/media/").unwrap()..];
        let bytes = app
            .client
            .get(app.url(path))
            .send()
            .await
            .unwrap()
            .bytes()
            .await
            .unwrap();
        out.push((
            edge["node"]["id"].as_str().unwrap().to_owned(),
            bytes.to_vec(),
        ));
    }
    out.sort();
    out
}

async fn restored_app(dir: &Path) -> TestApp {
    TestApp::builder(Backend::Sqlite)
        .env("VITRIN_DATA_DIR", &dir.display().to_string())
        .env("VITRIN_DATABASE_URL", &sqlite_url(dir))
        .start()
        .await
        .expect("a server on the restored folder")
}

/// A finished archive of a populated site, and where it lies.
async fn archive_of_a_populated_site() -> (tempfile::TempDir, PathBuf) {
    let app = TestApp::builder(Backend::Sqlite).start().await.unwrap();
    populated(&app).await;
    let dir = tempfile::tempdir().unwrap();
    let archive = dir.path().join("vitrin.tar");
    succeeded(&backup(&app, &archive));
    (dir, archive)
}

/// Nothing was restored into `dir`: no database, no media, no staging folder left (the
/// lock file a restore takes may stay).
fn untouched(dir: &Path) {
    let left: Vec<_> = std::fs::read_dir(dir)
        .map(|d| {
            d.flatten()
                .map(|e| e.file_name())
                .filter(|n| n != ".vitrin.lock")
                .collect()
        })
        .unwrap_or_default();
    assert!(left.is_empty(), "left behind: {left:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_backup_taken_while_the_server_runs_restores_into_a_working_site() {
    let app = TestApp::builder(Backend::Sqlite).start().await.unwrap();
    let token = populated(&app).await;
    let stats = app.gql(None, STATS, json!({})).await;
    let media = media_bytes(&app, &token).await;
    assert_eq!(media.len(), 2);

    // Readers and a writer keep the server busy while the backup runs.
    let busy = {
        let (client, url, token) = (app.client.clone(), app.url("/graphql"), token.clone());
        tokio::spawn(async move {
            for n in 0.. {
                let _ = client
                    .post(&url)
                    .json(&json!({ "query": STATS }))
                    .send()
                    .await;
                let rename = json!({
                    "query": "mutation($n: String!) { updateProfile(name: $n) { name } }",
                    "variables": { "n": format!("Sahip {n}") },
                });
                let _ = client
                    .post(&url)
                    .bearer_auth(&token)
                    .json(&rename)
                    .send()
                    .await;
            }
        })
    };
    let dir = tempfile::tempdir().unwrap();
    let archive = dir.path().join("vitrin-yedek.tar");
    let output = tokio::task::spawn_blocking({
        let (data, url, archive) = (
            app.data_dir(),
            app.database_url().to_owned(),
            archive.clone(),
        );
        move || cli(&data, &url, &["backup", "--to", archive.to_str().unwrap()])
    })
    .await
    .unwrap();
    busy.abort();
    let said = succeeded(&output);
    assert!(said.contains("2 media file(s)"), "{said}");

    let target = tempfile::tempdir().unwrap();
    let said = succeeded(&restore(target.path(), &archive, false));
    assert!(said.contains("restored"), "{said}");
    let restored = restored_app(target.path()).await;
    let token = restored.login(ADMIN_EMAIL, ADMIN_PASSWORD).await;
    assert_eq!(
        restored.gql(None, STATS, json!({})).await,
        stats,
        "the same numbers"
    );
    assert_eq!(
        media_bytes(&restored, &token).await,
        media,
        "the same media, byte for byte"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_archive_is_readable_by_its_owner_only() {
    let (_dir, archive) = archive_of_a_populated_site().await;
    let mode = std::os::unix::fs::PermissionsExt::mode(
        &std::fs::metadata(&archive).unwrap().permissions(),
    );
    assert_eq!(
        mode & 0o077,
        0,
        "mode {mode:o}: the archive holds password hashes"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_backup_never_overwrites_an_archive() {
    let (_dir, archive) = archive_of_a_populated_site().await;
    let app = TestApp::builder(Backend::Sqlite).start().await.unwrap();
    let before = std::fs::read(&archive).unwrap();
    assert!(refused(&backup(&app, &archive)).contains("already exists"));
    assert_eq!(std::fs::read(&archive).unwrap(), before);
}

/// Rewrites `archive` entry by entry through `edit(name, bytes)`.
fn rewrite(archive: &Path, edit: impl Fn(&str, &mut Vec<u8>)) {
    let mut entries = Vec::new();
    let mut reader = tar::Archive::new(std::fs::File::open(archive).unwrap());
    for entry in reader.entries().unwrap() {
        let mut entry = entry.unwrap();
        let name = entry.path().unwrap().to_str().unwrap().to_owned();
        let mut bytes = Vec::new();
        std::io::Read::read_to_end(&mut entry, &mut bytes).unwrap();
        edit(&name, &mut bytes);
        entries.push((name, bytes));
    }
    let mut builder = tar::Builder::new(std::fs::File::create(archive).unwrap());
    for (name, bytes) in entries {
        let mut header = tar::Header::new_gnu();
        header.set_size(bytes.len() as u64);
        header.set_mode(0o600);
        builder
            .append_data(&mut header, &name, bytes.as_slice())
            .unwrap();
    }
    builder.finish().unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_damaged_archive_is_refused_and_nothing_is_restored() {
    let (_dir, archive) = archive_of_a_populated_site().await;
    rewrite(&archive, |name, bytes| {
        if name.starts_with("media/") && name.ends_with(".png") {
            let middle = bytes.len() / 2;
            bytes[middle] ^= 0x01;
        }
    });
    let target = tempfile::tempdir().unwrap();
    let said = refused(&restore(target.path(), &archive, false));
    assert!(said.contains("does not match its checksum"), "{said}");
    untouched(target.path());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_archive_cut_short_is_refused() {
    let (_dir, archive) = archive_of_a_populated_site().await;
    let bytes = std::fs::read(&archive).unwrap();
    std::fs::write(&archive, &bytes[..bytes.len() / 2]).unwrap();
    let target = tempfile::tempdir().unwrap();
    let said = refused(&restore(target.path(), &archive, false));
    assert!(
        said.contains("damaged") || said.contains("no manifest"),
        "{said}"
    );
    untouched(target.path());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_archive_from_a_newer_schema_is_refused() {
    let (_dir, archive) = archive_of_a_populated_site().await;
    rewrite(&archive, |name, bytes| {
        if name == "manifest.json" {
            let mut manifest: Value = serde_json::from_slice(bytes).unwrap();
            manifest["migration"] = json!("99991231000001");
            *bytes = serde_json::to_vec(&manifest).unwrap();
        }
    });
    let target = tempfile::tempdir().unwrap();
    let said = refused(&restore(target.path(), &archive, false));
    assert!(said.contains("newer Vitrin"), "{said}");
    untouched(target.path());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn restoring_over_existing_data_needs_force() {
    let (_dir, archive) = archive_of_a_populated_site().await;
    let target = tempfile::tempdir().unwrap();
    let other = restored_app(target.path()).await;
    other
        .create_admin("baska@example.com", ADMIN_PASSWORD)
        .await;
    drop(other);
    let said = refused(&restore(target.path(), &archive, false));
    assert!(
        said.contains("already holds data") && said.contains("--force"),
        "{said}"
    );
    let kept = restored_app(target.path()).await;
    kept.login("baska@example.com", ADMIN_PASSWORD).await;
    drop(kept);
    succeeded(&restore(target.path(), &archive, true));
    let replaced = restored_app(target.path()).await;
    replaced.login(ADMIN_EMAIL, ADMIN_PASSWORD).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn with_postgresql_and_cloudinary_there_is_nothing_to_back_up() {
    let dir = tempfile::tempdir().unwrap();
    let archive = dir.path().join("vitrin.tar");
    let output = vitrin(dir.path())
        .env(
            "VITRIN_DATABASE_URL",
            "postgres://postgres@127.0.0.1:1/unreachable",
        )
        .env("VITRIN_CLOUDINARY_URL", "cloudinary://key:secret@demo")
        .args(["backup", "--to", archive.to_str().unwrap()])
        .output()
        .unwrap();
    let said = succeeded(&output);
    assert!(
        said.contains("pg_dump") && said.contains("nothing here to back up"),
        "{said}"
    );
    assert!(!archive.exists());
}

postgres_test!(
    async fn on_postgresql_the_archive_holds_the_media_and_the_database_is_pg_dumps() {
        let Some(app) = TestApp::builder(Backend::Postgres).start().await else {
            return;
        };
        let token = populated(&app).await;
        let media = media_bytes(&app, &token).await;
        let dir = tempfile::tempdir().unwrap();
        let archive = dir.path().join("vitrin.tar");
        let said = succeeded(&backup(&app, &archive));
        assert!(
            said.contains("2 media file(s)") && said.contains("pg_dump"),
            "{said}"
        );

        // The same database, new media folder: as after pg_restore on a new machine.
        let target = tempfile::tempdir().unwrap();
        let said = succeeded(&cli(
            target.path(),
            app.database_url(),
            &["restore", "--from", archive.to_str().unwrap()],
        ));
        assert!(said.contains("pg_restore"), "{said}");
        let restored = TestApp::builder(Backend::Postgres)
            .env("VITRIN_DATABASE_URL", app.database_url())
            .env("VITRIN_DATA_DIR", &target.path().display().to_string())
            .start()
            .await
            .unwrap();
        assert_eq!(media_bytes(&restored, &token).await, media);

        let sqlite_target = tempfile::tempdir().unwrap();
        let said = refused(&restore(sqlite_target.path(), &archive, false));
        assert!(said.contains("no database"), "{said}");
    }
);

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_restore_is_refused_while_a_server_runs_on_the_folder() {
    let (_dir, archive) = archive_of_a_populated_site().await;
    let target = tempfile::tempdir().unwrap();
    let mut command = vitrin(target.path());
    command
        .env("VITRIN_DATA_DIR", target.path())
        .env("VITRIN_DATABASE_URL", sqlite_url(target.path()));
    let server = Served::start(command, free_port()).await;
    let said = refused(&restore(target.path(), &archive, true));
    assert!(
        said.contains("server is running") && said.contains("stop it"),
        "{said}"
    );
    drop(server);
    succeeded(&restore(target.path(), &archive, true));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_forced_restore_leaves_exactly_the_archives_media() {
    let (_dir, archive) = archive_of_a_populated_site().await;
    let target = tempfile::tempdir().unwrap();
    let other = restored_app(target.path()).await;
    let token = other.admin_token().await;
    let uploaded: Value = other
        .upload(&token, "small.webp", "GALLERY")
        .await
        .json()
        .await
        .unwrap();
    assert!(uploaded["errors"].is_null(), "{uploaded}");
    let theirs: Vec<PathBuf> = other
        .media_files()
        .into_iter()
        .map(|(path, _)| path)
        .collect();
    drop(other);
    succeeded(&restore(target.path(), &archive, true));
    let restored = restored_app(target.path()).await;
    let token = restored.login(ADMIN_EMAIL, ADMIN_PASSWORD).await;
    assert_eq!(media_bytes(&restored, &token).await.len(), 2);
    assert!(
        theirs.iter().all(|path| !path.exists()),
        "the replaced site's files are gone"
    );
    let stored = restored
        .count_sql(
            "SELECT (SELECT COUNT(*) FROM media) + (SELECT COUNT(*) FROM media_variants) AS n",
        )
        .await;
    assert_eq!(
        restored.media_files().len() as i64,
        stored,
        "the media folder holds the archive's files only"
    );
}

/// An archive whose entries are `(name, kind, bytes)`, written without the tar crate's
/// path checks (as a hostile archive would be).
/// One tar member: its path, its kind and its bytes.
type Entry<'a> = (&'a str, tar::EntryType, &'a [u8]);

fn hostile_archive(path: &Path, entries: &[Entry]) {
    let mut out = Vec::new();
    for (name, kind, bytes) in entries {
        let mut header = tar::Header::new_old();
        header.as_old_mut().name[..name.len()].copy_from_slice(name.as_bytes());
        header.set_size(bytes.len() as u64);
        header.set_entry_type(*kind);
        header.set_mode(0o644);
        if *kind == tar::EntryType::Symlink {
            header.set_link_name("/etc/passwd").unwrap();
        }
        header.set_cksum();
        out.extend_from_slice(header.as_bytes());
        out.extend_from_slice(bytes);
        out.resize(out.len().div_ceil(512) * 512, 0);
    }
    out.resize(out.len() + 1024, 0);
    std::fs::write(path, out).unwrap();
}

#[test]
fn archives_with_unsafe_or_foreign_entries_are_refused() {
    use tar::EntryType::{Regular, Symlink};
    let dir = tempfile::tempdir().unwrap();
    let archive = dir.path().join("hostile.tar");
    let cases: [(&[Entry], &str); 5] = [
        (&[("../escaped.txt", Regular, b"x")], "unsafe path"),
        (&[("/etc/cron.d/x", Regular, b"x")], "unsafe path"),
        (&[("media/ab/link.jpg", Symlink, b"")], "not a regular file"),
        (&[("etc/passwd", Regular, b"x")], "never does"),
        (
            &[
                ("media/a.jpg", Regular, b"x"),
                ("media/a.jpg", Regular, b"y"),
            ],
            "twice",
        ),
    ];
    for (entries, says) in cases {
        hostile_archive(&archive, entries);
        let target = dir.path().join("target");
        let said = refused(&restore(&target, &archive, false));
        assert!(said.contains(says), "{entries:?}: {said}");
        untouched(&target);
        assert!(!dir.path().join("escaped.txt").exists());
    }
}
