//! Product reviews: one per customer and product, moderated and counted in the
//! statistics like the business's reviews, the "verified purchase" badge after
//! delivery, photos on their own stricter path, "helpful" marks and reports.

use serde_json::{Value, json};

use crate::db_test;
use crate::support::shop::{
    checkout, customers, offer_bank_transfer, product, reason, review, upload_review_photo,
};
use crate::support::{TestApp, error_code, fixture_path};

const REVIEWS: &str = "query($slug: String!, $sort: ReviewSort, $photos: Boolean, $after: String) { product(slug: $slug) { rating { average count histogram } reviews(first: 2, sort: $sort, withPhotos: $photos, after: $after) { totalCount pageInfo { hasNextPage endCursor } edges { node { id rating helpfulCount verifiedPurchase photos { url } } } } } }";

async fn slug(app: &TestApp, id: &str) -> String {
    let body = app
        .gql(
            None,
            "{ products(first: 100) { edges { node { id slug } } } }",
            json!({}),
        )
        .await;
    body["data"]["products"]["edges"]
        .as_array()
        .and_then(|edges| edges.iter().find(|e| e["node"]["id"] == id))
        .and_then(|e| e["node"]["slug"].as_str())
        .unwrap_or_else(|| panic!("no product {id}: {body}"))
        .to_owned()
}

async fn approve(app: &TestApp, admin: &str, id: &Value) -> Value {
    app.gql(
        Some(admin),
        "mutation($id: ID!) { approveReview(id: $id) { status flagged product { name } } }",
        json!({ "id": id }),
    )
    .await
}

async fn auto_approve(app: &TestApp, admin: &str, on: bool) {
    let body = app
        .gql(
            Some(admin),
            "mutation($on: Boolean!) { updateStatSettings(input: { autoApproveReviews: $on }) { autoApproveReviews } }",
            json!({ "on": on }),
        )
        .await;
    assert_eq!(
        body["data"]["updateStatSettings"]["autoApproveReviews"], on,
        "{body}"
    );
}

async fn stats(app: &TestApp, admin: &str) -> (Value, Value) {
    let live = app
        .gql(
            None,
            "{ stats { reviewCount happyCustomers averageRating } }",
            json!({}),
        )
        .await;
    let recomputed = app
        .gql(
            Some(admin),
            "mutation { recomputeStats { reviewCount happyCustomers averageRating } }",
            json!({}),
        )
        .await;
    (
        live["data"]["stats"].clone(),
        recomputed["data"]["recomputeStats"].clone(),
    )
}

db_test!(async fn a_second_review_of_the_same_product_rewrites_the_first_and_is_moderated_again(app) {
    let admin = app.admin_token().await;
    let id = product(&app, &admin, "Bakır cezve", 45_000, 5).await;
    let customer = &customers(&app, "yazar", 1).await[0];
    let first = review(&app, customer, &id, json!({ "rating": 4, "title": "Güzel", "comment": "Kahve köpüklü oluyor." })).await;
    let first = &first["data"]["submitProductReview"];
    assert_eq!(first["status"], "PENDING", "{first}");
    assert_eq!(approve(&app, &admin, &first["id"]).await["data"]["approveReview"]["product"]["name"], "Bakır cezve");
    let second = review(&app, customer, &id, json!({ "rating": 2, "comment": "Sapı ısınıyor." })).await;
    let second = &second["data"]["submitProductReview"];
    assert_eq!(second["id"], first["id"], "one review per customer and product");
    assert_eq!(second["status"], "PENDING");
    assert_eq!(second["title"], Value::Null);
    assert_eq!(app.count_sql("SELECT COUNT(*) AS n FROM reviews").await, 1);
    let admin_stats = stats(&app, &admin).await;
    assert_eq!(admin_stats.0["reviewCount"], 0, "the rewritten review waits for moderation again");
    assert_eq!(admin_stats.0, admin_stats.1);
});

db_test!(async fn guests_cannot_review_and_unverified_customers_are_told_to_confirm_their_address(app) {
    let admin = app.admin_token().await;
    let id = product(&app, &admin, "Çini kase", 30_000, 5).await;
    let input = json!({ "rating": 5, "comment": "Çok güzel." });
    let guest = app
        .gql(None, "mutation($p: ID!, $i: ProductReviewInput!) { submitProductReview(productId: $p, input: $i) { id } }", json!({ "p": id, "i": input }))
        .await;
    assert_eq!(error_code(&guest), "UNAUTHENTICATED");
    let customer = &customers(&app, "dogrulanmamis", 1).await[0];
    app.exec_sql("UPDATE users SET email_verified_at = NULL WHERE email = 'dogrulanmamis0@example.com'").await;
    let unverified = review(&app, customer, &id, input.clone()).await;
    assert_eq!(reason(&unverified), "EMAIL_NOT_VERIFIED", "{unverified}");
    let verified = &customers(&app, "dogru", 1).await[0];
    let bad = review(&app, verified, &id, json!({ "rating": 6, "comment": "x" })).await;
    assert_eq!(bad["errors"][0]["extensions"]["field"], "input.rating", "{bad}");
    let missing = review(&app, verified, "999999", input).await;
    assert_eq!(error_code(&missing), "NOT_FOUND");
    assert_eq!(app.count_sql("SELECT COUNT(*) AS n FROM reviews").await, 0);
});

db_test!(async fn concurrent_submissions_by_one_customer_leave_one_review_counted_once(app) {
    let admin = app.admin_token().await;
    auto_approve(&app, &admin, true).await;
    let id = product(&app, &admin, "Hasır sepet", 20_000, 5).await;
    let customer = customers(&app, "aceleci", 1).await.remove(0);
    let attempts = (1..=8).map(|i| {
        let (app, customer, id) = (&app, customer.clone(), id.clone());
        async move {
            review(app, &customer, &id, json!({ "rating": 1 + i % 5, "comment": format!("Deneme {i}") })).await
        }
    });
    let answers = futures_util::future::join_all(attempts).await;
    for answer in &answers {
        assert_eq!(answer["data"]["submitProductReview"]["status"], "APPROVED", "{answer}");
    }
    assert_eq!(app.count_sql("SELECT COUNT(*) AS n FROM reviews").await, 1);
    let (live, recomputed) = stats(&app, &admin).await;
    assert_eq!(live["reviewCount"], 1, "{live}");
    assert_eq!(live, recomputed);
});

db_test!(async fn approved_product_reviews_count_in_the_statistics_like_business_reviews(app) {
    let admin = app.admin_token().await;
    let id = product(&app, &admin, "Keçe terlik", 25_000, 5).await;
    let buyers = customers(&app, "istatistik", 2).await;
    let one = review(&app, &buyers[0], &id, json!({ "rating": 5, "comment": "Sıcacık." })).await;
    let two = review(&app, &buyers[1], &id, json!({ "rating": 2, "comment": "Küçük geldi." })).await;
    let business = app
        .gql(None, "mutation { submitReview(input: { authorName: \"Ali\", rating: 4, comment: \"İyi hizmet.\" }) { id } }", json!({}))
        .await;
    let (before, _) = stats(&app, &admin).await;
    for id in [&one["data"]["submitProductReview"]["id"], &two["data"]["submitProductReview"]["id"], &business["data"]["submitReview"]["id"]] {
        assert_eq!(approve(&app, &admin, id).await["data"]["approveReview"]["status"], "APPROVED");
    }
    let (live, recomputed) = stats(&app, &admin).await;
    assert_eq!(live["reviewCount"].as_i64(), before["reviewCount"].as_i64().map(|n| n + 3), "{live}");
    assert_eq!(live["averageRating"], json!(3.67));
    assert_eq!(live, recomputed, "the counters agree with the reviews themselves");
    let page = app.gql(None, REVIEWS, json!({ "slug": slug(&app, &id).await })).await;
    assert_eq!(page["data"]["product"]["rating"], json!({ "average": 3.5, "count": 2, "histogram": [0, 1, 0, 0, 1] }), "{page}");
    let rejected = app
        .gql(Some(&admin), "mutation($id: ID!) { rejectReview(id: $id) { status } }", json!({ "id": one["data"]["submitProductReview"]["id"] }))
        .await;
    assert_eq!(rejected["data"]["rejectReview"]["status"], "REJECTED");
    let (live, recomputed) = stats(&app, &admin).await;
    assert_eq!(live["reviewCount"].as_i64(), before["reviewCount"].as_i64().map(|n| n + 2));
    assert_eq!(live, recomputed);
});

db_test!(async fn the_verified_purchase_badge_appears_only_once_the_order_is_delivered(app) {
    let admin = app.admin_token().await;
    offer_bank_transfer(&app, &admin).await;
    auto_approve(&app, &admin, true).await;
    let id = product(&app, &admin, "Zeytinyağlı sabun", 9_000, 10).await;
    let buyer = customers(&app, "alici", 1).await.remove(0);
    crate::support::shop::add(&app, &buyer, &id, 1).await;
    let order = checkout(&app, &buyer, "rozet-siparis-1", "BANK_TRANSFER").await;
    let order_id = order["data"]["checkout"]["id"].clone();
    let written = review(&app, &buyer, &id, json!({ "rating": 5, "comment": "Cildimi kurutmadı." })).await;
    assert_eq!(written["data"]["submitProductReview"]["verifiedPurchase"], false, "{written}");
    const STATUS: &str = "mutation($id: ID!, $s: OrderStatus!, $c: String, $t: String) { updateOrderStatus(id: $id, status: $s, carrier: $c, trackingNumber: $t) { status } }";
    for (status, carrier, tracking) in [("PREPARING", None, None), ("SHIPPED", Some("Yurtiçi Kargo"), Some("YK 1")), ("DELIVERED", None, None)] {
        let slug = slug(&app, &id).await;
        let badge = app.gql(None, REVIEWS, json!({ "slug": slug })).await;
        assert_eq!(badge["data"]["product"]["reviews"]["edges"][0]["node"]["verifiedPurchase"], false, "not before delivery: {badge}");
        let moved = app.gql(Some(&admin), STATUS, json!({ "id": order_id, "s": status, "c": carrier, "t": tracking })).await;
        assert_eq!(moved["data"]["updateOrderStatus"]["status"], status, "{moved}");
    }
    let badge = app.gql(None, REVIEWS, json!({ "slug": slug(&app, &id).await })).await;
    assert_eq!(badge["data"]["product"]["reviews"]["edges"][0]["node"]["verifiedPurchase"], true, "{badge}");
});

db_test!(async fn a_review_shows_its_photos_which_only_their_owner_can_attach_and_which_go_with_it(app) {
    let admin = app.admin_token().await;
    auto_approve(&app, &admin, true).await;
    let id = product(&app, &admin, "Keten örtü", 60_000, 5).await;
    let tokens = customers(&app, "fotografci", 2).await;
    let jpeg = std::fs::read(fixture_path("photo-exif-rotated.jpg")).unwrap();
    let photo = upload_review_photo(&app, &tokens[0], jpeg, "masa.jpg").await;
    let photo = &photo["data"]["uploadReviewPhoto"];
    assert!(photo["url"].as_str().is_some_and(|u| u.ends_with(".jpg")), "{photo}");
    assert!(photo["width"].as_i64().unwrap() <= 1600 && photo["height"].as_i64().unwrap() <= 1600);
    let stolen = review(&app, &tokens[1], &id, json!({ "rating": 1, "comment": "Başkasının fotoğrafı", "photoIds": [photo["id"]] })).await;
    assert_eq!(stolen["errors"][0]["extensions"]["field"], "input.photoIds", "{stolen}");
    assert_eq!(app.count_sql("SELECT COUNT(*) AS n FROM reviews").await, 0, "a refused review leaves nothing");
    let own = review(&app, &tokens[0], &id, json!({ "rating": 5, "comment": "Masada çok şık.", "photoIds": [photo["id"]] })).await;
    assert_eq!(own["data"]["submitProductReview"]["photos"][0]["url"], photo["url"], "{own}");
    let files_before = app.media_files().len();
    let slug = slug(&app, &id).await;
    let with_photos = app.gql(None, REVIEWS, json!({ "slug": slug, "photos": true })).await;
    assert_eq!(with_photos["data"]["product"]["reviews"]["totalCount"], 1, "{with_photos}");
    let admin_view = app
        .gql(Some(&admin), "{ reviews { edges { node { id photos { url } product { name } } } } }", json!({}))
        .await;
    assert_eq!(admin_view["data"]["reviews"]["edges"][0]["node"]["product"]["name"], "Keten örtü", "{admin_view}");
    let deleted = app
        .gql(Some(&admin), "mutation($id: ID!) { deleteReview(id: $id) }", json!({ "id": own["data"]["submitProductReview"]["id"] }))
        .await;
    assert_eq!(deleted["data"]["deleteReview"], true, "{deleted}");
    assert_eq!(app.count_sql("SELECT COUNT(*) AS n FROM review_photos").await, 0);
    assert_eq!(app.media_files().len(), files_before - 1, "the photo's file is deleted with the review");
});

db_test!(async fn review_photos_must_be_images_and_a_customer_may_upload_ten_a_day(app) {
    let customer = customers(&app, "yukleyen", 1).await.remove(0);
    let svg = std::fs::read(fixture_path("bad/evil.svg")).unwrap();
    let refused = upload_review_photo(&app, &customer, svg, "evil.svg").await;
    assert_eq!(error_code(&refused), "BAD_USER_INPUT", "{refused}");
    let png = std::fs::read(fixture_path("small.png")).unwrap();
    for _ in 0..9 {
        let ok = upload_review_photo(&app, &customer, png.clone(), "small.png").await;
        assert!(ok["data"]["uploadReviewPhoto"]["id"].is_string(), "{ok}");
    }
    let over = upload_review_photo(&app, &customer, png, "small.png").await;
    assert_eq!(reason(&over), "PHOTO_LIMIT", "{over}");
    let guest = app
        .gql(None, "mutation { uploadReviewPhoto(file: null) { id } }", json!({}))
        .await;
    assert!(guest["errors"].is_array());
    let unverified = customers(&app, "yeni", 1).await.remove(0);
    app.exec_sql("UPDATE users SET email_verified_at = NULL WHERE email = 'yeni0@example.com'").await;
    let png = std::fs::read(fixture_path("small.png")).unwrap();
    assert_eq!(reason(&upload_review_photo(&app, &unverified, png, "small.png").await), "EMAIL_NOT_VERIFIED");
});

db_test!(async fn helpful_marks_count_once_per_customer_and_reports_put_a_review_first_for_the_admin(app) {
    let admin = app.admin_token().await;
    auto_approve(&app, &admin, true).await;
    let id = product(&app, &admin, "Bambu tepsi", 15_000, 5).await;
    let tokens = customers(&app, "oylayan", 4).await;
    let mut ids = Vec::new();
    for (token, rating) in tokens.iter().zip([3, 5, 1]) {
        let body = review(&app, token, &id, json!({ "rating": rating, "comment": format!("{rating} yıldız") })).await;
        ids.push(body["data"]["submitProductReview"]["id"].clone());
    }
    const HELPFUL: &str = "mutation($r: ID!) { markReviewHelpful(reviewId: $r) { helpfulCount markedHelpful } }";
    let own = app.gql(Some(&tokens[0]), HELPFUL, json!({ "r": ids[0] })).await;
    assert_eq!(reason(&own), "OWN_REVIEW", "{own}");
    for _ in 0..3 {
        let marked = app.gql(Some(&tokens[3]), HELPFUL, json!({ "r": ids[0] })).await;
        assert_eq!(marked["data"]["markReviewHelpful"], json!({ "helpfulCount": 1, "markedHelpful": true }), "{marked}");
    }
    let slug = slug(&app, &id).await;
    let helpful = app.gql(None, REVIEWS, json!({ "slug": slug, "sort": "MOST_HELPFUL" })).await;
    assert_eq!(helpful["data"]["product"]["reviews"]["edges"][0]["node"]["id"], ids[0], "{helpful}");
    let highest = app.gql(None, REVIEWS, json!({ "slug": slug, "sort": "HIGHEST" })).await;
    let page = &highest["data"]["product"]["reviews"];
    assert_eq!(page["edges"][0]["node"]["rating"], 5);
    assert_eq!(page["pageInfo"]["hasNextPage"], true);
    let next = app.gql(None, REVIEWS, json!({ "slug": slug, "sort": "HIGHEST", "after": page["pageInfo"]["endCursor"] })).await;
    assert_eq!(next["data"]["product"]["reviews"]["edges"][0]["node"]["rating"], 1, "{next}");
    let wrong_order = app.gql(None, REVIEWS, json!({ "slug": slug, "sort": "LOWEST", "after": page["pageInfo"]["endCursor"] })).await;
    assert_eq!(error_code(&wrong_order), "BAD_USER_INPUT");

    let reported = app
        .gql(Some(&tokens[3]), "mutation($r: ID!) { reportReview(reviewId: $r, reason: \"Hakaret içeriyor\") }", json!({ "r": ids[2] }))
        .await;
    assert_eq!(reported["data"]["reportReview"], true, "{reported}");
    const FLAGGED: &str = "{ reviews(flagged: true) { totalCount edges { node { id reportCount reportReasons } } } }";
    let queue = app.gql(Some(&admin), FLAGGED, json!({})).await;
    assert_eq!(queue["data"]["reviews"]["edges"][0]["node"], json!({ "id": ids[2], "reportCount": 1, "reportReasons": ["Hakaret içeriyor"] }), "{queue}");
    assert_eq!(approve(&app, &admin, &ids[2]).await["data"]["approveReview"]["flagged"], false, "moderation clears the flag");
    assert_eq!(app.gql(Some(&admin), FLAGGED, json!({})).await["data"]["reviews"]["totalCount"], 0);
});
