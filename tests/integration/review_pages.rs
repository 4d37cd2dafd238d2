//! The storefront's side of reviews, favourites and sharing: the product page's rating,
//! histogram and reviews in the order its address asks for, stars on cards, the share
//! links, and the favourites page.

use serde_json::json;

use crate::support::TestApp;
use crate::support::shop::{customers, product, review};

fn no_redirects() -> reqwest::Client {
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap()
}

async fn page(app: &TestApp, path: &str) -> (u16, String) {
    let response = no_redirects().get(app.url(path)).send().await.unwrap();
    (response.status().as_u16(), response.text().await.unwrap())
}

async fn auto_approve(app: &TestApp, admin: &str) {
    app.gql(
        Some(admin),
        "mutation { updateStatSettings(input: { autoApproveReviews: true }) { autoApproveReviews } }",
        json!({}),
    )
    .await;
}

fn count(html: &str, needle: &str) -> usize {
    html.matches(needle).count()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_product_page_shows_its_rating_and_reviews_in_the_order_its_address_asks_for() {
    let Some(app) = TestApp::builder(vitrin::db::Backend::Sqlite).start().await else {
        return;
    };
    let admin = app.admin_token().await;
    let id = product(&app, &admin, "Çini tabak", 40_000, 5).await;
    let (_, empty) = page(&app, "/urun/cini-tabak").await;
    assert!(
        empty.contains("Değerlendirmeler (0)")
            && empty.contains("henüz yayınlanmış bir değerlendirme yok")
    );
    auto_approve(&app, &admin).await;
    let tokens = customers(&app, "sayfa", 12).await;
    for (i, token) in tokens.iter().enumerate() {
        let rating = [5, 4, 5, 3, 1, 5, 4, 2, 5, 4, 5, 5][i];
        let body = review(&app, token, &id, json!({ "rating": rating, "title": format!("Başlık {i}"), "comment": format!("Yorum {i}") })).await;
        assert_eq!(
            body["data"]["submitProductReview"]["status"], "APPROVED",
            "{body}"
        );
    }
    let (status, html) = page(&app, "/urun/cini-tabak").await;
    assert_eq!(status, 200);
    assert!(
        html.contains("Değerlendirmeler (12)"),
        "the remembered page followed the new reviews"
    );
    assert!(
        html.contains("<strong>4,0</strong>"),
        "the mean, written the Turkish way"
    );
    assert_eq!(
        count(&html, "<meter min=\"0\" max=\"100\""),
        5,
        "a bar per star"
    );
    assert!(
        html.contains("<meter min=\"0\" max=\"100\" value=\"50\">"),
        "6 of 12 gave five stars"
    );
    assert_eq!(
        count(&html, "<li class=\"review\""),
        10,
        "ten reviews on a page"
    );
    assert!(
        html.contains("\"aggregateRating\""),
        "search engines read the rating"
    );
    let more = html
        .split("class=\"more-reviews\" href=\"")
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .expect("a link to more reviews")
        .replace("&amp;", "&");
    assert!(more.contains("yorum_sonra="), "{more}");
    let (_, next) = page(&app, &more).await;
    assert_eq!(count(&next, "<li class=\"review\""), 2);

    let (_, lowest) = page(&app, "/urun/cini-tabak?yorum=dusuk").await;
    let first = lowest
        .split("<li class=\"review\"")
        .nth(1)
        .expect("a review");
    assert!(first.contains("★☆☆☆☆"), "the lowest first");
    let (_, helpful) = page(&app, "/urun/cini-tabak?yorum=faydali&fotografli=1").await;
    assert_eq!(
        count(&helpful, "<li class=\"review\""),
        0,
        "none has photos"
    );
    assert_eq!(page(&app, "/urun/cini-tabak?yorum=en-iyi").await.0, 400);
    assert_eq!(
        page(&app, "/urun/cini-tabak?yorum=yeni&yorum_sonra=bozuk")
            .await
            .0,
        400
    );

    let (_, list) = page(&app, "/urunler").await;
    assert!(
        list.contains("class=\"card-stars\"") && list.contains("(12)"),
        "cards show stars and the count"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_share_links_name_their_source_and_the_favourites_page_is_the_customers_own() {
    let Some(app) = TestApp::builder(vitrin::db::Backend::Sqlite).start().await else {
        return;
    };
    let admin = app.admin_token().await;
    let id = product(&app, &admin, "Kilim yastık", 35_000, 5).await;
    let (_, html) = page(&app, "/urun/kilim-yastik").await;
    let canonical = url::form_urlencoded::byte_serialize(app.url("/urun/kilim-yastik").as_bytes())
        .collect::<String>();
    for (network, start) in [
        ("whatsapp", "https://wa.me/?text="),
        ("facebook", "https://www.facebook.com/sharer/sharer.php?u="),
        ("x", "https://x.com/intent/post?url="),
        ("telegram", "https://t.me/share/url?url="),
        ("email", "mailto:?subject="),
    ] {
        let href = html
            .split(&format!("data-share-network=\"{network}\""))
            .next()
            .and_then(|before| before.rsplit("href=\"").next())
            .and_then(|rest| rest.split('"').next())
            .unwrap_or_default()
            .replace("&amp;", "&");
        assert!(href.starts_with(start), "{network}: {href}");
        assert!(
            href.contains(&format!(
                "{canonical}%3Futm_source%3D{network}%26utm_medium%3Dshare"
            )),
            "{network}: {href}"
        );
    }
    assert!(
        html.contains("action=\"/hesap/giris\"")
            && html.contains("name=\"return\" value=\"/urun/kilim-yastik?begen=1\""),
        "without JavaScript the heart asks to sign in"
    );
    assert!(html.contains(&format!("data-favorite=\"{id}\"")));

    let asks = no_redirects()
        .get(app.url("/hesap/favoriler"))
        .send()
        .await
        .unwrap();
    assert_eq!(asks.status().as_u16(), 303);
    let tokens = customers(&app, "begenen", 2).await;
    app.gql(
        Some(&tokens[0]),
        "mutation($p: ID!) { toggleFavorite(productId: $p) { id } }",
        json!({ "p": id }),
    )
    .await;
    let favourites_of = |token: &str| {
        no_redirects()
            .get(app.url("/hesap/favoriler"))
            .bearer_auth(token)
            .send()
    };
    let mine = favourites_of(&tokens[0])
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(mine.contains("Kilim yastık"), "{mine}");
    let theirs = favourites_of(&tokens[1])
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(!theirs.contains("Kilim yastık") && theirs.contains("Henüz beğendiğiniz"));
    let (_, counted) = page(&app, "/urun/kilim-yastik").await;
    assert!(
        counted.contains("data-favorite-count>1</span>"),
        "the remembered page followed the heart"
    );
    assert!(
        page(&app, "/robots.txt")
            .await
            .1
            .contains("Disallow: /paylasim/")
    );
}
