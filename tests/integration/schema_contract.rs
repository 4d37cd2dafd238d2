//! The schema as a contract: the committed SDL, and every admin field guarded against
//! anonymous callers and customers.

use std::collections::BTreeSet;

use serde_json::{Value, json};

use crate::db_test;

/// Fields any visitor may call. Everything else must refuse an anonymous caller.
const PUBLIC_QUERIES: &[&str] = &[
    "me",
    "passwordResetTokenValid",
    "stats",
    "publicReviews",
    "products",
    "discountedProducts",
    "product",
    "categories",
    "shopSettings",
    "cart",
    "publicCoupons",
    "couponProducts",
];
const PUBLIC_MUTATIONS: &[&str] = &[
    "login",
    "register",
    "verifyEmail",
    "requestPasswordReset",
    "resetPassword",
    "confirmEmailChange",
    "submitReview",
    "submitContactMessage",
    "recordVisit",
    "addToCart",
    "updateCartLine",
    "removeCartLine",
    "clearCart",
    "applyCoupon",
    "removeCoupon",
];

#[test]
fn committed_schema_graphql_matches_the_server() {
    let committed = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/schema.graphql"))
        .expect("schema.graphql is committed at the repository root");
    let current = vitrin::schema::sdl();
    assert!(
        committed == current,
        "schema.graphql is out of date: run `cargo run -- schema > schema.graphql` and commit it"
    );
}

const INTROSPECT: &str = r#"{
  __schema {
    queryType { fields { name args { name type { ...T } } type { ...T } } }
    mutationType { fields { name args { name type { ...T } } type { ...T } } }
    types { name kind enumValues { name } inputFields { name type { ...T } } }
  }
}
fragment T on __Type { kind name ofType { kind name ofType { kind name ofType { kind name } } } }"#;

/// Fields any signed-in user may call for their own account. Everything else that is
/// not public is an administrator's and must refuse a customer.
const ACCOUNT_QUERIES: &[&str] = &[
    "mySessions",
    "myAddresses",
    "myIdentities",
    "myOrders",
    "order",
    "myFavorites",
    "myProductReview",
];
const ACCOUNT_MUTATIONS: &[&str] = &[
    "endSession",
    "logout",
    "updateProfile",
    "changePassword",
    "requestEmailChange",
    "resendVerification",
    "deleteMyAccount",
    "createAddress",
    "updateAddress",
    "deleteAddress",
    "setDefaultAddress",
    "connectPendingIdentity",
    "disconnectIdentity",
    "checkout",
    "cancelMyOrder",
    "submitProductReview",
    "uploadReviewPhoto",
    "markReviewHelpful",
    "reportReview",
    "toggleFavorite",
    "shareProductByEmail",
];

db_test!(async fn every_non_public_field_refuses_an_anonymous_caller(app) {
    let checked = call_every_field(&app, None, &[PUBLIC_QUERIES, PUBLIC_MUTATIONS], "UNAUTHENTICATED").await;
    assert!(checked.contains("logout"), "the walk reached the guarded fields: {checked:?}");
});

db_test!(async fn every_administrators_field_refuses_a_customer(app) {
    let customer = crate::customers::verified_customer(&app, "shopper@example.com").await;
    let skipped = [PUBLIC_QUERIES, PUBLIC_MUTATIONS, ACCOUNT_QUERIES, ACCOUNT_MUTATIONS];
    let checked = call_every_field(&app, Some(&customer), &skipped, "FORBIDDEN").await;
    for admin_field in ["customers", "setCustomerDisabled", "createProduct", "uploadMedia", "updateStatSettings"] {
        assert!(checked.contains(admin_field), "the walk reached {admin_field}: {checked:?}");
    }
    // The customer's session still works after the walk.
    let me = app.gql(Some(&customer), "{ me { role } }", json!({})).await;
    assert_eq!(me["data"]["me"]["role"], "CUSTOMER");
});

/// Calls every root field not named in `skipped` (with sample arguments) as the holder
/// of `token`, expects each to answer `code`, and returns the fields it called.
async fn call_every_field(
    app: &crate::support::TestApp,
    token: Option<&str>,
    skipped: &[&[&str]],
    code: &str,
) -> BTreeSet<String> {
    let schema = app.gql(None, INTROSPECT, json!({})).await["data"]["__schema"].clone();
    let types = schema["types"].as_array().unwrap().clone();
    let mut checked = BTreeSet::new();
    for (root, keyword) in [("queryType", "query"), ("mutationType", "mutation")] {
        for field in schema[root]["fields"].as_array().unwrap() {
            let name = field["name"].as_str().unwrap();
            if skipped.iter().any(|list| list.contains(&name)) || name.starts_with("__") {
                continue;
            }
            let required: Vec<&Value> = field["args"]
                .as_array()
                .unwrap()
                .iter()
                .filter(|a| a["type"]["kind"] == "NON_NULL")
                .collect();
            // Upload arguments can only travel as files: they become variables of a multipart request.
            let uploads: Vec<&str> = required
                .iter()
                .filter(|a| named(&a["type"])["name"] == "Upload")
                .map(|a| a["name"].as_str().unwrap())
                .collect();
            let args: Vec<String> = required
                .iter()
                .map(|a| {
                    let arg = a["name"].as_str().unwrap();
                    if uploads.contains(&arg) {
                        format!("{arg}: ${arg}")
                    } else {
                        format!("{arg}: {}", sample_value(&a["type"], &types))
                    }
                })
                .collect();
            let args = if args.is_empty() {
                String::new()
            } else {
                format!("({})", args.join(", "))
            };
            let selection = if is_composite(&field["type"]) {
                " { __typename }"
            } else {
                ""
            };
            let variables: String = uploads
                .iter()
                .map(|u| format!("${u}: Upload!"))
                .collect::<Vec<_>>()
                .join(", ");
            let variables = if variables.is_empty() {
                String::new()
            } else {
                format!("({variables})")
            };
            let document = format!("{keyword}{variables} {{ {name}{args}{selection} }}");
            let body = if uploads.is_empty() {
                app.gql(token, &document, json!({})).await
            } else {
                multipart(app, token, &document, &uploads).await
            };
            assert_eq!(
                body["errors"][0]["extensions"]["code"], code,
                "{keyword} {name} answered {token:?} with: {body}"
            );
            checked.insert(name.to_owned());
        }
    }
    checked
}

async fn multipart(
    app: &crate::support::TestApp,
    token: Option<&str>,
    document: &str,
    uploads: &[&str],
) -> Value {
    let variables: serde_json::Map<String, Value> = uploads
        .iter()
        .map(|u| ((*u).to_owned(), Value::Null))
        .collect();
    let map: serde_json::Map<String, Value> = uploads
        .iter()
        .enumerate()
        .map(|(i, u)| (i.to_string(), json!([format!("variables.{u}")])))
        .collect();
    let mut form = reqwest::multipart::Form::new()
        .text(
            "operations",
            json!({ "query": document, "variables": variables }).to_string(),
        )
        .text("map", Value::Object(map).to_string());
    for i in 0..uploads.len() {
        form = form.part(
            i.to_string(),
            reqwest::multipart::Part::bytes(b"\x89PNG\r\n".to_vec()).file_name("x.png"),
        );
    }
    let mut request = app.client.post(app.url("/graphql")).multipart(form);
    if let Some(token) = token {
        request = request.bearer_auth(token);
    }
    request.send().await.unwrap().json().await.unwrap()
}

fn named(ty: &Value) -> &Value {
    if ty["ofType"].is_null() {
        ty
    } else {
        named(&ty["ofType"])
    }
}

fn is_composite(ty: &Value) -> bool {
    matches!(
        named(ty)["kind"].as_str(),
        Some("OBJECT" | "INTERFACE" | "UNION")
    )
}

/// A syntactically valid literal for a (required) argument type.
fn sample_value(ty: &Value, types: &[Value]) -> String {
    match ty["kind"].as_str() {
        Some("NON_NULL") => sample_value(&ty["ofType"], types),
        Some("LIST") => format!("[{}]", sample_value(&ty["ofType"], types)),
        _ => {
            let name = ty["name"].as_str().unwrap();
            let definition = types.iter().find(|t| t["name"] == name).unwrap();
            match (definition["kind"].as_str().unwrap(), name) {
                ("ENUM", _) => definition["enumValues"][0]["name"]
                    .as_str()
                    .unwrap()
                    .to_owned(),
                ("INPUT_OBJECT", _) => {
                    let fields: Vec<String> = definition["inputFields"]
                        .as_array()
                        .unwrap()
                        .iter()
                        .filter(|f| f["type"]["kind"] == "NON_NULL")
                        .map(|f| {
                            format!(
                                "{}: {}",
                                f["name"].as_str().unwrap(),
                                sample_value(&f["type"], types)
                            )
                        })
                        .collect();
                    format!("{{ {} }}", fields.join(", "))
                }
                (_, "Int") => "1".to_owned(),
                (_, "Float") => "1.0".to_owned(),
                (_, "Boolean") => "true".to_owned(),
                _ => "\"1\"".to_owned(),
            }
        }
    }
}
