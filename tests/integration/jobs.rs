//! Durable side effects: e-mails are jobs that commit with their cause, survive a
//! killed server and a mail server that is down, run once across instances, and end up
//! dead (and retryable) when they keep failing.

use std::time::{Duration, Instant};

use serde_json::{Value, json};

use crate::backend_test;
use crate::support::mail::{SmtpServer, read_folder};
use crate::support::process::{Served, create_admin, free_port, vitrin};
use crate::support::{ADMIN_EMAIL, ADMIN_PASSWORD, TestApp, TestAppBuilder, error_code};

const CONTACT: &str = "mutation($i: ContactInput!) { submitContactMessage(input: $i) }";
const QUEUE: &str = "{ jobQueue { counts { queued running failed dead } deadJobs { id kind summary attempts lastError } } }";

/// Sends a contact message numbered `n` (forwarded by mail to the contact address).
async fn contact(app: &TestApp, n: usize) -> Value {
    let input = json!({ "name": format!("Ziyaretçi {n}"), "email": "ziyaretci@example.com", "message": format!("Mesaj numarası {n}") });
    app.gql_from(&format!("10.{n}.0.1"), None, CONTACT, json!({ "i": input }))
        .await
}

/// Waits until `inbox` holds at least `n` messages (at most `within`), then answers them.
async fn await_mails(
    inbox: &std::path::Path,
    n: usize,
    within: Duration,
) -> Vec<crate::support::mail::Email> {
    let deadline = Instant::now() + within;
    loop {
        let mails = read_folder(inbox);
        if mails.len() >= n || Instant::now() > deadline {
            return mails;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// The token `/metrics` asks for here: behind a trusted proxy it answers no one else.
const METRICS_TOKEN: &str = "olcum-anahtari-0123456789";

/// A server that mails contact messages to one address, retrying quickly.
fn forwarding(builder: TestAppBuilder, smtp: &SmtpServer) -> TestAppBuilder {
    builder
        .env("VITRIN_TRUSTED_PROXIES", "127.0.0.1")
        .env("VITRIN_METRICS_TOKEN", METRICS_TOKEN)
        .env("VITRIN_CONTACT_EMAIL", "owner@example.com")
        .env("VITRIN_CONTACT_MESSAGES_PER_MINUTE", "1000")
        .env("VITRIN_SMTP_URL", &smtp.url())
        .env("VITRIN_JOB_RETRY_DELAY", "200ms")
        .env("VITRIN_JOB_MAX_RETRY_DELAY", "500ms")
        .env("VITRIN_JOB_POLL_INTERVAL", "100ms")
}

async fn queue(app: &TestApp, token: &str) -> Value {
    let body = app.gql(Some(token), QUEUE, json!({})).await;
    assert!(body["errors"].is_null(), "{body}");
    body["data"]["jobQueue"].clone()
}

async fn wait_for_queue(app: &TestApp, token: &str, done: impl Fn(&Value) -> bool) -> Value {
    let deadline = Instant::now() + Duration::from_secs(15);
    loop {
        let queue = queue(app, token).await;
        if done(&queue) {
            return queue;
        }
        assert!(
            Instant::now() < deadline,
            "the queue never got there: {queue}"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

backend_test!(async fn mail_queued_while_the_mail_server_is_down_arrives_once_when_it_is_up(backend) {
    let smtp = SmtpServer::on_free_port();
    let Some(app) = forwarding(TestApp::builder(backend), &smtp).start().await else { return };
    let token = app.admin_token().await;
    for n in 0..5 {
        assert_eq!(contact(&app, n).await["data"]["submitContactMessage"], true);
    }
    let failing = wait_for_queue(&app, &token, |q| q["counts"]["failed"].as_i64() >= Some(1)).await;
    assert_eq!(failing["counts"]["dead"], 0, "{failing}");
    let smtp = smtp.start();
    await_mails(&smtp.inbox(), 5, Duration::from_secs(15)).await;
    // Anything sent twice would arrive within this second too.
    tokio::time::sleep(Duration::from_secs(1)).await;
    let mails = read_folder(&smtp.inbox());
    let mut numbers: Vec<String> = mails
        .iter()
        .map(|m| m.text.lines().find(|l| l.starts_with("Mesaj numarası")).unwrap_or("").to_owned())
        .collect();
    numbers.sort();
    assert_eq!(numbers, (0..5).map(|n| format!("Mesaj numarası {n}")).collect::<Vec<_>>(), "each message once");
    wait_for_queue(&app, &token, |q| q["counts"] == json!({ "queued": 0, "running": 0, "failed": 0, "dead": 0 })).await;
});

backend_test!(async fn two_instances_on_one_database_send_each_mail_once(backend) {
    let smtp = SmtpServer::on_free_port().start();
    let Some(first) = forwarding(TestApp::builder(backend), &smtp).start().await else { return };
    let second = forwarding(TestApp::builder(backend), &smtp)
        .env("VITRIN_DATABASE_URL", first.database_url())
        .start()
        .await
        .expect("a second instance");
    let sends = (0..40).map(|n| {
        let app = if n % 2 == 0 { &first } else { &second };
        async move { contact(app, n).await }
    });
    for answer in futures_util::future::join_all(sends).await {
        assert_eq!(answer["data"]["submitContactMessage"], true, "{answer}");
    }
    await_mails(&smtp.inbox(), 40, Duration::from_secs(20)).await;
    tokio::time::sleep(Duration::from_secs(1)).await;
    let mails = read_folder(&smtp.inbox());
    let mut numbers: Vec<String> = mails
        .iter()
        .filter_map(|m| m.text.lines().find(|l| l.starts_with("Mesaj numarası")).map(str::to_owned))
        .collect();
    numbers.sort();
    numbers.dedup();
    assert_eq!((mails.len(), numbers.len()), (40, 40), "forty mails, none twice");
});

backend_test!(async fn a_job_that_keeps_failing_is_buried_and_an_admin_can_retry_it(backend) {
    let smtp = SmtpServer::on_free_port();
    let Some(app) = forwarding(TestApp::builder(backend), &smtp).env("VITRIN_JOB_ATTEMPTS", "2").start().await else { return };
    let token = app.admin_token().await;
    contact(&app, 7).await;
    let buried = wait_for_queue(&app, &token, |q| q["counts"]["dead"] == 1).await;
    let dead = &buried["deadJobs"][0];
    assert_eq!(dead["kind"], "mail.send");
    assert_eq!(dead["attempts"], 2);
    assert!(dead["summary"].as_str().unwrap().starts_with("owner@example.com · "), "{dead}");
    assert!(!dead["lastError"].as_str().unwrap().is_empty());
    let metrics = app.client.get(app.url("/metrics")).bearer_auth(METRICS_TOKEN).send().await.unwrap().text().await.unwrap();
    assert!(metrics.contains("vitrin_jobs{state=\"dead\"} 1"), "{metrics}");
    let smtp = smtp.start();
    let retried = app.gql(Some(&token), "mutation($id: ID!) { retryJob(id: $id) }", json!({ "id": dead["id"] })).await;
    assert_eq!(retried["data"]["retryJob"], true, "{retried}");
    let mails = await_mails(&smtp.inbox(), 1, Duration::from_secs(10)).await;
    assert_eq!(mails.len(), 1);
    wait_for_queue(&app, &token, |q| q["counts"]["dead"] == 0 && q["counts"]["queued"] == 0).await;
    let again = app.gql(Some(&token), "mutation($id: ID!) { retryJob(id: $id) }", json!({ "id": dead["id"] })).await;
    assert_eq!(error_code(&again), "NOT_FOUND");
});

backend_test!(async fn a_stopping_instance_hands_back_the_job_it_was_running(backend) {
    // A mail server that accepts connections and never answers: the send hangs.
    let smtp = SmtpServer::on_free_port();
    let _silent = std::net::TcpListener::bind(("127.0.0.1", smtp.port)).unwrap();
    let Some(app) = forwarding(TestApp::builder(backend), &smtp).env("VITRIN_SHUTDOWN_GRACE", "500ms").start().await else { return };
    let token = app.admin_token().await;
    contact(&app, 1).await;
    wait_for_queue(&app, &token, |q| q["counts"]["running"] == 1).await;
    app.app.shutdown().await;
    let n = app.count_sql("SELECT COUNT(*) AS n FROM jobs WHERE state = 'QUEUED' AND attempts = 0 AND locked_by IS NULL").await;
    assert_eq!(n, 1, "the job is back in the queue, its attempt not counted");
});

/// `vitrin serve` on `dir`, mailing through `smtp_url`.
async fn serve(dir: &std::path::Path, port: u16, smtp_url: &str) -> Served {
    let mut command = vitrin(dir);
    command
        .env("VITRIN_SMTP_URL", smtp_url)
        .env("VITRIN_JOB_LEASE", "2s")
        .env("VITRIN_JOB_POLL_INTERVAL", "200ms");
    Served::start(command, port).await
}

/// How many jobs are running, from `/metrics`.
async fn running_jobs(client: &reqwest::Client, server: &Served) -> i64 {
    let text = client
        .get(server.url("/metrics"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    text.lines()
        .find_map(|l| l.strip_prefix("vitrin_jobs{state=\"running\"} "))
        .and_then(|n| n.parse().ok())
        .unwrap_or(0)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_mail_being_sent_when_the_server_is_killed_arrives_once_after_a_restart() {
    let dir = tempfile::tempdir().unwrap();
    assert!(
        create_admin(dir.path(), ADMIN_EMAIL, ADMIN_PASSWORD)
            .status
            .success()
    );

    let smtp = SmtpServer::on_free_port();
    let silent = std::net::TcpListener::bind(("127.0.0.1", smtp.port)).unwrap();
    let port = free_port();
    let client = reqwest::Client::new();
    let mut server = serve(dir.path(), port, &smtp.url()).await;
    let answer: Value = client
        .post(server.url("/graphql"))
        .json(&json!({ "query": "mutation($e: String!) { requestPasswordReset(email: $e) }", "variables": { "e": ADMIN_EMAIL } }))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(answer["data"]["requestPasswordReset"], true, "{answer}");
    let deadline = Instant::now() + Duration::from_secs(15);
    while running_jobs(&client, &server).await != 1 {
        assert!(Instant::now() < deadline, "the mail job never started");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    // Killed in the middle of the send: nothing in memory survives.
    server.kill();
    drop(silent);
    let smtp = smtp.start();
    let mut server = serve(dir.path(), port, &smtp.url()).await;
    await_mails(&smtp.inbox(), 1, Duration::from_secs(20)).await;
    // Past another lease: a second send would have happened by now.
    tokio::time::sleep(Duration::from_secs(3)).await;
    let mails = read_folder(&smtp.inbox());
    server.kill();
    assert_eq!(mails.len(), 1, "the reset mail arrived once");
    assert!(mails[0].subject.contains("Parola sıfırlama"));
    assert!(mails[0].link().contains("#token="));
}

backend_test!(async fn a_confirmation_link_queued_before_a_password_change_is_never_sent(backend) {
    let smtp = SmtpServer::on_free_port();
    let Some(app) = forwarding(TestApp::builder(backend), &smtp).start().await else { return };
    let token = app.admin_token().await;
    let request = "mutation($e: String!, $p: String!) { requestEmailChange(newEmail: $e, currentPassword: $p) }";
    let asked = app.gql(Some(&token), request, json!({ "e": "attacker@example.com", "p": ADMIN_PASSWORD })).await;
    assert_eq!(asked["data"]["requestEmailChange"], true, "{asked}");
    wait_for_queue(&app, &token, |q| q["counts"]["failed"].as_i64() >= Some(1)).await;
    // The owner notices and changes the password: every outstanding link must die.
    let change = "mutation($c: String!, $n: String!) { changePassword(currentPassword: $c, newPassword: $n) }";
    let changed = app.gql(Some(&token), change, json!({ "c": ADMIN_PASSWORD, "n": "yepyeni bir parola 9" })).await;
    assert_eq!(changed["data"]["changePassword"], true, "{changed}");
    let smtp = smtp.start();
    wait_for_queue(&app, &token, |q| q["counts"] == json!({ "queued": 0, "running": 0, "failed": 0, "dead": 0 })).await;
    let mails = read_folder(&smtp.inbox());
    assert!(!mails.iter().any(|m| m.to == "attacker@example.com"), "no confirmation reached the new address");
    assert!(mails.iter().any(|m| m.to == ADMIN_EMAIL && m.subject.contains("Parolanız değiştirildi")));
});

backend_test!(async fn jobs_of_a_kind_this_instance_does_not_know_wait_for_one_that_does(backend) {
    let smtp = SmtpServer::on_free_port().start();
    let Some(app) = forwarding(TestApp::builder(backend), &smtp).start().await else { return };
    app.exec_sql("INSERT INTO jobs (kind, payload, summary, state, attempts, max_attempts, run_at, created_at, updated_at) \
        VALUES ('shop.from-the-future', '{}', 'a newer version''s job', 'QUEUED', 0, 8, 0, 0, 0)").await;
    contact(&app, 3).await;
    await_mails(&smtp.inbox(), 1, Duration::from_secs(10)).await;
    tokio::time::sleep(Duration::from_millis(500)).await;
    let untouched = app.count_sql("SELECT COUNT(*) AS n FROM jobs WHERE kind = 'shop.from-the-future' AND state = 'QUEUED' AND attempts = 0").await;
    assert_eq!(untouched, 1, "not claimed, not buried");
});
