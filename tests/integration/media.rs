//! The media library on the local store: uploads checked by content, crops, deletes,
//! file serving, and storage usage to the byte.

use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::db_test;
use crate::support::ws::WsClient;
use crate::support::{TestApp, error_code, fixture_path};

const CROP: &str = "mutation($id: ID!, $preset: String!, $rect: CropRectInput) { cropMedia(id: $id, preset: $preset, rect: $rect) { id variants { preset size width height format bytes url crop { x y width height } } } }";
const USAGE: &str = "{ storageUsage { usedBytes limitBytes percent provider images { count bytes } videos { count bytes } providerUsage { plan } } }";

async fn upload(app: &TestApp, token: &str, fixture: &str, section: &str) -> Value {
    let response = app.upload(token, fixture, section).await;
    response.json().await.expect("JSON")
}

async fn uploaded(app: &TestApp, token: &str, fixture: &str, section: &str) -> Value {
    let body = upload(app, token, fixture, section).await;
    assert!(body["errors"].is_null(), "{fixture}: {body}");
    body["data"]["uploadMedia"].clone()
}

fn stored_bytes(app: &TestApp) -> u64 {
    app.media_files().iter().map(|(_, n)| n).sum()
}

db_test!(async fn a_phone_photo_is_stored_upright_without_its_metadata(app) {
    let token = app.admin_token().await;
    let media = uploaded(&app, &token, "photo-exif-rotated.jpg", "GALLERY").await;
    assert_eq!((media["width"].as_i64(), media["height"].as_i64()), (Some(3000), Some(4000)));
    assert_eq!(media["kind"], "IMAGE");
    assert_eq!(media["contentType"], "image/jpeg");
    assert_eq!(media["section"], "GALLERY");
    let file = app.client.get(media["url"].as_str().unwrap()).send().await.unwrap().bytes().await.unwrap();
    assert_eq!(file.len().to_string(), media["bytes"].as_str().unwrap());
    for marker in [b"Exif".as_slice(), b"Canon", b"GPS"] {
        assert!(!file.windows(marker.len()).any(|w| w == marker), "{:?} left in the file", String::from_utf8_lossy(marker));
    }
});

db_test!(async fn every_accepted_kind_is_recorded_with_its_dimensions(app) {
    let token = app.admin_token().await;
    for (fixture, kind, content_type, width, height) in [
        ("photo-landscape.jpg", "IMAGE", "image/jpeg", 3000, 2000),
        ("small.png", "IMAGE", "image/png", 800, 600),
        ("small.webp", "IMAGE", "image/webp", 800, 600),
        ("clip.mp4", "VIDEO", "video/mp4", 640, 360),
        ("clip.webm", "VIDEO", "video/webm", 640, 360),
    ] {
        let media = uploaded(&app, &token, fixture, "OTHER").await;
        assert_eq!(media["kind"], kind, "{fixture}");
        assert_eq!(media["contentType"], content_type, "{fixture}");
        assert_eq!((media["width"].as_i64(), media["height"].as_i64()), (Some(width), Some(height)), "{fixture}");
        if kind == "VIDEO" {
            assert!((media["durationSeconds"].as_f64().unwrap() - 3.0).abs() < 0.1, "{fixture}: {media}");
        }
    }
});

db_test!(async fn png_transparency_is_kept(app) {
    let token = app.admin_token().await;
    let media = uploaded(&app, &token, "small.png", "OTHER").await;
    let file = app.client.get(media["url"].as_str().unwrap()).send().await.unwrap().bytes().await.unwrap();
    let image = image::load_from_memory(&file).unwrap().to_rgba8();
    assert_eq!(image.get_pixel(0, 0).0[3], 0);
});

db_test!(async fn bad_files_are_refused_clearly_and_leave_nothing_behind(app) {
    let token = app.admin_token().await;
    for (fixture, says) in [
        ("bad/truncated.jpg", "damaged or incomplete"),
        ("bad/not-an-image.jpg", "PHP"),
        ("bad/evil.svg", "SVG"),
        ("bad/bomb.png", "megapixels"),
        ("bad/empty.jpg", "empty"),
        ("bad/html.webp", "HTML"),
    ] {
        let body = upload(&app, &token, fixture, "GALLERY").await;
        assert_eq!(error_code(&body), "BAD_USER_INPUT", "{fixture}: {body}");
        let message = body["errors"][0]["message"].as_str().unwrap();
        assert!(message.contains(says), "{fixture}: {message}");
    }
    assert_eq!(app.count_sql("SELECT COUNT(*) AS n FROM media").await, 0);
    assert!(app.media_files().is_empty(), "{:?}", app.media_files());
    assert_eq!(std::fs::read_dir(app.app.config().data_dir.join("tmp")).map(|d| d.count()).unwrap_or(0), 0, "no temporary file left");
});

db_test!(async fn an_oversized_upload_is_cut_off_with_413(app) with |b| b.env("VITRIN_MAX_IMAGE_SIZE", "1MiB"), {
    let token = app.admin_token().await;
    let response = app.upload(&token, "photo-landscape.jpg", "GALLERY").await;
    assert_eq!(response.status(), StatusCode::PAYLOAD_TOO_LARGE);
    assert_eq!(app.count_sql("SELECT COUNT(*) AS n FROM media").await, 0);
    assert!(app.media_files().is_empty());
});

db_test!(async fn the_same_bytes_uploaded_twice_are_one_item_even_at_once(app) {
    let token = app.admin_token().await;
    let uploads = (0..8).map(|_| upload(&app, &token, "small.webp", "OTHER"));
    let results = futures_util::future::join_all(uploads).await;
    let ids: std::collections::BTreeSet<String> = results
        .iter()
        .map(|r| r["data"]["uploadMedia"]["id"].as_str().unwrap_or_else(|| panic!("{r}")).to_owned())
        .collect();
    assert_eq!(ids.len(), 1, "{results:?}");
    assert_eq!(app.count_sql("SELECT COUNT(*) AS n FROM media").await, 1);
    assert_eq!(app.media_files().len(), 1);
});

db_test!(async fn cropping_produces_every_size_as_jpeg_and_webp(app) {
    let token = app.admin_token().await;
    let media = uploaded(&app, &token, "photo-landscape.jpg", "PRODUCT").await;
    let rect = json!({ "x": 500, "y": 0, "width": 2000, "height": 2000 });
    let body = app.gql(Some(&token), CROP, json!({ "id": media["id"], "preset": "product", "rect": rect })).await;
    let variants = body["data"]["cropMedia"]["variants"].as_array().unwrap_or_else(|| panic!("{body}")).clone();
    assert_eq!(variants.len(), 6);
    for (size, side) in [("zoom", 2000), ("main", 1000), ("thumb", 160)] {
        for format in ["JPEG", "WEBP"] {
            let v = variants.iter().find(|v| v["size"] == size && v["format"] == format).unwrap();
            assert_eq!((v["width"].as_i64(), v["height"].as_i64()), (Some(side), Some(side)));
            assert_eq!(v["crop"], rect);
            let file = app.client.get(v["url"].as_str().unwrap()).send().await.unwrap().bytes().await.unwrap();
            assert_eq!(file.len().to_string(), v["bytes"].as_str().unwrap());
            let decoded = image::load_from_memory(&file).unwrap();
            assert_eq!((decoded.width(), decoded.height()), (side as u32, side as u32));
        }
    }
});

db_test!(async fn without_a_rectangle_the_largest_centred_one_is_used(app) {
    let token = app.admin_token().await;
    let media = uploaded(&app, &token, "photo-landscape.jpg", "CAROUSEL").await;
    let body = app.gql(Some(&token), CROP, json!({ "id": media["id"], "preset": "carousel" })).await;
    let v = &body["data"]["cropMedia"]["variants"][0];
    assert_eq!(v["crop"], json!({ "x": 0, "y": 437, "width": 3000, "height": 1125 }));
    assert_eq!((v["width"].as_i64(), v["height"].as_i64()), (Some(1920), Some(720)));
});

db_test!(async fn a_new_crop_replaces_that_presets_variants_and_their_files(app) {
    let token = app.admin_token().await;
    let media = uploaded(&app, &token, "photo-landscape.jpg", "GALLERY").await;
    app.gql(Some(&token), CROP, json!({ "id": media["id"], "preset": "gallery" })).await;
    app.gql(Some(&token), CROP, json!({ "id": media["id"], "preset": "product" })).await;
    let files_before = app.media_files().len();
    let rect = json!({ "x": 0, "y": 0, "width": 1200, "height": 900 });
    let body = app.gql(Some(&token), CROP, json!({ "id": media["id"], "preset": "gallery", "rect": rect })).await;
    let variants = body["data"]["cropMedia"]["variants"].as_array().unwrap();
    assert_eq!(variants.iter().filter(|v| v["preset"] == "gallery").count(), 2);
    assert_eq!(variants.iter().filter(|v| v["preset"] == "product").count(), 6, "other presets stay");
    assert!(variants.iter().filter(|v| v["preset"] == "gallery").all(|v| v["crop"] == rect));
    assert_eq!(app.media_files().len(), files_before, "the replaced files were removed");
});

db_test!(async fn bad_rectangles_are_refused_not_adjusted(app) {
    let token = app.admin_token().await;
    let media = uploaded(&app, &token, "photo-landscape.jpg", "GALLERY").await;
    for (rect, says) in [
        (json!({ "x": 2000, "y": 0, "width": 1200, "height": 900 }), "outside"),
        (json!({ "x": -1, "y": 0, "width": 1200, "height": 900 }), "outside"),
        (json!({ "x": 0, "y": 0, "width": 0, "height": 0 }), "positive"),
        (json!({ "x": 0, "y": 0, "width": 1300, "height": 900 }), "ratio"),
    ] {
        let body = app.gql(Some(&token), CROP, json!({ "id": media["id"], "preset": "gallery", "rect": rect })).await;
        assert_eq!(error_code(&body), "BAD_USER_INPUT", "{rect}");
        assert!(body["errors"][0]["message"].as_str().unwrap().contains(says), "{body}");
    }
    let unknown = app.gql(Some(&token), CROP, json!({ "id": media["id"], "preset": "banner" })).await;
    assert!(unknown["errors"][0]["message"].as_str().unwrap().contains("gallery, product, carousel"));
    let video = uploaded(&app, &token, "clip.mp4", "OTHER").await;
    assert_eq!(error_code(&app.gql(Some(&token), CROP, json!({ "id": video["id"], "preset": "gallery" })).await), "BAD_USER_INPUT");
    assert_eq!(error_code(&app.gql(Some(&token), CROP, json!({ "id": "424242", "preset": "gallery" })).await), "NOT_FOUND");
    assert_eq!(app.count_sql("SELECT COUNT(*) AS n FROM media_variants").await, 0);
});

db_test!(async fn usage_is_exact_to_the_byte_as_files_come_and_go(app) {
    let token = app.admin_token().await;
    let usage = async |app: &TestApp| app.gql(Some(&token), USAGE, json!({})).await["data"]["storageUsage"].clone();
    assert_eq!(usage(&app).await["usedBytes"], "0");
    let photo = uploaded(&app, &token, "photo-landscape.jpg", "PRODUCT").await;
    let video = uploaded(&app, &token, "clip.webm", "OTHER").await;
    app.gql(Some(&token), CROP, json!({ "id": photo["id"], "preset": "product" })).await;
    let u = usage(&app).await;
    assert_eq!(u["usedBytes"], stored_bytes(&app).to_string(), "{u}");
    assert_eq!(u["videos"], json!({ "count": 1, "bytes": "294492" }));
    assert_eq!(u["images"]["count"], 1);
    assert_eq!(u["provider"], "LOCAL");
    assert_eq!(u["limitBytes"], "25000000000");
    assert!(u["providerUsage"].is_null());
    app.gql(Some(&token), "mutation($id: ID!) { deleteMedia(id: $id) }", json!({ "id": photo["id"] })).await;
    let u = usage(&app).await;
    assert_eq!(u["usedBytes"], "294492");
    assert_eq!(u["usedBytes"], stored_bytes(&app).to_string());
    app.gql(Some(&token), "mutation($id: ID!) { deleteMedia(id: $id) }", json!({ "id": video["id"] })).await;
    assert_eq!(usage(&app).await["usedBytes"], "0");
    assert!(app.media_files().is_empty());
    assert_eq!(app.count_sql("SELECT COUNT(*) AS n FROM media_variants").await, 0);
});

db_test!(async fn usage_beyond_two_gibibytes_stays_exact(app) with |b| b.env("VITRIN_STORAGE_LIMIT", "5GB"), {
    let token = app.admin_token().await;
    uploaded(&app, &token, "small.webp", "OTHER").await;
    app.exec_sql("UPDATE media SET bytes = 3000000001").await;
    let u = app.gql(Some(&token), USAGE, json!({})).await;
    assert_eq!(u["data"]["storageUsage"]["usedBytes"], "3000000001");
    assert_eq!(u["data"]["storageUsage"]["percent"], 60.0);
});

db_test!(async fn stored_files_are_served_immutable_with_etag_and_ranges(app) {
    let token = app.admin_token().await;
    let video = uploaded(&app, &token, "clip.mp4", "OTHER").await;
    let url = video["url"].as_str().unwrap();
    let response = app.client.get(url).send().await.unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(response.headers()["cache-control"], "public, max-age=31536000, immutable");
    assert_eq!(response.headers()["x-content-type-options"], "nosniff");
    assert_eq!(response.headers()["content-type"], "video/mp4");
    let etag = response.headers()["etag"].to_str().unwrap().to_owned();
    let partial = app.client.get(url).header("range", "bytes=0-99").send().await.unwrap();
    assert_eq!(partial.status(), StatusCode::PARTIAL_CONTENT);
    assert_eq!(partial.bytes().await.unwrap().len(), 100);
    let cached = app.client.get(url).header("if-none-match", &etag).send().await.unwrap();
    assert_eq!(cached.status(), StatusCode::NOT_MODIFIED);
    for bad in ["/media/../Cargo.toml", "/media/ab/nothing.jpg", "/media/zz/x.svg"] {
        assert_eq!(app.client.get(app.url(bad)).send().await.unwrap().status(), StatusCode::NOT_FOUND, "{bad}");
    }
});

db_test!(async fn lists_filter_paginate_and_load_variants(app) {
    let token = app.admin_token().await;
    let photo = uploaded(&app, &token, "photo-landscape.jpg", "GALLERY").await;
    uploaded(&app, &token, "small.png", "GALLERY").await;
    uploaded(&app, &token, "clip.mp4", "OTHER").await;
    app.gql(Some(&token), CROP, json!({ "id": photo["id"], "preset": "gallery" })).await;
    let q = "query($k: MediaKind, $s: MediaSection, $a: String) { mediaList(kind: $k, section: $s, first: 1, after: $a) { totalCount pageInfo { hasNextPage endCursor } edges { node { id kind variants { preset } } } } }";
    let images = app.gql(Some(&token), q, json!({ "k": "IMAGE", "s": "GALLERY" })).await;
    let page = &images["data"]["mediaList"];
    assert_eq!(page["totalCount"], 2);
    assert_eq!(page["pageInfo"]["hasNextPage"], true);
    let next = app.gql(Some(&token), q, json!({ "k": "IMAGE", "s": "GALLERY", "a": page["pageInfo"]["endCursor"] })).await;
    let node = &next["data"]["mediaList"]["edges"][0]["node"];
    assert_eq!(node["id"], photo["id"]);
    assert_eq!(node["variants"].as_array().unwrap().len(), 2);
    let videos = app.gql(Some(&token), q, json!({ "k": "VIDEO" })).await;
    assert_eq!(videos["data"]["mediaList"]["totalCount"], 1);
    let presets = app.gql(Some(&token), "{ cropPresets { name aspectRatio section sizes { name width height } } }", json!({})).await;
    assert_eq!(presets["data"]["cropPresets"][1]["sizes"].as_array().unwrap().len(), 3);
});

db_test!(async fn storage_subscribers_see_uploads_and_deletes(app) {
    let token = app.admin_token().await;
    let mut ws = WsClient::connect(&format!("ws://{}/graphql/ws", app.addr), false, json!({ "authorization": format!("Bearer {token}") })).await;
    ws.subscribe("u", "subscription { storageUsageChanged { usedBytes videos { count } } }").await;
    assert_eq!(ws.next_payload().await["data"]["storageUsageChanged"]["usedBytes"], "0");
    let video = uploaded(&app, &token, "clip.mp4", "OTHER").await;
    assert_eq!(ws.next_payload().await["data"]["storageUsageChanged"]["usedBytes"], "249197");
    app.gql(Some(&token), "mutation($id: ID!) { deleteMedia(id: $id) }", json!({ "id": video["id"] })).await;
    assert_eq!(ws.next_payload().await["data"]["storageUsageChanged"]["usedBytes"], "0");
});

db_test!(async fn anonymous_uploads_are_refused_and_store_nothing(app) {
    let bytes = std::fs::read(fixture_path("small.png")).unwrap();
    let body: Value = app.upload_bytes("not-a-session-token-at-all-xxxxxxxxxxxxxxxxx", bytes, "small.png", "OTHER").await.json().await.unwrap();
    assert_eq!(error_code(&body), "UNAUTHENTICATED");
    assert!(app.media_files().is_empty());
});

db_test!(async fn media_with_variants_can_be_read_over_the_websocket(app) {
    let token = app.admin_token().await;
    let photo = uploaded(&app, &token, "small.webp", "GALLERY").await;
    app.gql(Some(&token), CROP, json!({ "id": photo["id"], "preset": "gallery" })).await;
    let mut ws = WsClient::connect(&format!("ws://{}/graphql/ws", app.addr), false, json!({ "authorization": format!("Bearer {token}") })).await;
    ws.subscribe("q", "{ mediaList { edges { node { variants { preset format } } } } }").await;
    let payload = ws.next_payload().await;
    assert_eq!(payload["data"]["mediaList"]["edges"][0]["node"]["variants"].as_array().unwrap().len(), 2, "{payload}");
});

db_test!(async fn a_map_naming_one_file_many_times_is_refused_before_the_file_is_read(app) {
    let token = app.admin_token().await;
    let paths: Vec<String> = (0..60_000).map(|_| "variables.file".to_owned()).collect();
    let form = reqwest::multipart::Form::new()
        .text("operations", r#"{"query":"mutation($file: Upload!) { uploadMedia(file: $file) { id } }","variables":{"file":null}}"#)
        .text("map", json!({ "0": paths }).to_string())
        .part("0", reqwest::multipart::Part::bytes(std::fs::read(fixture_path("small.png")).unwrap()).file_name("small.png"));
    let response = app.client.post(app.url("/graphql")).bearer_auth(&token).multipart(form).send().await.unwrap();
    assert_eq!(response.status(), StatusCode::BAD_REQUEST);
    let body: Value = response.json().await.unwrap();
    assert!(body["errors"][0]["message"].as_str().unwrap().contains("at most 10 variables"), "{body}");
    assert_eq!(app.count_sql("SELECT COUNT(*) AS n FROM media").await, 0);
});
