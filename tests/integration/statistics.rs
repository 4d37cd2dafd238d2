//! Live statistics: the exact rules, moderation, visits, contact messages, counters
//! under concurrency, live pushes (one instance and two processes on PostgreSQL).

use std::time::Duration;

use serde_json::{Value, json};

use crate::db_test;
use crate::support::mail::wait_for;
use crate::support::ws::WsClient;
use crate::support::{ADMIN_EMAIL, TestApp, error_code};

const STATS: &str = "{ stats { completedJobs happyCustomers averageRating satisfactionPercent yearsOfExperience contactMessages reviewCount visitCount updatedAt } }";
const SUBMIT: &str = "mutation($i: ReviewInput!) { submitReview(input: $i) { id status } }";
const VISIT: &str = "mutation($v: String!) { recordVisit(visitorId: $v) }";
const SETTINGS: &str = "mutation($i: StatSettingsInput!) { updateStatSettings(input: $i) { completedJobsBase happyCustomersBase contactMessagesBase foundedYear happyThreshold autoApproveReviews countReviewsAsJobs countVisitsAsJobs } }";

async fn stats(app: &TestApp) -> Value {
    let body = app.gql(None, STATS, json!({})).await;
    assert!(body["errors"].is_null(), "{body}");
    body["data"]["stats"].clone()
}

/// Submits a review from its own client address and returns its id.
async fn submit_review(app: &TestApp, client: &str, rating: i32) -> String {
    let review = json!({ "authorName": "Ayşe K.", "email": "ayse@example.com", "rating": rating, "comment": "Çok memnun kaldık, teşekkürler!" });
    let body = app
        .gql_from(client, None, SUBMIT, json!({ "i": review }))
        .await;
    body["data"]["submitReview"]["id"]
        .as_str()
        .unwrap_or_else(|| panic!("{body}"))
        .to_owned()
}

async fn moderate(app: &TestApp, token: &str, action: &str, id: &str) -> Value {
    let field = if action == "deleteReview" {
        action.to_owned()
    } else {
        format!("{action}(id: $id) {{ status }}")
    };
    let query = if action == "deleteReview" {
        "mutation($id: ID!) { deleteReview(id: $id) }".to_owned()
    } else {
        format!("mutation($id: ID!) {{ {field} }}")
    };
    app.gql(Some(token), &query, json!({ "id": id })).await
}

fn proxied(b: crate::support::TestAppBuilder) -> crate::support::TestAppBuilder {
    b.env("VITRIN_TRUSTED_PROXIES", "127.0.0.1")
}

/// A site busier than the global per-minute caps allow by default, with every request
/// coming through this one test client.
fn busy(b: crate::support::TestAppBuilder) -> crate::support::TestAppBuilder {
    proxied(b)
        .env("VITRIN_MAX_CONNECTIONS_PER_CLIENT", "2000")
        .env("VITRIN_VISITS_PER_MINUTE", "5000")
        .env("VITRIN_REVIEWS_PER_MINUTE", "5000")
        .env("VITRIN_CONTACT_MESSAGES_PER_MINUTE", "5000")
}

db_test!(async fn the_numbers_follow_the_published_rules(app) with |b| proxied(b), {
    let token = app.admin_token().await;
    let settings = json!({ "completedJobsBase": 100, "happyCustomersBase": 40, "contactMessagesBase": 5, "foundedYear": 2015, "happyThreshold": 3 });
    assert!(app.gql(Some(&token), SETTINGS, json!({ "i": settings })).await["errors"].is_null());
    for (i, rating) in [5, 4, 2, 1].into_iter().enumerate() {
        let id = submit_review(&app, &format!("198.51.100.{i}"), rating).await;
        moderate(&app, &token, "approveReview", &id).await;
    }
    submit_review(&app, "198.51.100.9", 5).await;
    for visitor in ["v-1", "v-2", "v-1"] {
        app.gql_from("203.0.113.5", None, VISIT, json!({ "v": visitor })).await;
    }
    let message = json!({ "name": "Mehmet", "email": "mehmet@example.com", "message": "Merhaba, fiyat alabilir miyim?" });
    assert_eq!(app.gql(None, "mutation($i: ContactInput!) { submitContactMessage(input: $i) }", json!({ "i": message })).await["data"]["submitContactMessage"], true);
    let s = stats(&app).await;
    assert_eq!(s["completedJobs"], 100 + 4 + 2);
    assert_eq!(s["happyCustomers"], 40 + 2, "ratings 5 and 4 reach the threshold 3");
    assert_eq!(s["averageRating"], 3.0);
    assert_eq!(s["satisfactionPercent"], 60.0);
    let year = chrono::Utc::now().with_timezone(&chrono_tz::Europe::Istanbul).format("%Y").to_string().parse::<i64>().unwrap();
    assert_eq!(s["yearsOfExperience"], year - 2015);
    assert_eq!(s["contactMessages"], 6);
    assert_eq!(s["reviewCount"], 4);
    assert_eq!(s["visitCount"], 2);
    let off = json!({ "countReviewsAsJobs": false, "countVisitsAsJobs": false });
    let changed = app.gql(Some(&token), SETTINGS, json!({ "i": off })).await;
    assert_eq!(changed["data"]["updateStatSettings"]["completedJobsBase"], 100, "omitted fields stay");
    assert_eq!(stats(&app).await["completedJobs"], 100);
});

db_test!(async fn with_no_reviews_the_rating_is_zero(app) {
    let s = stats(&app).await;
    assert_eq!(s["averageRating"], 0.0);
    assert_eq!(s["satisfactionPercent"], 0.0);
    assert_eq!(s["completedJobs"], 0);
});

db_test!(async fn a_submitted_review_waits_for_moderation_and_stays_private(app) {
    let token = app.admin_token().await;
    let body = app.gql(None, SUBMIT, json!({ "i": { "authorName": "Ali", "rating": 5, "comment": "Harika" } })).await;
    assert_eq!(body["data"]["submitReview"]["status"], "PENDING");
    assert_eq!(stats(&app).await["reviewCount"], 0);
    let public = app.gql(None, "{ publicReviews { totalCount edges { node { authorName } } } }", json!({})).await;
    assert_eq!(public["data"]["publicReviews"]["totalCount"], 0);
    let pending = app.gql(Some(&token), "{ reviews(status: PENDING) { totalCount edges { node { authorName status } } } }", json!({})).await;
    assert_eq!(pending["data"]["reviews"]["totalCount"], 1);
    let leak = app.gql(None, "{ publicReviews { edges { node { email } } } }", json!({})).await;
    assert!(leak["errors"][0]["message"].as_str().unwrap().contains("Unknown field \"email\""), "{leak}");
});

db_test!(async fn auto_approval_publishes_and_counts_at_once(app) {
    let token = app.admin_token().await;
    app.gql(Some(&token), SETTINGS, json!({ "i": { "autoApproveReviews": true } })).await;
    let body = app.gql(None, SUBMIT, json!({ "i": { "authorName": "Ali", "rating": 4, "comment": "İyi" } })).await;
    assert_eq!(body["data"]["submitReview"]["status"], "APPROVED");
    assert_eq!(stats(&app).await["reviewCount"], 1);
});

db_test!(async fn rejecting_or_deleting_an_approved_review_moves_the_numbers_back(app) with |b| proxied(b), {
    let token = app.admin_token().await;
    let a = submit_review(&app, "198.51.100.1", 5).await;
    let b = submit_review(&app, "198.51.100.2", 3).await;
    moderate(&app, &token, "approveReview", &a).await;
    moderate(&app, &token, "approveReview", &a).await;
    moderate(&app, &token, "approveReview", &b).await;
    assert_eq!(stats(&app).await["reviewCount"], 2, "approving twice counts once");
    assert_eq!(moderate(&app, &token, "rejectReview", &a).await["data"]["rejectReview"]["status"], "REJECTED");
    let s = stats(&app).await;
    assert_eq!((s["reviewCount"].clone(), s["averageRating"].clone()), (json!(1), json!(3.0)));
    assert_eq!(moderate(&app, &token, "deleteReview", &b).await["data"]["deleteReview"], true);
    assert_eq!(stats(&app).await["reviewCount"], 0);
    assert_eq!(error_code(&moderate(&app, &token, "deleteReview", &b).await), "NOT_FOUND");
    assert_eq!(error_code(&moderate(&app, &token, "approveReview", "999999").await), "NOT_FOUND");
    assert_eq!(error_code(&moderate(&app, &token, "approveReview", "nope").await), "BAD_USER_INPUT");
});

db_test!(async fn bad_reviews_are_refused_clearly(app) {
    for review in [
        json!({ "authorName": "", "rating": 5, "comment": "x" }),
        json!({ "authorName": "Ali", "rating": 6, "comment": "x" }),
        json!({ "authorName": "Ali", "rating": 0, "comment": "x" }),
        json!({ "authorName": "Ali", "rating": 5, "comment": "" }),
        json!({ "authorName": "Ali", "rating": 5, "comment": "x".repeat(2001) }),
        json!({ "authorName": "Ali", "email": "not-an-address", "rating": 5, "comment": "x" }),
    ] {
        assert_eq!(error_code(&app.gql(None, SUBMIT, json!({ "i": review })).await), "BAD_USER_INPUT", "{review}");
    }
    assert_eq!(app.count_sql("SELECT COUNT(*) AS n FROM reviews").await, 0);
});

db_test!(async fn reviews_are_throttled_per_address(app) {
    for _ in 0..3 {
        assert!(app.gql(None, SUBMIT, json!({ "i": { "authorName": "Ali", "rating": 5, "comment": "x" } })).await["errors"].is_null());
    }
    let body = app.gql(None, SUBMIT, json!({ "i": { "authorName": "Ali", "rating": 5, "comment": "x" } })).await;
    assert_eq!(error_code(&body), "RATE_LIMITED");
});

db_test!(async fn a_visitor_counts_once_per_istanbul_day(app) {
    app.clock.set(chrono::DateTime::parse_from_rfc3339("2026-03-10T20:30:00Z").unwrap().into());
    assert_eq!(app.gql(None, VISIT, json!({ "v": "visitor-a" })).await["data"]["recordVisit"], true);
    assert_eq!(app.gql(None, VISIT, json!({ "v": "visitor-a" })).await["data"]["recordVisit"], false);
    // 21:00 UTC is midnight in Istanbul (UTC+3): a new day there.
    app.clock.set(chrono::DateTime::parse_from_rfc3339("2026-03-10T21:00:01Z").unwrap().into());
    assert_eq!(app.gql(None, VISIT, json!({ "v": "visitor-a" })).await["data"]["recordVisit"], true);
    assert_eq!(stats(&app).await["visitCount"], 2);
    assert_eq!(error_code(&app.gql(None, VISIT, json!({ "v": "bad id!" })).await), "BAD_USER_INPUT");
});

db_test!(async fn one_address_adds_a_handful_of_visitors_a_day_and_hears_no_error(app) {
    app.clock.set(chrono::DateTime::parse_from_rfc3339("2026-03-10T09:00:00Z").unwrap().into());
    for i in 0..20 {
        let body = app.gql(None, VISIT, json!({ "v": format!("random-{i}") })).await;
        assert_eq!(body["data"]["recordVisit"], i < 5, "{i}: {body}");
    }
    assert_eq!(stats(&app).await["visitCount"], 5);
    assert_eq!(stats(&app).await["completedJobs"], 5, "each counted visitor is a completed job");
    app.clock.set(chrono::DateTime::parse_from_rfc3339("2026-03-11T09:00:00Z").unwrap().into());
    assert_eq!(app.gql(None, VISIT, json!({ "v": "tomorrow" })).await["data"]["recordVisit"], true);
});

db_test!(async fn a_visitor_already_counted_today_uses_no_allowance(app) {
    assert_eq!(app.gql(None, VISIT, json!({ "v": "regular" })).await["data"]["recordVisit"], true);
    for _ in 0..10 {
        assert_eq!(app.gql(None, VISIT, json!({ "v": "regular" })).await["data"]["recordVisit"], false);
    }
    for i in 0..4 {
        assert_eq!(app.gql(None, VISIT, json!({ "v": format!("family-{i}") })).await["data"]["recordVisit"], true);
    }
});

db_test!(async fn rotating_ipv6_networks_inside_one_48_count_thirty_visitors_a_day(app) with |b| proxied(b), {
    let visits = (0..200).map(|i| {
        let app = &app;
        async move { app.gql_from(&format!("2001:db8:7:{i:x}::1"), None, VISIT, json!({ "v": format!("v6-{i}") })).await }
    });
    let answers = futures_util::future::join_all(visits).await;
    assert!(answers.iter().all(|a| a["errors"].is_null()), "refusals are silent");
    assert_eq!(answers.iter().filter(|a| a["data"]["recordVisit"] == true).count(), 30);
    assert_eq!(stats(&app).await["visitCount"], 30);
});

db_test!(async fn concurrent_new_visitors_from_one_address_count_five(app) {
    let visits = (0..50).map(|i| app.gql(None, VISIT, json!({ "v": format!("burst-{i}") })));
    let answers = futures_util::future::join_all(visits).await;
    assert_eq!(answers.iter().filter(|a| a["data"]["recordVisit"] == true).count(), 5);
    assert_eq!(stats(&app).await["visitCount"], 5);
    assert_eq!(app.count_sql("SELECT COUNT(*) AS n FROM visits").await, 5, "refused visits are not remembered");
});

db_test!(async fn everyone_together_counts_at_most_the_visits_per_minute(app) with |b| proxied(b).env("VITRIN_VISITS_PER_MINUTE", "10"), {
    for i in 0..15 {
        let body = app.gql_from(&format!("10.{i}.0.1"), None, VISIT, json!({ "v": format!("g{i}") })).await;
        assert_eq!(body["data"]["recordVisit"], i < 10, "{body}");
    }
    app.clock.advance(chrono::Duration::seconds(61));
    assert_eq!(app.gql_from("10.99.0.1", None, VISIT, json!({ "v": "next-minute" })).await["data"]["recordVisit"], true);
});

db_test!(async fn contact_messages_are_limited_per_block_and_for_everyone(app) with |b| proxied(b).env("VITRIN_CONTACT_MESSAGES_PER_MINUTE", "12"), {
    let send = |client: String| {
        let app = &app;
        async move {
            let input = json!({ "name": "Ziyaretçi", "email": "v@example.com", "message": "Merhaba" });
            app.gql_from(&client, None, "mutation($i: ContactInput!) { submitContactMessage(input: $i) }", json!({ "i": input })).await
        }
    };
    for i in 0..10 {
        assert_eq!(send(format!("2001:db8:9:{i:x}::1")).await["data"]["submitContactMessage"], true);
    }
    assert_eq!(error_code(&send("2001:db8:9:ff::1".to_owned()).await), "RATE_LIMITED", "ten per /48 an hour");
    assert_eq!(send("198.18.1.1".to_owned()).await["data"]["submitContactMessage"], true);
    assert_eq!(send("198.18.2.1".to_owned()).await["data"]["submitContactMessage"], true);
    assert_eq!(error_code(&send("198.18.3.1".to_owned()).await), "RATE_LIMITED", "twelve a minute for everyone");
    assert_eq!(stats(&app).await["contactMessages"], 12);
});

db_test!(async fn a_thousand_concurrent_visits_and_moderations_leave_exact_counts(app) with |b| busy(b), {
    let token = app.admin_token().await;
    let visits = (0..1000).map(|i| {
        let app = &app;
        async move { app.gql_from(&format!("10.{}.{}.1", i / 250, i % 250), None, VISIT, json!({ "v": format!("visitor-{i}") })).await }
    });
    let results = futures_util::future::join_all(visits).await;
    assert!(results.iter().all(|r| r["data"]["recordVisit"] == true), "{:?}", results.iter().find(|r| r["data"]["recordVisit"] != true));
    let mut ids = Vec::new();
    for i in 0..100 {
        ids.push(submit_review(&app, &format!("172.16.{}.{}", i / 3, i % 3), 1 + i % 5).await);
    }
    // Every review approved twice at once, then half of them rejected at once.
    let approvals = ids.iter().chain(ids.iter()).map(|id| moderate(&app, &token, "approveReview", id));
    futures_util::future::join_all(approvals).await;
    let rejections = ids.iter().step_by(2).map(|id| moderate(&app, &token, "rejectReview", id));
    futures_util::future::join_all(rejections).await;
    let before = stats(&app).await;
    assert_eq!(before["visitCount"], 1000);
    assert_eq!(before["reviewCount"], 50);
    assert_eq!(before["completedJobs"], 1050);
    let recomputed = app.gql(Some(&token), "mutation { recomputeStats { visitCount reviewCount completedJobs happyCustomers averageRating } }", json!({})).await;
    let r = &recomputed["data"]["recomputeStats"];
    for field in ["visitCount", "reviewCount", "completedJobs", "happyCustomers", "averageRating"] {
        assert_eq!(r[field], before[field], "{field} after recompute");
    }
});

db_test!(async fn recompute_repairs_counters_from_the_source_rows(app) {
    let token = app.admin_token().await;
    app.gql(None, VISIT, json!({ "v": "someone" })).await;
    app.exec_sql("UPDATE stat_counters SET value = 777 WHERE name = 'visits'").await;
    let body = app.gql(Some(&token), "mutation { recomputeStats { visitCount } }", json!({})).await;
    assert_eq!(body["data"]["recomputeStats"]["visitCount"], 1);
});

db_test!(async fn stats_are_served_from_memory(app) {
    let first = stats(&app).await;
    app.exec_sql("DROP TABLE stat_counters").await;
    assert_eq!(stats(&app).await, first, "a warm read never reaches the database");
});

db_test!(async fn settings_are_validated(app) {
    let token = app.admin_token().await;
    for bad in [json!({ "happyThreshold": 6 }), json!({ "foundedYear": 3000 }), json!({ "completedJobsBase": -1 })] {
        assert_eq!(error_code(&app.gql(Some(&token), SETTINGS, json!({ "i": bad })).await), "BAD_USER_INPUT", "{bad}");
    }
    let read = app.gql(Some(&token), "{ statSettings { happyThreshold countReviewsAsJobs countVisitsAsJobs autoApproveReviews } }", json!({})).await;
    assert_eq!(read["data"]["statSettings"], json!({ "happyThreshold": 2, "countReviewsAsJobs": true, "countVisitsAsJobs": true, "autoApproveReviews": false }));
});

db_test!(async fn lists_paginate_with_cursors(app) with |b| busy(b), {
    let token = app.admin_token().await;
    for i in 0..25 {
        submit_review(&app, &format!("192.0.{i}.2"), 5).await;
    }
    let mut after: Option<String> = None;
    let mut seen = Vec::new();
    loop {
        let body = app.gql(Some(&token), "query($a: String) { reviews(first: 10, after: $a) { totalCount pageInfo { hasNextPage endCursor } edges { cursor node { id } } } }", json!({ "a": after })).await;
        let page = &body["data"]["reviews"];
        assert_eq!(page["totalCount"], 25);
        seen.extend(page["edges"].as_array().unwrap().iter().map(|e| e["node"]["id"].as_str().unwrap().to_owned()));
        if page["pageInfo"]["hasNextPage"] == false {
            break;
        }
        after = page["pageInfo"]["endCursor"].as_str().map(str::to_owned);
    }
    assert_eq!(seen.len(), 25);
    seen.dedup();
    assert_eq!(seen.len(), 25);
    assert_eq!(error_code(&app.gql(Some(&token), "{ reviews(first: 101) { totalCount } }", json!({})).await), "BAD_USER_INPUT");
    assert_eq!(error_code(&app.gql(Some(&token), "{ reviews(after: \"garbage\") { totalCount } }", json!({})).await), "BAD_USER_INPUT");
});

db_test!(async fn contact_messages_are_stored_counted_mailed_and_listed_unread_first(app) with |b| proxied(b), {
    let token = app.admin_token().await;
    let send = |i: usize| {
        let app = &app;
        async move {
            let input = json!({ "name": format!("Ziyaretçi {i}"), "email": format!("v{i}@example.com"), "phone": "+90 (212) 555-0000", "subject": "Fiyat", "message": "Merhaba!\nBilgi alabilir miyim?" });
            app.gql_from(&format!("198.18.0.{i}"), None, "mutation($i: ContactInput!) { submitContactMessage(input: $i) }", json!({ "i": input })).await
        }
    };
    for i in 0..3 {
        assert_eq!(send(i).await["data"]["submitContactMessage"], true);
    }
    let mail = wait_for(&app.outbox(), ADMIN_EMAIL, "Yeni iletişim mesajı").await;
    assert!(mail.text.contains("Bilgi alabilir miyim?"));
    let list = app.gql(Some(&token), "{ contactMessages(first: 2) { totalCount pageInfo { endCursor } edges { node { id name read } } } }", json!({})).await;
    let first_id = list["data"]["contactMessages"]["edges"][1]["node"]["id"].as_str().unwrap().to_owned();
    app.gql(Some(&token), "mutation($id: ID!) { markContactMessageRead(id: $id) { read } }", json!({ "id": first_id })).await;
    let all = app.gql(Some(&token), "{ contactMessages { edges { node { id read } } } }", json!({})).await;
    let reads: Vec<bool> = all["data"]["contactMessages"]["edges"].as_array().unwrap().iter().map(|e| e["node"]["read"].as_bool().unwrap()).collect();
    assert_eq!(reads, vec![false, false, true], "unread first");
    let unread = app.gql(Some(&token), "{ contactMessages(unreadOnly: true) { totalCount } }", json!({})).await;
    assert_eq!(unread["data"]["contactMessages"]["totalCount"], 2);
    assert_eq!(stats(&app).await["contactMessages"], 3);
    let bad = json!({ "name": "X", "email": "nope", "message": "hi" });
    assert_eq!(error_code(&app.gql(None, "mutation($i: ContactInput!) { submitContactMessage(input: $i) }", json!({ "i": bad })).await), "BAD_USER_INPUT");
});

db_test!(async fn subscribers_get_the_numbers_now_and_after_each_change(app) {
    let token = app.admin_token().await;
    let mut ws = WsClient::connect(&format!("ws://{}/graphql/ws", app.addr), false, json!({})).await;
    ws.subscribe("s", "subscription { statsUpdated { reviewCount completedJobs } }").await;
    assert_eq!(ws.next_payload().await["data"]["statsUpdated"]["reviewCount"], 0);
    let id = submit_review(&app, "127.0.0.1", 5).await;
    moderate(&app, &token, "approveReview", &id).await;
    assert_eq!(ws.next_payload().await["data"]["statsUpdated"]["reviewCount"], 1);
});

db_test!(async fn a_burst_of_changes_is_coalesced_into_few_pushes(app) with |b| busy(b), {
    let mut ws = WsClient::connect(&format!("ws://{}/graphql/ws", app.addr), true, json!({})).await;
    ws.subscribe("s", "subscription { statsUpdated { visitCount } }").await;
    assert_eq!(ws.next_payload().await["data"]["statsUpdated"]["visitCount"], 0);
    let burst = (0..50).map(|i| {
        let app = &app;
        async move { app.gql_from(&format!("10.1.{i}.1"), None, VISIT, json!({ "v": format!("b{i}") })).await }
    });
    futures_util::future::join_all(burst).await;
    let mut pushes = 0;
    loop {
        let payload = ws.next_payload().await;
        pushes += 1;
        if payload["data"]["statsUpdated"]["visitCount"] == 50 {
            break;
        }
    }
    assert!(pushes <= 10, "50 changes came as {pushes} pushes");
});

db_test!(async fn the_new_year_moves_years_of_experience_by_itself(app) {
    // One second before midnight on 31 December in Istanbul (UTC+3).
    app.clock.set(chrono::DateTime::parse_from_rfc3339("2026-12-31T20:59:59Z").unwrap().into());
    let token = app.admin_token().await;
    app.gql(Some(&token), SETTINGS, json!({ "i": { "foundedYear": 2016 } })).await;
    let mut ws = WsClient::connect(&format!("ws://{}/graphql/ws", app.addr), false, json!({})).await;
    ws.subscribe("s", "subscription { statsUpdated { yearsOfExperience } }").await;
    let mut years = ws.next_payload().await["data"]["statsUpdated"]["yearsOfExperience"].as_i64().unwrap();
    assert_eq!(years, 10);
    while years == 10 {
        years = ws.next_payload().await["data"]["statsUpdated"]["yearsOfExperience"].as_i64().unwrap();
    }
    assert_eq!(years, 11);
});

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_change_on_one_server_process_reaches_subscribers_of_another() {
    let Some(app) = TestApp::builder(vitrin::db::Backend::Postgres)
        .start()
        .await
    else {
        return;
    };
    let token = app.admin_token().await;
    let dir = tempfile::tempdir().unwrap();
    let mut command = crate::support::process::vitrin(dir.path());
    command.env("VITRIN_DATABASE_URL", app.database_url());
    let other =
        crate::support::process::Served::start(command, crate::support::process::free_port()).await;
    let mut ws = WsClient::connect(
        &other.url("/graphql/ws").replacen("http", "ws", 1),
        false,
        json!({}),
    )
    .await;
    ws.subscribe("s", "subscription { statsUpdated { reviewCount } }")
        .await;
    assert_eq!(
        ws.next_payload().await["data"]["statsUpdated"]["reviewCount"],
        0
    );
    let id = submit_review(&app, "127.0.0.1", 4).await;
    moderate(&app, &token, "approveReview", &id).await;
    let pushed = tokio::time::timeout(Duration::from_secs(5), ws.next_payload())
        .await
        .expect("pushed within 5 s");
    assert_eq!(pushed["data"]["statsUpdated"]["reviewCount"], 1);
}
