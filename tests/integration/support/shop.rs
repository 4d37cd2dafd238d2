//! What the shop's tests share: products, customers made in bulk, a guest's browser,
//! and the shop's GraphQL documents.

use serde_json::{Value, json};

use super::TestApp;

/// The cart fields the tests read.
pub const CART: &str = "id itemCount canCheckOut subtotal { amount } discount { amount } \
    shipping { amount } total { amount } vatIncluded { amount } \
    coupon { code applies discount { amount } } \
    lines { id quantity unitPrice { amount } lineTotal { amount } product { id name stock } } \
    warnings { kind lineId blocking message }";

/// The order fields the tests read.
pub const ORDER: &str = "id number status paymentMethod subtotal { amount } discount { amount } \
    shipping { amount } paymentFee { amount } total { amount } vatIncluded { amount } couponCode \
    carrier trackingNumber cancellable shippingAddress { recipientName phone text } \
    lines { productName quantity unitPrice { amount } lineTotal { amount } discount { amount } vatAmount { amount } } \
    history { status actor }";

/// An active product with this price (kuruş) and stock; its id.
pub async fn product(app: &TestApp, admin: &str, name: &str, price: i64, stock: i32) -> String {
    let body = app
        .gql(
            Some(admin),
            "mutation($i: ProductInput!) { createProduct(input: $i) { id } }",
            json!({ "i": { "name": name, "price": price, "stock": stock, "active": true, "vatRate": 20 } }),
        )
        .await;
    body["data"]["createProduct"]["id"]
        .as_str()
        .unwrap_or_else(|| panic!("{body}"))
        .to_owned()
}

/// `n` verified customers, made in the database (no mail, no password hashing) and
/// signed in: their session tokens.
pub async fn customers(app: &TestApp, prefix: &str, n: usize) -> Vec<String> {
    let mut tokens = Vec::with_capacity(n);
    for i in 0..n {
        let email = format!("{prefix}{i}@example.com");
        app.exec_sql(&format!(
            "INSERT INTO users (email, name, password_hash, role, locale, disabled, created_at, updated_at, email_verified_at, search_text) \
             VALUES ('{email}', 'Müşteri {i}', '', 'CUSTOMER', 'tr', FALSE, 0, 0, 0, '{email}')"
        ))
        .await;
        let row = vitrin::db::users::find_by_email(
            &mut app.app.services.db.read().await.unwrap().conn(),
            &email,
        )
        .await
        .unwrap()
        .expect("the customer was inserted");
        let session = app
            .app
            .auth
            .open_session(vitrin::auth::User::from(row))
            .await
            .expect("signed in");
        tokens.push(session.token);
    }
    tokens
}

/// Gives the shop a bank account, so bank transfers are offered.
pub async fn offer_bank_transfer(app: &TestApp, admin: &str) {
    let body = app
        .gql(
            Some(admin),
            "mutation($i: ShopSettingsInput!) { updateShopSettings(input: $i) { bankTransfer } }",
            json!({ "i": { "shippingFee": 4990, "freeShippingThreshold": 50000, "bankAccounts": [
                { "bank": "Ziraat Bankası", "holder": "Vitrin Ltd.", "iban": "TR33 0006 1005 1978 6457 8413 26" }
            ] } }),
        )
        .await;
    assert_eq!(
        body["data"]["updateShopSettings"]["bankTransfer"], true,
        "{body}"
    );
}

/// Puts `quantity` of a product in the cart of `token`.
pub async fn add(app: &TestApp, token: &str, product: &str, quantity: i32) -> Value {
    app.gql(
        Some(token),
        &format!(
            "mutation($p: ID!, $q: Int!) {{ addToCart(productId: $p, quantity: $q) {{ {CART} }} }}"
        ),
        json!({ "p": product, "q": quantity }),
    )
    .await
}

/// A delivery address typed at checkout.
pub fn address() -> Value {
    json!({ "title": "Ev", "recipientName": "Ayşe Yılmaz", "phone": "0532 123 45 67", "line1": "Bağdat Cad. No: 5", "district": "Kadıköy", "city": "İstanbul", "postalCode": "34710" })
}

/// Checks the cart of `token` out to a new address.
pub async fn checkout(app: &TestApp, token: &str, key: &str, method: &str) -> Value {
    app.gql(
        Some(token),
        &format!("mutation($i: CheckoutInput!) {{ checkout(input: $i) {{ {ORDER} }} }}"),
        json!({ "i": { "idempotencyKey": key, "address": address(), "paymentMethod": method } }),
    )
    .await
}

/// A guest's browser: keeps the cart cookie the server sets.
pub struct Guest {
    client: reqwest::Client,
}

impl Guest {
    pub fn new() -> Guest {
        Guest {
            client: reqwest::Client::builder()
                .cookie_store(true)
                .build()
                .expect("client"),
        }
    }

    /// A GraphQL request with this browser's cookies (and a session token if given).
    pub async fn gql(
        &self,
        app: &TestApp,
        token: Option<&str>,
        query: &str,
        variables: Value,
    ) -> Value {
        let mut request = self
            .client
            .post(app.url("/graphql"))
            .json(&json!({ "query": query, "variables": variables }));
        if let Some(token) = token {
            request = request.bearer_auth(token);
        }
        request
            .send()
            .await
            .expect("sent")
            .json()
            .await
            .expect("JSON")
    }

    /// Puts `quantity` of a product in this browser's cart.
    pub async fn add(&self, app: &TestApp, product: &str, quantity: i32) -> Value {
        self.gql(
            app,
            None,
            &format!("mutation($p: ID!, $q: Int!) {{ addToCart(productId: $p, quantity: $q) {{ {CART} }} }}"),
            json!({ "p": product, "q": quantity }),
        )
        .await
    }
}

/// The `extensions.reason` of the first error.
pub fn reason(body: &Value) -> &str {
    body["errors"][0]["extensions"]["reason"]
        .as_str()
        .unwrap_or_else(|| panic!("no reason in {body}"))
}

/// An amount in kuruş read from `{ amount }`.
pub fn kurus(money: &Value) -> i64 {
    money["amount"]
        .as_str()
        .and_then(|a| a.parse().ok())
        .unwrap_or_else(|| panic!("not an amount: {money}"))
}

/// Uploads bytes as a customer's review photo (GraphQL multipart request); the answer.
pub async fn upload_review_photo(app: &TestApp, token: &str, bytes: Vec<u8>, name: &str) -> Value {
    let operations = json!({
        "query": "mutation($file: Upload!) { uploadReviewPhoto(file: $file) { id url width height } }",
        "variables": { "file": null }
    });
    app.upload_file(token, operations, bytes, name)
        .await
        .json()
        .await
        .expect("a JSON answer")
}

/// Reviews a product as `token`; the answer.
pub async fn review(app: &TestApp, token: &str, product: &str, input: Value) -> Value {
    app.gql(
        Some(token),
        "mutation($p: ID!, $i: ProductReviewInput!) { submitProductReview(productId: $p, input: $i) { id status rating title comment verifiedPurchase photos { id url } } }",
        json!({ "p": product, "i": input }),
    )
    .await
}
