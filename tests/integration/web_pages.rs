//! Serving the built web client: SPA fallback, security headers, and a clear page when
//! the client has not been built.

use reqwest::StatusCode;

use crate::support::TestApp;

fn fake_build() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(dir.path().join("dashboard/assets")).unwrap();
    std::fs::create_dir_all(dir.path().join("widgets")).unwrap();
    std::fs::write(
        dir.path().join("dashboard/index.html"),
        "<!doctype html><title>panel</title>",
    )
    .unwrap();
    std::fs::write(
        dir.path().join("dashboard/assets/app-1234.js"),
        "console.log(1)",
    )
    .unwrap();
    std::fs::write(dir.path().join("widgets/stats.js"), "export {}").unwrap();
    std::fs::create_dir_all(dir.path().join("graphiql/assets")).unwrap();
    std::fs::write(
        dir.path().join("graphiql/index.html"),
        "<!doctype html><meta name=\"csp-nonce\" content=\"__CSP_NONCE__\"><title>GraphiQL</title>\
         <script type=\"module\" src=\"/graphiql/assets/index-1234.js\"></script>",
    )
    .unwrap();
    std::fs::write(
        dir.path().join("graphiql/assets/index-1234.js"),
        "export {}",
    )
    .unwrap();
    std::fs::write(
        dir.path().join("widgets/demo.html"),
        "<!doctype html><title>demo</title>",
    )
    .unwrap();
    dir
}

async fn start(web_dir: &std::path::Path) -> TestApp {
    TestApp::builder(vitrin::db::Backend::Sqlite)
        .env("VITRIN_WEB_DIR", &web_dir.display().to_string())
        .start()
        .await
        .unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn dashboard_routes_fall_back_to_the_app_with_strict_security_headers() {
    let build = fake_build();
    let app = start(build.path()).await;
    for path in [
        "/dashboard/",
        "/dashboard/profile/edit/",
        "/dashboard/reset-password",
    ] {
        let response = app.client.get(app.url(path)).send().await.unwrap();
        assert_eq!(response.status(), StatusCode::OK, "{path}");
        let headers = response.headers().clone();
        assert!(
            headers["content-security-policy"]
                .to_str()
                .unwrap()
                .contains("script-src 'self'")
        );
        assert!(
            headers["content-security-policy"]
                .to_str()
                .unwrap()
                .contains("frame-ancestors 'none'")
        );
        assert_eq!(headers["x-frame-options"], "DENY");
        assert_eq!(headers["referrer-policy"], "no-referrer");
        assert!(
            response
                .text()
                .await
                .unwrap()
                .contains("<title>panel</title>")
        );
    }
    let asset = app
        .client
        .get(app.url("/dashboard/assets/app-1234.js"))
        .send()
        .await
        .unwrap();
    assert!(
        asset.headers()["cache-control"]
            .to_str()
            .unwrap()
            .contains("immutable")
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn graphiql_is_served_from_the_build_under_the_strict_policy_with_a_fresh_style_nonce() {
    let build = fake_build();
    let app = start(build.path()).await;
    let mut nonces = Vec::new();
    for _ in 0..2 {
        let response = app.client.get(app.url("/graphiql")).send().await.unwrap();
        assert_eq!(response.status(), StatusCode::OK);
        let policy = response.headers()["content-security-policy"]
            .to_str()
            .unwrap()
            .to_owned();
        assert!(policy.contains("script-src 'self';"), "{policy}");
        assert!(!policy.contains("unsafe-inline"), "{policy}");
        let html = response.text().await.unwrap();
        let nonce = html
            .split("content=\"")
            .nth(1)
            .and_then(|rest| rest.split('"').next())
            .unwrap()
            .to_owned();
        assert!(nonce.len() >= 22, "{html}");
        assert!(
            policy.contains(&format!("style-src 'self' 'nonce-{nonce}'")),
            "{policy}"
        );
        nonces.push(nonce);
    }
    assert_ne!(nonces[0], nonces[1], "a nonce is never reused");
    let asset = app
        .client
        .get(app.url("/graphiql/assets/index-1234.js"))
        .send()
        .await
        .unwrap();
    assert_eq!(asset.status(), StatusCode::OK);
    assert!(
        asset.headers()["cache-control"]
            .to_str()
            .unwrap()
            .contains("immutable")
    );
    assert!(
        asset.headers()["content-security-policy"]
            .to_str()
            .unwrap()
            .contains("style-src 'self';")
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_unbuilt_graphiql_explains_how_to_build_it() {
    let empty = tempfile::tempdir().unwrap();
    let app = start(empty.path()).await;
    let response = app.client.get(app.url("/graphiql")).send().await.unwrap();
    assert_eq!(response.status(), StatusCode::SERVICE_UNAVAILABLE);
    let page = response.text().await.unwrap();
    assert!(page.contains("npm --prefix web ci"), "{page}");
    assert!(!page.contains("cdn"), "nothing from elsewhere");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn widgets_are_served_to_other_sites() {
    let build = fake_build();
    let app = start(build.path()).await;
    let response = app
        .client
        .get(app.url("/widgets/stats.js"))
        .header("origin", "https://owner-site.example")
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(response.headers()["access-control-allow-origin"], "*");
    let demo = app
        .client
        .get(app.url("/widgets/demo"))
        .send()
        .await
        .unwrap();
    assert!(demo.text().await.unwrap().contains("demo"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_unbuilt_dashboard_explains_how_to_build_it() {
    let empty = tempfile::tempdir().unwrap();
    let app = start(empty.path()).await;
    let response = app.client.get(app.url("/dashboard/")).send().await.unwrap();
    assert_eq!(response.status(), StatusCode::SERVICE_UNAVAILABLE);
    assert!(
        response
            .text()
            .await
            .unwrap()
            .contains("npm --prefix web ci")
    );
    assert_eq!(
        app.client
            .get(app.url("/dashboard"))
            .send()
            .await
            .unwrap()
            .url()
            .path(),
        "/dashboard/"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_api_answers_cross_origin_calls_without_credentials() {
    let empty = tempfile::tempdir().unwrap();
    let app = start(empty.path()).await;
    let response = app
        .client
        .request(reqwest::Method::OPTIONS, app.url("/graphql"))
        .header("origin", "https://owner-site.example")
        .header("access-control-request-method", "POST")
        .header("access-control-request-headers", "content-type")
        .send()
        .await
        .unwrap();
    assert_eq!(response.headers()["access-control-allow-origin"], "*");
    assert!(
        response
            .headers()
            .get("access-control-allow-credentials")
            .is_none()
    );
}
