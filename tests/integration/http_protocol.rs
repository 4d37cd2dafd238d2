//! The HTTP surface: GraphQL over HTTP rules, limits, CSRF, errors, health and metrics.

use reqwest::StatusCode;
use reqwest::header::HeaderValue;
use serde_json::{Value, json};

use crate::db_test;
use crate::support::ws::WsClient;
use crate::support::{TestApp, error_code, json_headers};

db_test!(async fn a_mutation_over_get_is_refused_with_405(app) {
    let response = app.client.get(app.url("/graphql")).query(&[("query", "mutation { logout }")]).send().await.unwrap();
    assert_eq!(response.status(), StatusCode::METHOD_NOT_ALLOWED);
    assert_eq!(response.headers()["allow"], "POST");
});

db_test!(async fn a_query_over_get_is_answered(app) {
    let response = app.client.get(app.url("/graphql")).query(&[("query", "{ me { id } }")]).send().await.unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(response.json::<Value>().await.unwrap(), json!({ "data": { "me": null } }));
});

db_test!(async fn batched_requests_are_refused(app) {
    let response = app.post_raw(json_headers(), r#"[{"query":"{ me { id } }"},{"query":"{ me { id } }"}]"#).await;
    assert_eq!(response.status(), StatusCode::BAD_REQUEST);
    let body: Value = response.json().await.unwrap();
    assert!(body["errors"][0]["message"].as_str().unwrap().contains("Batched"));
});

db_test!(async fn malformed_json_is_a_clear_400(app) {
    let response = app.post_raw(json_headers(), r#"{"query": "{ me { id } }""#).await;
    assert_eq!(response.status(), StatusCode::BAD_REQUEST);
    let body: Value = response.json().await.unwrap();
    assert_eq!(error_code(&body), "BAD_USER_INPUT");
    assert!(body["errors"][0]["message"].as_str().unwrap().contains("not valid JSON"));
});

db_test!(async fn unknown_request_parameters_are_refused(app) {
    let response = app.post_raw(json_headers(), r#"{"query": "{ me { id } }", "qeury": "x"}"#).await;
    assert_eq!(response.status(), StatusCode::BAD_REQUEST);
});

db_test!(async fn a_body_over_one_mebibyte_is_413(app) {
    let padding = "x".repeat(1024 * 1024);
    let body = json!({ "query": format!("{{ me {{ id }} }} # {padding}") }).to_string();
    let response = app.post_raw(json_headers(), body).await;
    assert_eq!(response.status(), StatusCode::PAYLOAD_TOO_LARGE);
});

db_test!(async fn text_plain_and_form_posts_are_refused_even_with_a_cookie(app) {
    let token = app.admin_token().await;
    for content_type in ["text/plain", "application/x-www-form-urlencoded"] {
        let mut headers = reqwest::header::HeaderMap::new();
        headers.insert("content-type", HeaderValue::from_static(content_type));
        headers.insert("cookie", format!("vitrin_session={token}").parse().unwrap());
        let response = app.post_raw(headers, r#"{"query":"mutation { logout }"}"#).await;
        assert_eq!(response.status(), StatusCode::UNSUPPORTED_MEDIA_TYPE, "{content_type}");
    }
    assert_eq!(app.count_sql("SELECT COUNT(*) AS n FROM sessions").await, 1, "the session survived");
});

db_test!(async fn a_multipart_post_with_a_cookie_needs_the_preflight_header(app) {
    let token = app.admin_token().await;
    let form = reqwest::multipart::Form::new()
        .text("operations", r#"{"query":"mutation { logout }"}"#)
        .text("map", "{}");
    let response = app
        .client
        .post(app.url("/graphql"))
        .header("cookie", format!("vitrin_session={token}"))
        .multipart(form)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::FORBIDDEN);
    assert_eq!(app.count_sql("SELECT COUNT(*) AS n FROM sessions").await, 1);
});

db_test!(async fn too_deep_queries_are_refused(app) with |b| b.env("VITRIN_MAX_DEPTH", "2"), {
    let body = app.gql(None, "{ me { id } }", json!({})).await;
    assert!(body["errors"].is_null(), "{body}");
    let body = app.gql(None, "{ mediaList { edges { node { id } } } }", json!({})).await;
    assert!(body["errors"][0]["message"].as_str().unwrap().contains("nested too deep"), "{body}");
    assert_eq!(error_code(&body), "BAD_USER_INPUT");
});

db_test!(async fn too_complex_queries_are_refused(app) with |b| b.env("VITRIN_MAX_COMPLEXITY", "3"), {
    let body = app.gql(None, "{ me { id email name role } }", json!({})).await;
    assert!(body["errors"][0]["message"].as_str().unwrap().contains("too complex"), "{body}");
});

db_test!(async fn more_than_thirty_aliases_are_refused(app) {
    let aliases: String = (0..31).map(|i| format!("a{i}: me {{ id }} ")).collect();
    let body = app.gql(None, &format!("{{ {aliases} }}"), json!({})).await;
    assert!(body["errors"][0]["message"].as_str().unwrap().contains("31 aliases"), "{body}");
    let aliases: String = (0..30).map(|i| format!("a{i}: me {{ id }} ")).collect();
    assert!(app.gql(None, &format!("{{ {aliases} }}"), json!({})).await["errors"].is_null());
});

db_test!(async fn a_document_may_hold_only_one_sensitive_mutation(app) {
    let query = r#"mutation {
        a: login(email: "a@example.com", password: "x")
        b: login(email: "b@example.com", password: "y")
    }"#;
    let body = app.gql(None, &query.replace(")\n", ") { token }\n"), json!({})).await;
    assert!(body["errors"][0]["message"].as_str().unwrap().contains("Only one of"), "{body}");
    let via_fragment = r#"mutation { login(email: "a@example.com", password: "x") { token } ...L }
        fragment L on Mutation { login(email: "b@example.com", password: "y") { token } }"#;
    let body = app.gql(None, via_fragment, json!({})).await;
    assert!(body["errors"][0]["message"].as_str().unwrap().contains("Only one of"), "{body}");
});

db_test!(async fn validation_errors_are_400_under_graphql_response_json_and_200_under_json(app) {
    let mut headers = json_headers();
    headers.insert("accept", HeaderValue::from_static("application/graphql-response+json"));
    let response = app.post_raw(headers, r#"{"query":"{ nope }"}"#).await;
    assert_eq!(response.status(), StatusCode::BAD_REQUEST);
    assert_eq!(response.headers()["content-type"], "application/graphql-response+json; charset=utf-8");
    let body: Value = response.json().await.unwrap();
    assert!(body.get("data").is_none(), "a request error has no data entry");
    let mut headers = json_headers();
    headers.insert("accept", HeaderValue::from_static("application/json"));
    let response = app.post_raw(headers, r#"{"query":"{ nope }"}"#).await;
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(response.headers()["content-type"], "application/json; charset=utf-8");
});

db_test!(async fn an_unacceptable_accept_header_is_406(app) {
    let mut headers = json_headers();
    headers.insert("accept", HeaderValue::from_static("text/html"));
    assert_eq!(app.post_raw(headers, r#"{"query":"{ me { id } }"}"#).await.status(), StatusCode::NOT_ACCEPTABLE);
});

db_test!(async fn introspection_can_be_switched_off(app) with |b| b.env("VITRIN_INTROSPECTION", "false"), {
    let body = app.gql(None, "{ __schema { queryType { name } } }", json!({})).await;
    assert!(body["errors"][0]["message"].as_str().unwrap().contains("Introspection is disabled"), "{body}");
});

db_test!(async fn internal_errors_are_answered_without_internals(app) {
    app.create_admin(crate::support::ADMIN_EMAIL, crate::support::ADMIN_PASSWORD).await;
    app.exec_sql("DROP TABLE sessions").await;
    let body = app
        .gql(None, "mutation { login(email: \"owner@example.com\", password: \"kirmizi bisiklet 42\") { token } }", json!({}))
        .await;
    assert_eq!(error_code(&body), "INTERNAL_SERVER_ERROR");
    let text = body.to_string().to_lowercase();
    for leak in ["sessions", "sql", "table", "diesel", "/tmp"] {
        assert!(!text.contains(leak), "{leak} leaked: {body}");
    }
});

db_test!(async fn liveness_says_alive(app) {
    let response = app.client.get(app.url("/healthz")).send().await.unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(response.json::<Value>().await.unwrap()["status"], "alive");
});

async fn readiness(app: &TestApp) -> (StatusCode, Value) {
    let response = app.client.get(app.url("/readyz")).send().await.unwrap();
    (response.status(), response.json().await.unwrap())
}

db_test!(async fn readiness_ends_when_the_instance_begins_to_stop(app) {
    assert_eq!(readiness(&app).await, (StatusCode::OK, json!({ "status": "ready" })));
    app.app.begin_shutdown();
    let (status, body) = readiness(&app).await;
    assert_eq!((status, &body["reason"]), (StatusCode::SERVICE_UNAVAILABLE, &json!("stopping")));
    let alive = app.client.get(app.url("/healthz")).send().await.unwrap();
    assert_eq!(alive.status(), StatusCode::OK, "still alive while it drains");
});

db_test!(async fn readiness_needs_every_migration_applied(app) {
    app.exec_sql("DELETE FROM __diesel_schema_migrations WHERE version = (SELECT MAX(version) FROM __diesel_schema_migrations)").await;
    let (status, body) = readiness(&app).await;
    assert_eq!((status, &body["reason"]), (StatusCode::SERVICE_UNAVAILABLE, &json!("migrations not applied")));
});

db_test!(async fn metrics_count_operations_by_name(app) {
    app.gql(None, "query WhoAmI { me { id } }", json!({})).await;
    let text = app.client.get(app.url("/metrics")).send().await.unwrap().text().await.unwrap();
    assert!(text.contains(r#"vitrin_graphql_requests_total{operation="WhoAmI",outcome="ok"} 1"#), "{text}");
    assert!(text.contains("vitrin_graphql_request_duration_seconds_bucket{operation=\"WhoAmI\""));
});

db_test!(async fn metrics_answer_only_local_scrapers_that_came_through_no_proxy(app) {
    let local = app.client.get(app.url("/metrics")).send().await.unwrap();
    assert_eq!(local.status(), StatusCode::OK);
    assert!(local.text().await.unwrap().contains("vitrin_password_hashes_total"));
    let proxied = app.client.get(app.url("/metrics")).header("x-forwarded-for", "203.0.113.9").send().await.unwrap();
    assert_eq!(proxied.status(), StatusCode::FORBIDDEN);
});

db_test!(async fn metrics_refuse_a_local_trusted_proxy_even_without_forwarding_headers(app) with |b| b.env("VITRIN_TRUSTED_PROXIES", "127.0.0.1/32"), {
    let response = app.client.get(app.url("/metrics")).send().await.unwrap();
    assert_eq!(response.status(), StatusCode::FORBIDDEN);
});

db_test!(async fn metrics_ask_for_the_token_when_one_is_set(app) with |b| b.env("VITRIN_METRICS_TOKEN", "olcum-anahtari-0123456789"), {
    let get = |token: Option<&str>| {
        let mut request = app.client.get(app.url("/metrics"));
        if let Some(token) = token {
            request = request.bearer_auth(token);
        }
        async move { request.send().await.unwrap().status() }
    };
    assert_eq!(get(None).await, StatusCode::FORBIDDEN);
    assert_eq!(get(Some("olcum-anahtari-wrong")).await, StatusCode::FORBIDDEN);
    assert_eq!(get(Some("olcum-anahtari-0123456789")).await, StatusCode::OK);
});

db_test!(async fn responses_carry_a_request_id(app) {
    let response = app.post_gql(None, "{ me { id } }", json!({})).await;
    assert!(response.headers().get("x-request-id").is_some());
});

db_test!(async fn a_long_chain_of_fragments_is_refused_and_the_server_stays_up(app) {
    let links = 20_000;
    let mut query = String::from("{ ...F0 }");
    for link in 0..links {
        query.push_str(&format!(" fragment F{link} on Query {{ ...F{} }}", link + 1));
    }
    query.push_str(&format!(" fragment F{links} on Query {{ __typename }}"));
    let body = app.gql(None, &query, json!({})).await;
    assert_eq!(error_code(&body), "BAD_USER_INPUT");
    let after = app.gql(None, "{ __typename }", json!({})).await;
    assert_eq!(after["data"]["__typename"], "Query");
});

db_test!(async fn anonymous_multipart_is_refused_before_the_body_is_read(app) {
    let form = reqwest::multipart::Form::new()
        .text("operations", r#"{"query":"mutation($f: Upload!) { uploadMedia(file: $f) { id } }","variables":{"f":null}}"#)
        .text("map", r#"{"0":["variables.f"]}"#)
        .part("0", reqwest::multipart::Part::bytes(vec![0u8; 16 << 10]).file_name("big.jpg"));
    let response = app.client.post(app.url("/graphql")).multipart(form).send().await.unwrap();
    assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
    assert_eq!(error_code(&response.json::<Value>().await.unwrap()), "UNAUTHENTICATED");
    assert_eq!(std::fs::read_dir(app.app.config().data_dir.join("tmp")).map(|d| d.count()).unwrap_or(0), 0);
});

db_test!(async fn a_websocket_runs_a_bounded_number_of_operations_at_once(app) with |b| b.env("VITRIN_WS_MAX_OPERATIONS", "3"), {
    let url = format!("ws://{}/graphql/ws", app.addr);
    let mut ws = WsClient::connect(&url, false, json!({})).await;
    for id in ["a", "b", "c"] {
        ws.subscribe(id, "subscription { statsUpdated { completedJobs } }").await;
        assert_eq!(ws.next_payload().await["data"]["statsUpdated"]["completedJobs"], 0);
    }
    ws.subscribe("d", "subscription { statsUpdated { completedJobs } }").await;
    let refused = ws.next_payload().await;
    assert_eq!(error_code(&refused), "RATE_LIMITED", "{refused}");
    // Ending one frees its place; the refused one holds none.
    ws.complete("a").await;
    ws.subscribe("e", "{ stats { completedJobs } }").await;
    let answered = ws.next_payload().await;
    assert_eq!(answered["data"]["stats"]["completedJobs"], 0, "{answered}");
});
