//! Local sign-in providers speaking the documented protocols on loopback: an OpenID
//! Connect provider (discovery, JWKS, authorization with PKCE, a token endpoint that
//! checks the client, the code, the redirect and the verifier, and ID tokens with real
//! RS256 signatures), and Facebook's login dialog and Graph API (code exchange,
//! `debug_token` with the app token, `/me` only with the right `appsecret_proof`).

use std::collections::HashMap;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};

use axum::extract::{Form, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use base64::Engine as _;
use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use hmac::{Hmac, Mac};
use openidconnect::core::{
    CoreIdToken, CoreIdTokenClaims, CoreJwsSigningAlgorithm, CoreRsaPrivateSigningKey,
};
use openidconnect::{
    Audience, EmptyAdditionalClaims, EndUserEmail, EndUserName, IssuerUrl, JsonWebKeyId,
    LocalizedClaim, Nonce, PrivateSigningKey, StandardClaims, SubjectIdentifier,
};
use serde_json::{Value, json};
use sha2::{Digest, Sha256};

pub const GOOGLE_CLIENT_ID: &str = "vitrin-test.apps.example";
pub const GOOGLE_CLIENT_SECRET: &str = "google-secret";
pub const FACEBOOK_APP_ID: &str = "1234567890";
pub const FACEBOOK_APP_SECRET: &str = "facebook-secret";

fn key(name: &str) -> CoreRsaPrivateSigningKey {
    let pem = std::fs::read_to_string(format!(
        "{}/tests/fixtures/oidc/{name}.pem",
        env!("CARGO_MANIFEST_DIR")
    ))
    .expect("test key");
    CoreRsaPrivateSigningKey::from_pem(&pem, Some(JsonWebKeyId::new(name.to_owned())))
        .expect("PKCS#1 key")
}

/// What the provider does wrong (or differently) in the ID token it issues next.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Token {
    Good,
    WrongNonce,
    Expired,
    WrongAudience,
    WrongIssuer,
    /// Signed by a key the JWKS never publishes.
    UnknownKey,
    /// `alg: none`, no signature.
    Unsigned,
    /// Signed by the second key (publish it first to rotate).
    SecondKey,
}

/// The person signing in at the provider.
#[derive(Debug, Clone)]
pub struct Person {
    pub subject: String,
    pub email: Option<String>,
    pub email_verified: bool,
    pub name: String,
}

impl Person {
    pub fn new(subject: &str, email: &str) -> Self {
        Person {
            subject: subject.to_owned(),
            email: Some(email.to_owned()),
            email_verified: true,
            name: "Zeynep Kaya".to_owned(),
        }
    }
}

struct Grant {
    redirect_uri: String,
    challenge: String,
    nonce: String,
    person: Person,
}

struct OidcState {
    issuer: String,
    person: Person,
    token: Token,
    published: Vec<&'static str>,
    grants: HashMap<String, Grant>,
    jwks_reads: usize,
}

/// A running OpenID Connect provider.
pub struct FakeGoogle {
    pub issuer: String,
    state: Arc<Mutex<OidcState>>,
}

impl FakeGoogle {
    pub async fn start() -> FakeGoogle {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr: SocketAddr = listener.local_addr().unwrap();
        let issuer = format!("http://{addr}");
        let state = Arc::new(Mutex::new(OidcState {
            issuer: issuer.clone(),
            person: Person::new("google-1", "zeynep@example.com"),
            token: Token::Good,
            published: vec!["first"],
            grants: HashMap::new(),
            jwks_reads: 0,
        }));
        let router = Router::new()
            .route("/.well-known/openid-configuration", get(discovery))
            .route("/jwks", get(jwks))
            .route("/authorize", get(authorize))
            .route("/token", post(token))
            .with_state(state.clone());
        tokio::spawn(async move { axum::serve(listener, router).await });
        FakeGoogle { issuer, state }
    }

    /// The server's settings for this provider.
    pub fn env(&self) -> Vec<(&'static str, String)> {
        vec![
            ("VITRIN_GOOGLE_CLIENT_ID", GOOGLE_CLIENT_ID.to_owned()),
            (
                "VITRIN_GOOGLE_CLIENT_SECRET",
                GOOGLE_CLIENT_SECRET.to_owned(),
            ),
            ("VITRIN_GOOGLE_ISSUER", self.issuer.clone()),
        ]
    }

    /// Who signs in next.
    pub fn person(&self, person: Person) {
        self.state.lock().unwrap().person = person;
    }

    /// What the next ID token gets wrong.
    pub fn token(&self, token: Token) {
        self.state.lock().unwrap().token = token;
    }

    /// Which keys the JWKS lists.
    pub fn publish(&self, keys: &[&'static str]) {
        self.state.lock().unwrap().published = keys.to_vec();
    }

    /// How often the JWKS was fetched.
    pub fn jwks_reads(&self) -> usize {
        self.state.lock().unwrap().jwks_reads
    }
}

async fn discovery(State(state): State<Arc<Mutex<OidcState>>>) -> Json<Value> {
    let issuer = state.lock().unwrap().issuer.clone();
    Json(json!({
        "issuer": issuer,
        "authorization_endpoint": format!("{issuer}/authorize"),
        "token_endpoint": format!("{issuer}/token"),
        "jwks_uri": format!("{issuer}/jwks"),
        "response_types_supported": ["code"],
        "subject_types_supported": ["public"],
        "id_token_signing_alg_values_supported": ["RS256"],
        "scopes_supported": ["openid", "email", "profile"],
        "token_endpoint_auth_methods_supported": ["client_secret_basic", "client_secret_post"],
        "code_challenge_methods_supported": ["S256"],
    }))
}

async fn jwks(State(state): State<Arc<Mutex<OidcState>>>) -> Json<Value> {
    let mut state = state.lock().unwrap();
    state.jwks_reads += 1;
    let keys: Vec<Value> = state
        .published
        .iter()
        .map(|name| serde_json::to_value(key(name).as_verification_key()).unwrap())
        .collect();
    Json(json!({ "keys": keys }))
}

/// The consent screen, already agreed to: back to the client with a code. Checks what a
/// real provider checks of the request.
async fn authorize(
    State(state): State<Arc<Mutex<OidcState>>>,
    Query(q): Query<HashMap<String, String>>,
) -> Response {
    let ok = q.get("client_id").map(String::as_str) == Some(GOOGLE_CLIENT_ID)
        && q.get("response_type").map(String::as_str) == Some("code")
        && q.get("code_challenge_method").map(String::as_str) == Some("S256")
        && q.get("scope")
            .is_some_and(|s| s.split(' ').any(|s| s == "openid"))
        && q.contains_key("state")
        && q.contains_key("nonce");
    if !ok {
        return (
            StatusCode::BAD_REQUEST,
            format!("bad authorization request: {q:?}"),
        )
            .into_response();
    }
    let code = format!("code-{}", rand::random::<u64>());
    let mut state = state.lock().unwrap();
    let person = state.person.clone();
    state.grants.insert(
        code.clone(),
        Grant {
            redirect_uri: q["redirect_uri"].clone(),
            challenge: q["code_challenge"].clone(),
            nonce: q["nonce"].clone(),
            person,
        },
    );
    let back = format!(
        "{}?code={code}&state={}",
        q["redirect_uri"],
        urlencode(&q["state"])
    );
    Redirect::to(&back).into_response()
}

fn urlencode(text: &str) -> String {
    percent_encoding::utf8_percent_encode(text, percent_encoding::NON_ALPHANUMERIC).to_string()
}

fn oauth_error(error: &str) -> Response {
    (StatusCode::BAD_REQUEST, Json(json!({ "error": error }))).into_response()
}

async fn token(
    State(state): State<Arc<Mutex<OidcState>>>,
    headers: HeaderMap,
    Form(form): Form<HashMap<String, String>>,
) -> Response {
    // client_secret_basic (what the client uses by default) or client_secret_post.
    let basic = headers
        .get("authorization")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Basic "))
        .and_then(|b| STANDARD.decode(b).ok())
        .and_then(|b| String::from_utf8(b).ok());
    let client_ok = basic.as_deref() == Some(&format!("{GOOGLE_CLIENT_ID}:{GOOGLE_CLIENT_SECRET}"))
        || (form.get("client_id").map(String::as_str) == Some(GOOGLE_CLIENT_ID)
            && form.get("client_secret").map(String::as_str) == Some(GOOGLE_CLIENT_SECRET));
    if !client_ok {
        return oauth_error("invalid_client");
    }
    let mut state = state.lock().unwrap();
    let Some(grant) = form.get("code").and_then(|c| state.grants.remove(c)) else {
        return oauth_error("invalid_grant");
    };
    let verifier = form.get("code_verifier").cloned().unwrap_or_default();
    let challenge = URL_SAFE_NO_PAD.encode(Sha256::digest(verifier.as_bytes()));
    if form.get("grant_type").map(String::as_str) != Some("authorization_code")
        || form.get("redirect_uri") != Some(&grant.redirect_uri)
        || challenge != grant.challenge
    {
        return oauth_error("invalid_grant");
    }
    let id_token = id_token(&state.issuer, state.token, &grant);
    Json(json!({
        "access_token": format!("at-{}", rand::random::<u64>()),
        "token_type": "Bearer",
        "expires_in": 3599,
        "scope": "openid email profile",
        "id_token": id_token,
    }))
    .into_response()
}

fn id_token(issuer: &str, token: Token, grant: &Grant) -> String {
    let now = chrono::Utc::now();
    let (issued, expires) = match token {
        Token::Expired => (
            now - chrono::Duration::hours(2),
            now - chrono::Duration::hours(1),
        ),
        _ => (now, now + chrono::Duration::hours(1)),
    };
    let audience = match token {
        Token::WrongAudience => "someone-else.apps.example",
        _ => GOOGLE_CLIENT_ID,
    };
    let issuer = match token {
        Token::WrongIssuer => "https://accounts.evil.example".to_owned(),
        _ => issuer.to_owned(),
    };
    let nonce = match token {
        Token::WrongNonce => "a-nonce-from-another-sign-in".to_owned(),
        _ => grant.nonce.clone(),
    };
    let person = &grant.person;
    let mut standard = StandardClaims::new(SubjectIdentifier::new(person.subject.clone()))
        .set_email(person.email.clone().map(EndUserEmail::new))
        .set_email_verified(Some(person.email_verified));
    standard = standard.set_name(Some(LocalizedClaim::from(EndUserName::new(
        person.name.clone(),
    ))));
    let claims = CoreIdTokenClaims::new(
        IssuerUrl::new(issuer).unwrap(),
        vec![Audience::new(audience.to_owned())],
        expires,
        issued,
        standard,
        EmptyAdditionalClaims {},
    )
    .set_nonce(Some(Nonce::new(nonce)));
    let signer = match token {
        Token::UnknownKey => "stranger",
        Token::SecondKey => "second",
        _ => "first",
    };
    if token == Token::Unsigned {
        let header = URL_SAFE_NO_PAD.encode(br#"{"alg":"none","typ":"JWT"}"#);
        let body = URL_SAFE_NO_PAD.encode(serde_json::to_vec(&claims).unwrap());
        return format!("{header}.{body}.");
    }
    let signed = CoreIdToken::new(
        claims,
        &key(signer),
        CoreJwsSigningAlgorithm::RsaSsaPkcs1V15Sha256,
        None,
        None,
    )
    .unwrap();
    serde_json::to_value(&signed)
        .unwrap()
        .as_str()
        .unwrap()
        .to_owned()
}

struct GraphState {
    redirect_uri: Option<String>,
    codes: HashMap<String, Person>,
    tokens: HashMap<String, Person>,
    person: Person,
    /// The app the next token is issued to (another app's token must be refused).
    token_app: String,
    proofs_refused: usize,
}

/// A running Facebook login dialog and Graph API.
pub struct FakeFacebook {
    pub base: String,
    state: Arc<Mutex<GraphState>>,
}

impl FakeFacebook {
    pub async fn start() -> FakeFacebook {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let base = format!("http://{}", listener.local_addr().unwrap());
        let state = Arc::new(Mutex::new(GraphState {
            redirect_uri: None,
            codes: HashMap::new(),
            tokens: HashMap::new(),
            person: Person::new("fb-1", "zeynep@example.com"),
            token_app: FACEBOOK_APP_ID.to_owned(),
            proofs_refused: 0,
        }));
        let router = Router::new()
            .route("/dialog/oauth", get(dialog))
            .route(
                "/graph/oauth/access_token",
                post(access_token).get(access_token_get),
            )
            .route("/graph/debug_token", get(debug_token))
            .route("/graph/me", get(me))
            .with_state(state.clone());
        tokio::spawn(async move { axum::serve(listener, router).await });
        FakeFacebook { base, state }
    }

    pub fn env(&self) -> Vec<(&'static str, String)> {
        vec![
            ("VITRIN_FACEBOOK_APP_ID", FACEBOOK_APP_ID.to_owned()),
            ("VITRIN_FACEBOOK_APP_SECRET", FACEBOOK_APP_SECRET.to_owned()),
            (
                "VITRIN_FACEBOOK_DIALOG_URL",
                format!("{}/dialog/oauth", self.base),
            ),
            ("VITRIN_FACEBOOK_GRAPH_URL", format!("{}/graph", self.base)),
        ]
    }

    pub fn person(&self, person: Person) {
        self.state.lock().unwrap().person = person;
    }

    /// Issues the next token to another app (a token meant for someone else's app).
    pub fn tokens_for_another_app(&self) {
        self.state.lock().unwrap().token_app = "999".to_owned();
    }

    /// How many `/me` calls came without the right `appsecret_proof`.
    pub fn proofs_refused(&self) -> usize {
        self.state.lock().unwrap().proofs_refused
    }
}

async fn dialog(
    State(state): State<Arc<Mutex<GraphState>>>,
    Query(q): Query<HashMap<String, String>>,
) -> Response {
    if q.get("client_id").map(String::as_str) != Some(FACEBOOK_APP_ID)
        || !q.contains_key("state")
        || !q.contains_key("redirect_uri")
    {
        return (StatusCode::BAD_REQUEST, "bad dialog request").into_response();
    }
    let code = format!("fbcode-{}", rand::random::<u64>());
    let mut state = state.lock().unwrap();
    let person = state.person.clone();
    state.codes.insert(code.clone(), person);
    state.redirect_uri = Some(q["redirect_uri"].clone());
    let back = format!(
        "{}?code={code}&state={}",
        q["redirect_uri"],
        urlencode(&q["state"])
    );
    Redirect::to(&back).into_response()
}

fn graph_error(message: &str) -> Response {
    (
        StatusCode::BAD_REQUEST,
        Json(json!({ "error": { "message": message, "type": "OAuthException", "code": 190 } })),
    )
        .into_response()
}

async fn access_token_get() -> Response {
    graph_error("this fake takes the exchange as a POST")
}

async fn access_token(
    State(state): State<Arc<Mutex<GraphState>>>,
    Form(form): Form<HashMap<String, String>>,
) -> Response {
    let mut state = state.lock().unwrap();
    if form.get("client_id").map(String::as_str) != Some(FACEBOOK_APP_ID)
        || form.get("client_secret").map(String::as_str) != Some(FACEBOOK_APP_SECRET)
        || form.get("redirect_uri") != state.redirect_uri.as_ref()
    {
        return graph_error("Error validating client secret or redirect_uri.");
    }
    let Some(person) = form.get("code").and_then(|c| state.codes.remove(c)) else {
        return graph_error("This authorization code has been used or has expired.");
    };
    let token = format!("EAAB{}", rand::random::<u64>());
    state.tokens.insert(token.clone(), person);
    Json(json!({ "access_token": token, "token_type": "bearer", "expires_in": 5183944 }))
        .into_response()
}

async fn debug_token(
    State(state): State<Arc<Mutex<GraphState>>>,
    Query(q): Query<HashMap<String, String>>,
) -> Response {
    let state = state.lock().unwrap();
    if q.get("access_token") != Some(&format!("{FACEBOOK_APP_ID}|{FACEBOOK_APP_SECRET}")) {
        return graph_error("debug_token needs the app token.");
    }
    match q.get("input_token").and_then(|t| state.tokens.get(t)) {
        Some(person) => Json(json!({ "data": { "app_id": state.token_app, "type": "USER", "is_valid": true, "user_id": person.subject, "scopes": ["email", "public_profile"] } })).into_response(),
        None => Json(json!({ "data": { "is_valid": false } })).into_response(),
    }
}

async fn me(
    State(state): State<Arc<Mutex<GraphState>>>,
    Query(q): Query<HashMap<String, String>>,
) -> Response {
    let mut state = state.lock().unwrap();
    let Some(token) = q.get("access_token").cloned() else {
        return graph_error("An active access token must be used.");
    };
    let mut mac = Hmac::<Sha256>::new_from_slice(FACEBOOK_APP_SECRET.as_bytes()).unwrap();
    mac.update(token.as_bytes());
    if q.get("appsecret_proof") != Some(&hex::encode(mac.finalize().into_bytes())) {
        state.proofs_refused += 1;
        return graph_error("Invalid appsecret_proof provided in the API argument");
    }
    let Some(person) = state.tokens.get(&token) else {
        return graph_error("Invalid OAuth access token.");
    };
    let mut profile = json!({ "id": person.subject, "name": person.name });
    if let Some(email) = &person.email {
        profile["email"] = json!(email);
    }
    Json(profile).into_response()
}
