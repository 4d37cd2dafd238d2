//! The server-rendered storefront: product pages with their share tags and JSON-LD,
//! redirects from old slugs, lists driven by the query string, caching validators,
//! the sitemap, and what odd addresses get.

use reqwest::StatusCode;
use reqwest::header::{CACHE_CONTROL, CONTENT_TYPE, ETAG, IF_NONE_MATCH, LOCATION};
use serde_json::{Value, json};

use crate::catalog::{create, set_media, update, upload_picture, upload_video};
use crate::db_test;
use crate::support::TestApp;

async fn get(app: &TestApp, path: &str) -> reqwest::Response {
    // Redirects are what some of these tests look at: never followed.
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap()
        .get(app.url(path))
        .send()
        .await
        .unwrap()
}

async fn page(app: &TestApp, path: &str) -> String {
    let response = get(app, path).await;
    assert_eq!(response.status(), StatusCode::OK, "{path}");
    response.text().await.unwrap()
}

/// The JSON of the first `<script type="{kind}">` block.
fn script_json(html: &str, kind: &str) -> Value {
    let open = format!("<script type=\"{kind}\">");
    let start = html.find(&open).expect("the block") + open.len();
    let end = start + html[start..].find("</script>").expect("its end");
    serde_json::from_str(&html[start..end]).expect("JSON")
}

async fn product_with_media(app: &TestApp, token: &str) -> Value {
    let product = create(
        app,
        token,
        json!({ "name": "Işıklı kupa", "price": 129990, "salePrice": 99990, "sku": "K-1",
                "description": "**El yapımı** seramik kupa.", "active": true, "stock": 3 }),
    )
    .await;
    let images = [
        upload_picture(app, token, 10).await,
        upload_picture(app, token, 20).await,
    ];
    let video = upload_video(app, token).await;
    let body = set_media(app, token, &product["id"], &images, Some(&video)).await;
    assert!(body["errors"].is_null(), "{body}");
    product
}

db_test!(
    async fn a_product_page_carries_what_link_previews_and_search_engines_read(app) {
        let token = app.admin_token().await;
        product_with_media(&app, &token).await;
        let html = page(&app, "/urun/isikli-kupa").await;
        assert!(html.contains("<h1 id=\"product-name\">Işıklı kupa</h1>"), "{html}");
        assert!(html.contains("<title>Işıklı kupa · "));
        assert!(html.contains("<meta name=\"description\" content=\"El yapımı seramik kupa.\">"));
        assert!(html.contains(&format!("<link rel=\"canonical\" href=\"{}\">", app.url("/urun/isikli-kupa"))));
        assert!(html.contains("999,90 ₺") && html.contains("<s>1.299,90 ₺</s>"));
        let og_image = html
            .split("<meta property=\"og:image\" content=\"")
            .nth(1)
            .and_then(|rest| rest.split('"').next())
            .expect("og:image");
        assert!(og_image.starts_with("http"), "absolute: {og_image}");
        let picture = get(&app, og_image.trim_start_matches(&app.url(""))).await;
        assert_eq!(picture.status(), StatusCode::OK);
        let width = image::load_from_memory(&picture.bytes().await.unwrap()).unwrap().width();
        assert!(html.contains(&format!("<meta property=\"og:image:width\" content=\"{width}\">")));
        assert!(html.contains("<meta name=\"twitter:card\" content=\"summary_large_image\">"));

        let ld = script_json(&html, "application/ld+json");
        assert_eq!(ld["@type"], "Product");
        assert_eq!(ld["sku"], "K-1");
        assert_eq!(ld["offers"]["price"], "999.90");
        assert_eq!(ld["offers"]["priceCurrency"], "TRY");
        assert_eq!(ld["offers"]["availability"], "https://schema.org/InStock");
        assert_eq!(ld["image"][0], og_image);

        let gallery = script_json(&html, "application/json");
        let slides = gallery["slides"].as_array().unwrap();
        assert_eq!(slides.len(), 3, "two pictures and the video");
        // The product sizes of a 300 px picture (never enlarged): main and zoom at its
        // size, the 160 px thumbnail; the preview shows the main size.
        assert_eq!(app.url(slides[0]["main"]["jpeg"].as_str().unwrap()), og_image);
        assert_eq!(slides[0]["main"]["width"], width);
        assert_eq!(slides[0]["thumb"]["width"], 160);
        assert_eq!(slides[2]["kind"], "video");
    }
);

db_test!(
    async fn a_page_is_revalidated_with_its_etag(app) {
        let token = app.admin_token().await;
        create(&app, &token, json!({ "name": "Kupa", "price": 1000, "active": true })).await;
        let first = get(&app, "/urun/kupa").await;
        assert!(first.headers()[CACHE_CONTROL].to_str().unwrap().contains("max-age="));
        assert_eq!(first.headers()[CONTENT_TYPE], "text/html; charset=utf-8");
        let etag = first.headers()[ETAG].clone();
        let again = app
            .client
            .get(app.url("/urun/kupa"))
            .header(IF_NONE_MATCH, etag.clone())
            .send()
            .await
            .unwrap();
        assert_eq!(again.status(), StatusCode::NOT_MODIFIED);
        assert_eq!(again.headers()[ETAG], etag);
        assert!(again.bytes().await.unwrap().is_empty());
    }
);

db_test!(
    async fn a_changed_product_gets_a_new_etag(app) {
        let token = app.admin_token().await;
        let product = create(&app, &token, json!({ "name": "Kupa", "price": 1000, "active": true })).await;
        let before = get(&app, "/urun/kupa").await.headers()[ETAG].clone();
        update(&app, &token, &product["id"], json!({ "price": 2000 })).await;
        let after = app
            .client
            .get(app.url("/urun/kupa"))
            .header(IF_NONE_MATCH, before.clone())
            .send()
            .await
            .unwrap();
        assert_eq!(after.status(), StatusCode::OK);
        assert_ne!(after.headers()[ETAG], before);
    }
);

db_test!(
    async fn an_old_slug_redirects_permanently_to_the_new_one(app) {
        let token = app.admin_token().await;
        let product = create(&app, &token, json!({ "name": "Eski ad", "price": 1000, "active": true })).await;
        update(&app, &token, &product["id"], json!({ "slug": "yeni-ad" })).await;
        let moved = get(&app, "/urun/eski-ad?lang=en").await;
        assert_eq!(moved.status(), StatusCode::MOVED_PERMANENTLY);
        assert_eq!(moved.headers()[LOCATION], "/urun/yeni-ad?lang=en");
    }
);

db_test!(
    async fn unknown_and_inactive_products_get_the_styled_not_found_page(app) {
        let token = app.admin_token().await;
        create(&app, &token, json!({ "name": "Taslak", "price": 1000, "active": false })).await;
        for path in ["/urun/taslak", "/urun/yok-boyle-bir-urun", "/kategori/yok"] {
            let response = get(&app, path).await;
            assert_eq!(response.status(), StatusCode::NOT_FOUND, "{path}");
            let html = response.text().await.unwrap();
            assert!(html.contains("Sayfa bulunamadı") && html.contains("/storefront.css"), "{html}");
        }
    }
);

db_test!(
    async fn lists_page_by_the_query_string_without_overlap(app) {
        let token = app.admin_token().await;
        for n in 0..30 {
            create(&app, &token, json!({ "name": format!("Ürün {n:02}"), "price": 1000, "active": true })).await;
        }
        let first = page(&app, "/urunler?sirala=ad").await;
        assert!(first.contains("30 ürün"));
        assert_eq!(first.matches("class=\"card\"").count(), 24);
        let next = first
            .split("rel=\"next\" href=\"")
            .nth(1)
            .and_then(|rest| rest.split('"').next())
            .expect("a next page")
            .replace("&amp;", "&");
        assert!(next.starts_with("/urunler?sirala=ad&sonra="), "{next}");
        let second = page(&app, &next).await;
        assert_eq!(second.matches("class=\"card\"").count(), 6);
        assert!(first.contains("Ürün 23") && !first.contains("Ürün 24"));
        assert!(second.contains("Ürün 24") && second.contains("Ürün 29") && !second.contains("Ürün 23"));
        assert!(!second.contains("rel=\"next\""));
    }
);

db_test!(
    async fn lists_filter_by_category_sale_price_and_search(app) {
        let token = app.admin_token().await;
        let category = app
            .gql(Some(&token), "mutation { createCategory(input: { name: \"Aydınlatma\" }) { id } }", json!({}))
            .await["data"]["createCategory"]["id"]
            .clone();
        create(&app, &token, json!({ "name": "Işık zinciri", "price": 50000, "salePrice": 40000,
            "active": true, "categoryIds": [category] })).await;
        create(&app, &token, json!({ "name": "Kupa", "price": 10000, "active": true })).await;

        let sale = page(&app, "/indirimli-urunler").await;
        assert!(sale.contains("Işık zinciri") && !sale.contains(">Kupa<"));
        assert!(sale.contains("%20 indirim"));
        let lit = page(&app, "/kategori/aydinlatma").await;
        assert!(lit.contains("<h1 id=\"list-heading\">Aydınlatma</h1>") && !lit.contains(">Kupa<"));
        let found = page(&app, "/ara?q=I%C5%9EIK").await;
        assert!(found.contains("Işık zinciri") && found.contains("noindex"));
        let cheap = page(&app, "/urunler?max=150,00").await;
        assert!(cheap.contains(">Kupa<") && !cheap.contains("Işık zinciri"));
    }
);

db_test!(
    async fn odd_addresses_get_a_clear_bad_request_page(app) {
        for path in [
            "/urunler?sirala=rastgele",
            "/urunler?min=-5",
            "/urunler?sonra=bozuk",
            "/indirimli-urunler?sonra=TkVXRVNUfG4xfDE",
            &format!("/ara?q={}", "a".repeat(201)),
        ] {
            let response = get(&app, path).await;
            assert_eq!(response.status(), StatusCode::BAD_REQUEST, "{path}");
            assert!(response.text().await.unwrap().contains("Bu adres geçersiz"));
        }
    }
);

db_test!(
    async fn english_pages_write_prices_the_english_way(app) {
        let token = app.admin_token().await;
        create(&app, &token, json!({ "name": "Kupa", "price": 129990, "active": true })).await;
        let html = page(&app, "/urun/kupa?lang=en").await;
        assert!(html.contains("<html lang=\"en\">") && html.contains("₺1,299.90"));
        assert!(html.contains("VAT included"));
        let list = page(&app, "/urunler?lang=en").await;
        assert!(list.contains("href=\"/urun/kupa?lang=en\""));
    }
);

db_test!(
    async fn what_an_admin_types_never_becomes_markup(app) {
        let token = app.admin_token().await;
        create(&app, &token, json!({ "name": "</script><script>alert(1)</script>",
            "slug": "kotu", "price": 1000, "active": true, "seoDescription": "\"><img src=x onerror=alert(1)>" })).await;
        let html = page(&app, "/urun/kotu").await;
        assert!(!html.contains("<script>alert(1)"), "{html}");
        assert!(!html.contains("<img src=x"));
        assert_eq!(script_json(&html, "application/json")["name"], "</script><script>alert(1)</script>");
    }
);

db_test!(
    async fn the_sitemap_lists_active_products_and_categories(app) {
        let token = app.admin_token().await;
        create(&app, &token, json!({ "name": "Görünen", "price": 1000, "active": true })).await;
        create(&app, &token, json!({ "name": "Gizli", "price": 1000, "active": false })).await;
        app.gql(Some(&token), "mutation { createCategory(input: { name: \"Mutfak\" }) { id } }", json!({})).await;
        let response = get(&app, "/sitemap.xml").await;
        assert_eq!(response.headers()[CONTENT_TYPE], "application/xml; charset=utf-8");
        let xml = response.text().await.unwrap();
        assert!(xml.contains(&format!("<loc>{}</loc>", app.url("/urun/gorunen"))), "{xml}");
        assert!(xml.contains(&format!("<loc>{}</loc>", app.url("/kategori/mutfak"))));
        assert!(!xml.contains("gizli"));
        let robots = page(&app, "/robots.txt").await;
        assert!(robots.contains(&format!("Sitemap: {}", app.url("/sitemap.xml"))));
    }
);

db_test!(
    async fn a_list_page_costs_the_same_queries_for_one_product_or_a_full_page(app) {
        let token = app.admin_token().await;
        let picture = upload_picture(&app, &token, 40).await;
        for n in 0..24 {
            let product = create(&app, &token, json!({ "name": format!("Ürün {n}"), "price": 1000, "active": true })).await;
            set_media(&app, &token, &product["id"], std::slice::from_ref(&picture), None).await;
        }
        let mut cost = Vec::new();
        for path in ["/urunler?q=%C3%9Cr%C3%BCn%207", "/urunler"] {
            let mut fewest = u64::MAX;
            for _ in 0..3 {
                // Rendered every time, not answered from memory.
                app.app.services.events.publish(vitrin::catalog::TOPIC);
                let before = app.app.services.db.queries();
                page(&app, path).await;
                fewest = fewest.min(app.app.services.db.queries() - before);
            }
            cost.push(fewest);
        }
        assert_eq!(cost[0], cost[1], "queries for one product and for 24");
        assert!(cost[0] > 0, "the pages were computed, not remembered");
    }
);

db_test!(
    async fn a_remembered_page_follows_its_sale_and_the_catalogue(app) {
        use vitrin::clock::Clock;
        let token = app.admin_token().await;
        let ends = app.clock.now() + chrono::Duration::hours(1);
        let product = create(&app, &token, json!({ "name": "Kupa", "price": 20000, "salePrice": 15000,
            "saleEndsAt": ends.to_rfc3339(), "active": true })).await;
        assert!(page(&app, "/urun/kupa").await.contains("150,00 ₺"));
        assert!(page(&app, "/indirimli-urunler").await.contains(">Kupa<"));
        app.clock.advance(chrono::Duration::hours(2));
        let after_sale = page(&app, "/urun/kupa").await;
        assert!(after_sale.contains("200,00 ₺") && !after_sale.contains("150,00 ₺"));
        assert!(!page(&app, "/indirimli-urunler").await.contains(">Kupa<"));
        update(&app, &token, &product["id"], json!({ "name": "Büyük kupa" })).await;
        assert!(page(&app, "/urun/kupa").await.contains("Büyük kupa"));
    }
);
