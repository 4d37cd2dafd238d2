//! The catalogue over GraphQL: slugs, search, prices in time, paging, administrators'
//! writes and their refusals, product media limits under concurrency, query counts.

use std::io::Cursor;

use serde_json::{Value, json};
use vitrin::clock::Clock;

use crate::db_test;
use crate::support::{TestApp, error_code};

const PRODUCT: &str = "id slug name active price { amount formatted } currentPrice { amount } \
    onSale discountPercent";

pub async fn create(app: &TestApp, token: &str, input: Value) -> Value {
    let body = app
        .gql(
            Some(token),
            &format!("mutation($i: ProductInput!) {{ createProduct(input: $i) {{ {PRODUCT} }} }}"),
            json!({ "i": input }),
        )
        .await;
    assert!(body["errors"].is_null(), "{body}");
    body["data"]["createProduct"].clone()
}

pub async fn update(app: &TestApp, token: &str, id: &Value, input: Value) -> Value {
    app.gql(
        Some(token),
        &format!("mutation($id: ID!, $i: ProductInput!) {{ updateProduct(id: $id, input: $i) {{ {PRODUCT} }} }}"),
        json!({ "id": id, "i": input }),
    )
    .await
}

async fn by_slug(app: &TestApp, slug: &str) -> Value {
    let body = app
        .gql(
            None,
            "query($s: String) { product(slug: $s) { slug name } }",
            json!({ "s": slug }),
        )
        .await;
    body["data"]["product"].clone()
}

async fn listed(app: &TestApp, args: &str, variables: Value) -> Value {
    let mut declared = Vec::new();
    if args.contains("$f") {
        declared.push("$f: ProductFilterInput");
    }
    if args.contains("$after") {
        declared.push("$after: String");
    }
    let declared = if declared.is_empty() {
        String::new()
    } else {
        format!("({})", declared.join(", "))
    };
    let args = if args.is_empty() {
        String::new()
    } else {
        format!("({args})")
    };
    let body = app
        .gql(
            None,
            &format!("query{declared} {{ products{args} {{ totalCount \
                 pageInfo {{ hasNextPage endCursor }} edges {{ node {{ name slug currentPrice {{ amount }} }} }} }} }}"),
            variables,
        )
        .await;
    assert!(body["errors"].is_null(), "{body}");
    body["data"]["products"].clone()
}

fn names(list: &Value) -> Vec<String> {
    list["edges"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["node"]["name"].as_str().unwrap().to_owned())
        .collect()
}

/// A distinct square PNG picture (its colour makes its bytes, and so the item, unique).
fn picture(shade: u8) -> Vec<u8> {
    let img = image::RgbImage::from_pixel(300, 300, image::Rgb([shade, 255 - shade, 90]));
    let mut out = Cursor::new(Vec::new());
    img.write_to(&mut out, image::ImageFormat::Png).unwrap();
    out.into_inner()
}

pub async fn upload_picture(app: &TestApp, token: &str, shade: u8) -> String {
    let body: Value = app
        .upload_bytes(token, picture(shade), &format!("p{shade}.png"), "GALLERY")
        .await
        .json()
        .await
        .unwrap();
    body["data"]["uploadMedia"]["id"]
        .as_str()
        .expect("uploaded")
        .to_owned()
}

pub async fn upload_video(app: &TestApp, token: &str) -> String {
    let body: Value = app
        .upload(token, "clip.mp4", "PRODUCT")
        .await
        .json()
        .await
        .unwrap();
    body["data"]["uploadMedia"]["id"]
        .as_str()
        .expect("uploaded")
        .to_owned()
}

pub async fn set_media(
    app: &TestApp,
    token: &str,
    product: &Value,
    images: &[String],
    video: Option<&str>,
) -> Value {
    app.gql(
        Some(token),
        "mutation($p: ID!, $i: [ID!]!, $v: ID) { setProductMedia(productId: $p, imageIds: $i, videoId: $v) \
         { images { id variants { preset size } } video { id } } }",
        json!({ "p": product, "i": images, "v": video }),
    )
    .await
}

async fn add_media(app: &TestApp, token: &str, product: &Value, media: &str) -> Value {
    app.gql(
        Some(token),
        "mutation($p: ID!, $m: ID!) { addProductMedia(productId: $p, mediaId: $m) { images { id } video { id } } }",
        json!({ "p": product, "m": media }),
    )
    .await
}

db_test!(async fn slugs_fold_turkish_letters_and_collisions_get_numbers(app) {
    let token = app.admin_token().await;
    let first = create(&app, &token, json!({ "name": "Işıklı Çay Bardağı", "price": 12990 })).await;
    let second = create(&app, &token, json!({ "name": "IŞIKLI ÇAY BARDAĞI", "price": 12990 })).await;
    assert_eq!(first["slug"], "isikli-cay-bardagi");
    assert_eq!(second["slug"], "isikli-cay-bardagi-2");
    let third = create(&app, &token, json!({ "name": "Öğle Şalı", "price": 100, "slug": "ogle-sali-ozel" })).await;
    assert_eq!(third["slug"], "ogle-sali-ozel");
});

db_test!(async fn a_renamed_product_keeps_its_slug_and_old_slugs_find_it(app) {
    let token = app.admin_token().await;
    let product = create(&app, &token, json!({ "name": "Keten Gömlek", "price": 50000, "active": true })).await;
    let renamed = update(&app, &token, &product["id"], json!({ "name": "Keten Gömlek (Beyaz)" })).await;
    assert_eq!(renamed["data"]["updateProduct"]["slug"], "keten-gomlek");
    let moved = update(&app, &token, &product["id"], json!({ "slug": "beyaz-keten-gomlek" })).await;
    assert_eq!(moved["data"]["updateProduct"]["slug"], "beyaz-keten-gomlek");
    assert_eq!(by_slug(&app, "keten-gomlek").await["slug"], "beyaz-keten-gomlek");
    assert_eq!(by_slug(&app, "beyaz-keten-gomlek").await["name"], "Keten Gömlek (Beyaz)");
    // A new product may not take the old slug by accident: it gets a number.
    let other = create(&app, &token, json!({ "name": "Keten Gömlek", "price": 100 })).await;
    assert_eq!(other["slug"], "keten-gomlek-2");
});

db_test!(async fn search_ignores_case_and_turkish_letters(app) {
    let token = app.admin_token().await;
    for (name, sku) in [("Işık Lambası", "LMB-1"), ("Masa Saati", "SAAT-9"), ("Kitap", "KTP")] {
        create(&app, &token, json!({ "name": name, "sku": sku, "price": 1000, "active": true,
            "description": "El yapımı, **ışıltılı** bir parça." })).await;
    }
    let found = listed(&app, "filter: $f", json!({ "f": { "search": "IŞIK" } })).await;
    assert_eq!(names(&found), ["Işık Lambası"]);
    let found = listed(&app, "filter: $f", json!({ "f": { "search": "isik lambasi" } })).await;
    assert_eq!(names(&found), ["Işık Lambası"]);
    let found = listed(&app, "filter: $f", json!({ "f": { "search": "saat-9" } })).await;
    assert_eq!(names(&found), ["Masa Saati"]);
    let found = listed(&app, "filter: $f", json!({ "f": { "search": "ISILTILI" } })).await;
    assert_eq!(found["totalCount"], 3);
    let found = listed(&app, "filter: $f", json!({ "f": { "search": "%" } })).await;
    assert_eq!(found["totalCount"], 0, "wildcards are plain characters");
    let long = app
        .gql(None, "query($f: ProductFilterInput) { products(filter: $f) { totalCount } }",
            json!({ "f": { "search": "a".repeat(201) } }))
        .await;
    assert_eq!(long["errors"][0]["extensions"]["field"], "filter.search");
});

db_test!(async fn prices_sort_and_filter_by_what_is_paid_now(app) {
    let token = app.admin_token().await;
    let now = app.clock.now();
    let hour = chrono::Duration::hours(1);
    create(&app, &token, json!({ "name": "A", "price": 30000, "active": true })).await;
    let b = create(&app, &token, json!({ "name": "B", "price": 50000, "salePrice": 10000, "active": true,
        "saleEndsAt": (now + hour).to_rfc3339() })).await;
    create(&app, &token, json!({ "name": "C", "price": 20000, "salePrice": 15000, "active": true,
        "saleStartsAt": (now + hour).to_rfc3339() })).await;
    assert_eq!(b["onSale"], true);
    assert_eq!(b["discountPercent"], 80);
    assert_eq!(b["currentPrice"]["amount"], "10000");
    assert_eq!(b["price"]["formatted"], "500,00 ₺");
    let cheap_first = listed(&app, "sort: PRICE_ASC", json!({})).await;
    assert_eq!(names(&cheap_first), ["B", "C", "A"]);
    let on_sale = listed(&app, "filter: $f", json!({ "f": { "onSale": true } })).await;
    assert_eq!(names(&on_sale), ["B"]);
    let in_range = listed(&app, "filter: $f", json!({ "f": { "priceMin": "15000", "priceMax": "30000" } })).await;
    assert_eq!(names(&in_range), ["C", "A"]);
    let c_on_sale = json!({ "f": { "search": "C", "onSale": true } });
    assert!(names(&listed(&app, "filter: $f", c_on_sale.clone()).await).is_empty());

    // Two hours on: B's sale has ended and C's has begun (remembered answers included).
    app.clock.advance(chrono::Duration::hours(2));
    assert_eq!(names(&listed(&app, "filter: $f", c_on_sale).await), ["C"]);
    let cheap_first = listed(&app, "sort: PRICE_ASC", json!({})).await;
    assert_eq!(names(&cheap_first), ["C", "A", "B"]);
    let discounted = app
        .gql(None, "{ discountedProducts { edges { node { name discountPercent } } } }", json!({}))
        .await;
    assert_eq!(discounted["data"]["discountedProducts"]["edges"][0]["node"]["name"], "C");
    assert_eq!(discounted["data"]["discountedProducts"]["edges"][0]["node"]["discountPercent"], 25);
});

db_test!(async fn paging_visits_every_product_once_in_every_order(app) {
    let token = app.admin_token().await;
    for (i, name) in ["Çanta", "Ayakkabı", "Şapka", "Eldiven", "Bere", "Atkı", "Ceket"].iter().enumerate() {
        let price = [5000, 9000, 5000, 12000, 700, 5000, 30000][i];
        create(&app, &token, json!({ "name": name, "price": price, "active": true })).await;
    }
    for sort in ["NEWEST", "PRICE_ASC", "PRICE_DESC", "NAME", "DISCOUNT"] {
        let mut seen = Vec::new();
        let mut after = Value::Null;
        loop {
            let page = listed(&app, &format!("sort: {sort}, first: 3, after: $after"), json!({ "after": after })).await;
            assert_eq!(page["totalCount"], 7);
            seen.extend(names(&page));
            if page["pageInfo"]["hasNextPage"] == false {
                break;
            }
            after = page["pageInfo"]["endCursor"].clone();
        }
        let mut unique = seen.clone();
        unique.sort();
        unique.dedup();
        assert_eq!((seen.len(), unique.len()), (7, 7), "{sort}: {seen:?}");
        if sort == "NAME" {
            assert_eq!(seen, ["Atkı", "Ayakkabı", "Bere", "Çanta", "Ceket", "Eldiven", "Şapka"]);
        }
    }
    let wrong_order = app
        .gql(None, "query($a: String) { products(sort: NAME, after: $a) { totalCount } }",
            json!({ "a": listed(&app, "first: 1", json!({})).await["pageInfo"]["endCursor"] }))
        .await;
    assert_eq!(error_code(&wrong_order), "BAD_USER_INPUT");
});

db_test!(async fn shoppers_never_see_inactive_products(app) {
    let token = app.admin_token().await;
    create(&app, &token, json!({ "name": "Taslak", "price": 100 })).await;
    assert!(by_slug(&app, "taslak").await.is_null());
    assert_eq!(listed(&app, "", json!({})).await["totalCount"], 0);
    let refused = app.gql(None, "{ products(includeInactive: true) { totalCount } }", json!({})).await;
    assert_eq!(error_code(&refused), "UNAUTHENTICATED");
    let admin = app.gql(Some(&token), "{ products(includeInactive: true) { totalCount } }", json!({})).await;
    assert_eq!(admin["data"]["products"]["totalCount"], 1);
    let description = app.gql(None, "{ products { edges { node { description } } } }", json!({})).await;
    assert!(description["errors"].is_null(), "an empty list asks nothing of the guard");
});

db_test!(async fn every_catalog_mutation_needs_an_administrator(app) {
    for mutation in [
        "mutation { createProduct(input: { name: \"x\", price: 1 }) { id } }",
        "mutation { updateProduct(id: \"1\", input: { name: \"x\" }) { id } }",
        "mutation { deleteProduct(id: \"1\") { id } }",
        "mutation { setProductMedia(productId: \"1\", imageIds: []) { id } }",
        "mutation { addProductMedia(productId: \"1\", mediaId: \"1\") { id } }",
        "mutation { setProductCategories(productId: \"1\", categoryIds: []) { id } }",
        "mutation { createCategory(input: { name: \"x\" }) { id } }",
        "mutation { updateCategory(id: \"1\", input: { name: \"x\" }) { id } }",
        "mutation { deleteCategory(id: \"1\") { id } }",
    ] {
        let body = app.gql(None, mutation, json!({})).await;
        assert_eq!(error_code(&body), "UNAUTHENTICATED", "{mutation}");
    }
});

db_test!(async fn bad_product_input_is_refused_with_its_field_and_nothing_is_written(app) {
    let token = app.admin_token().await;
    let existing = create(&app, &token, json!({ "name": "Var Olan", "price": 1000, "sku": "SKU-1" })).await;
    let cases = [
        (json!({ "name": "x", "price": -1 }), "input.price"),
        (json!({ "name": "x", "price": "1000000001" }), "input.price"),
        (json!({ "name": "x", "price": 1000, "salePrice": 1000 }), "input.salePrice"),
        (json!({ "name": "x", "price": 1000, "salePrice": 500, "saleStartsAt": "2027-01-02T00:00:00Z",
            "saleEndsAt": "2027-01-01T00:00:00Z" }), "input.saleEndsAt"),
        (json!({ "name": "x", "price": 1000, "categoryIds": ["999"] }), "input.categoryIds.0"),
        (json!({ "name": "x", "price": 1000, "slug": "var-olan" }), "input.slug"),
        (json!({ "name": "x", "price": 1000, "slug": "Büyük Harf" }), "input.slug"),
        (json!({ "name": "x", "price": 1000, "sku": "SKU-1" }), "input.sku"),
        (json!({ "name": "x", "price": 1000, "externalUrl": "javascript:alert(1)" }), "input.externalUrl"),
        (json!({ "name": "   ", "price": 1000 }), "input.name"),
        (json!({ "price": 1000 }), "input.name"),
        (json!({ "name": "x", "price": 1000, "stock": -3 }), "input.stock"),
        (json!({ "name": "x", "price": 1000, "vatRate": 101 }), "input.vatRate"),
    ];
    for (input, field) in cases {
        let body = app
            .gql(Some(&token), "mutation($i: ProductInput!) { createProduct(input: $i) { id } }", json!({ "i": input }))
            .await;
        assert_eq!(error_code(&body), "BAD_USER_INPUT", "{input}: {body}");
        assert_eq!(body["errors"][0]["extensions"]["field"], field, "{input}: {body}");
    }
    assert_eq!(app.count_sql("SELECT COUNT(*) AS n FROM products").await, 1);
    // An update that fails changes nothing either.
    let body = update(&app, &token, &existing["id"], json!({ "name": "Yeni Ad", "salePrice": 5000 })).await;
    assert_eq!(body["errors"][0]["extensions"]["field"], "input.salePrice");
    assert_eq!(by_slug(&app, "var-olan").await, Value::Null, "inactive");
    let name = app.gql(Some(&token), "query($id: ID) { product(id: $id) { name } }", json!({ "id": existing["id"] })).await;
    assert_eq!(name["data"]["product"]["name"], "Var Olan");
});

db_test!(async fn product_media_keeps_its_order_and_its_limits(app) {
    let token = app.admin_token().await;
    let product = create(&app, &token, json!({ "name": "Vazo", "price": 1000 })).await;
    let mut pictures = Vec::new();
    for shade in 0..6 {
        pictures.push(upload_picture(&app, &token, shade * 40).await);
    }
    let video = upload_video(&app, &token).await;
    let body = set_media(&app, &token, &product["id"], &pictures[..3], Some(&video)).await;
    assert!(body["errors"].is_null(), "{body}");
    let shown = &body["data"]["setProductMedia"];
    let order: Vec<&str> = shown["images"].as_array().unwrap().iter().map(|i| i["id"].as_str().unwrap()).collect();
    assert_eq!(order, pictures[..3].iter().map(String::as_str).collect::<Vec<_>>());
    assert_eq!(shown["video"]["id"], video.as_str());
    let sizes: Vec<&str> = shown["images"][0]["variants"].as_array().unwrap().iter()
        .filter(|v| v["preset"] == "product").map(|v| v["size"].as_str().unwrap()).collect();
    for size in ["main", "zoom", "thumb"] {
        assert!(sizes.contains(&size), "the product sizes are made on attaching: {sizes:?}");
    }

    let six = set_media(&app, &token, &product["id"], &pictures, None).await;
    assert_eq!(six["errors"][0]["extensions"]["field"], "imageIds.5");
    let video_as_picture = set_media(&app, &token, &product["id"], std::slice::from_ref(&video), None).await;
    assert_eq!(video_as_picture["errors"][0]["extensions"]["field"], "imageIds.0");
    let picture_as_video = set_media(&app, &token, &product["id"], &[], Some(&pictures[0])).await;
    assert_eq!(picture_as_video["errors"][0]["extensions"]["field"], "videoId");
    let unknown = set_media(&app, &token, &product["id"], &["999999".to_owned()], None).await;
    assert_eq!(error_code(&unknown), "BAD_USER_INPUT");
    let second_video = add_media(&app, &token, &product["id"], &video).await;
    assert_eq!(error_code(&second_video), "BAD_USER_INPUT");

    // What a product shows cannot be deleted from the library.
    let delete = app
        .gql(Some(&token), "mutation($id: ID!) { deleteMedia(id: $id) }", json!({ "id": pictures[0] }))
        .await;
    assert_eq!(error_code(&delete), "CONFLICT");
    assert!(delete["errors"][0]["message"].as_str().unwrap().contains("Vazo"), "{delete}");

    // The database itself refuses a sixth picture and a second video.
    let id = product["id"].as_str().unwrap();
    for (media, kind, position) in [(&pictures[3], "IMAGE", 5), (&pictures[3], "IMAGE", 0), (&pictures[4], "VIDEO", 0)] {
        let sql = format!("INSERT INTO product_media (product_id, media_id, kind, position) VALUES ({id}, {media}, '{kind}', {position})");
        assert!(!app.try_exec_sql(&sql).await, "{sql}");
    }
});

db_test!(async fn concurrent_media_changes_leave_exactly_one_requested_list(app) {
    let token = app.admin_token().await;
    let product = create(&app, &token, json!({ "name": "Lamba", "price": 1000 })).await;
    let mut pictures = Vec::new();
    for shade in 0..7 {
        pictures.push(upload_picture(&app, &token, shade * 30).await);
    }
    let lists: Vec<Vec<String>> = (0..10)
        .map(|i| (0..5).map(|j| pictures[(i + j) % 7].clone()).collect::<Vec<_>>()[..(i % 5) + 1].to_vec())
        .collect();
    let results = futures_util::future::join_all(
        lists.iter().map(|list| set_media(&app, &token, &product["id"], list, None)),
    )
    .await;
    for body in &results {
        assert!(body["errors"].is_null(), "{body}");
    }
    let now = app
        .gql(Some(&token), "query($id: ID) { product(id: $id) { images { id } } }", json!({ "id": product["id"] }))
        .await;
    let shown: Vec<String> = now["data"]["product"]["images"].as_array().unwrap().iter()
        .map(|i| i["id"].as_str().unwrap().to_owned()).collect();
    assert!(lists.contains(&shown), "{shown:?} is one of the requested lists");

    // Four pictures, then two more at once: one fits, the other is refused.
    set_media(&app, &token, &product["id"], &pictures[..4], None).await;
    let (a, b) = tokio::join!(
        add_media(&app, &token, &product["id"], &pictures[4]),
        add_media(&app, &token, &product["id"], &pictures[5]),
    );
    let added = [&a, &b].iter().filter(|r| r["errors"].is_null()).count();
    assert_eq!(added, 1, "{a}\n{b}");
    let count = app.count_sql(&format!("SELECT COUNT(*) AS n FROM product_media WHERE product_id = {}", product["id"].as_str().unwrap())).await;
    assert_eq!(count, 5);

    // Two videos at once: one is kept.
    let first = upload_video(&app, &token).await;
    let other: Value = app.upload(&token, "clip.webm", "PRODUCT").await.json().await.unwrap();
    let other = other["data"]["uploadMedia"]["id"].as_str().unwrap().to_owned();
    let (a, b) = tokio::join!(
        add_media(&app, &token, &product["id"], &first),
        add_media(&app, &token, &product["id"], &other),
    );
    assert_eq!([&a, &b].iter().filter(|r| r["errors"].is_null()).count(), 1, "{a}\n{b}");
});

db_test!(async fn a_page_of_products_costs_the_same_queries_at_any_size(app) {
    let token = app.admin_token().await;
    let category = app
        .gql(Some(&token), "mutation { createCategory(input: { name: \"Ev\" }) { id } }", json!({}))
        .await["data"]["createCategory"]["id"]
        .clone();
    let pictures = [upload_picture(&app, &token, 10).await, upload_picture(&app, &token, 200).await];
    for i in 0..24 {
        let product = create(&app, &token, json!({ "name": format!("Ürün {i}"), "price": 100 + i,
            "active": true, "categoryIds": [category] })).await;
        set_media(&app, &token, &product["id"], &pictures, None).await;
    }
    let page = "query($n: Int) { products(first: $n) { totalCount edges { node { name currentPrice { formatted } \
        categories { name parent { name } children { name } } images { url variants { url width } } video { url } } } } }";
    let mut cost = Vec::new();
    for n in [1, 24] {
        // The fewest over a few runs: background work (job polling) only adds.
        let mut fewest = u64::MAX;
        for run in 0..3 {
            // Another document each run: computed every time, not answered from memory.
            let document = format!("{page} # run {run}");
            let before = app.app.services.db.queries();
            let body = app.gql(None, &document, json!({ "n": n })).await;
            assert!(body["errors"].is_null(), "{body}");
            assert_eq!(body["data"]["products"]["edges"].as_array().unwrap().len(), n as usize);
            fewest = fewest.min(app.app.services.db.queries() - before);
        }
        cost.push(fewest);
    }
    assert_eq!(cost[0], cost[1], "queries for 1 and for 24 products");
    assert!(cost[0] > 0, "the pages were computed, not remembered");
    // The page and its count, then one query per relation and level (media, variants,
    // categories, the category tree), whatever the page size.
    assert!(cost[0] <= 12, "{cost:?}");
});

db_test!(async fn categories_nest_three_deep_and_keep_their_products(app) {
    let token = app.admin_token().await;
    let make = |name: &'static str, parent: Value| {
        let app = &app;
        let token = &token;
        async move {
            app.gql(Some(token), "mutation($i: CategoryInput!) { createCategory(input: $i) { id slug } }",
                json!({ "i": { "name": name, "parentId": parent } })).await
        }
    };
    let top = make("Giyim", Value::Null).await["data"]["createCategory"].clone();
    let middle = make("Kadın Giyim", top["id"].clone()).await["data"]["createCategory"].clone();
    let leaf = make("Elbiseler", middle["id"].clone()).await["data"]["createCategory"].clone();
    assert_eq!(middle["slug"], "kadin-giyim");
    let too_deep = make("Yazlık", leaf["id"].clone()).await;
    assert_eq!(too_deep["errors"][0]["extensions"]["field"], "input.parentId");
    let under_itself = app
        .gql(Some(&token), "mutation($id: ID!, $p: ID) { updateCategory(id: $id, input: { parentId: $p }) { id } }",
            json!({ "id": top["id"], "p": leaf["id"] }))
        .await;
    assert_eq!(error_code(&under_itself), "BAD_USER_INPUT");

    create(&app, &token, json!({ "name": "Yazlık Elbise", "price": 100, "active": true, "categoryIds": [leaf["id"]] })).await;
    let in_top = app
        .gql(None, "{ categories { slug children { slug } products { totalCount } } }", json!({}))
        .await;
    let giyim = in_top["data"]["categories"].as_array().unwrap().iter().find(|c| c["slug"] == "giyim").unwrap().clone();
    assert_eq!(giyim["products"]["totalCount"], 1, "a category lists its subcategories' products");
    assert_eq!(giyim["children"][0]["slug"], "kadin-giyim");
    let delete = app
        .gql(Some(&token), "mutation($id: ID!) { deleteCategory(id: $id) { id } }", json!({ "id": leaf["id"] }))
        .await;
    assert_eq!(error_code(&delete), "CONFLICT");
    assert!(delete["errors"][0]["message"].as_str().unwrap().contains("Elbiseler"), "{delete}");
});
