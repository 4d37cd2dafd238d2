//! `GET /auth/{google,facebook}/start` (`?return=/path`, and `&baglan=1` from a signed-in
//! customer connecting the provider) and `…/callback`: signing in with a provider. The
//! start sends the browser to the provider with what the callback checks kept in a
//! cookie; the callback checks it, lets the provider vouch for the person, and signs
//! in, signs up, connects or asks for the password. Every failure lands on the sign-in
//! page with a code it has a message for; unconfigured providers answer 404.

use std::collections::HashMap;
use std::net::SocketAddr;
use std::time::Duration;

use axum::Router;
use axum::extract::{ConnectInfo, Path, Query, State};
use axum::http::header::{CACHE_CONTROL, LOCATION, SET_COOKIE};
use axum::http::{HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;

use super::HttpState;
use super::client_ip::client_ip;
use crate::auth::cookies::{self, Credentials};
use crate::auth::identities::SignInOutcome;
use crate::auth::providers::{FLOW_TTL, Flow, Provider, SignInFailure};
use crate::auth::{Viewer, tokens};
use crate::throttle::Limit;

/// Starts, and callbacks, per client address (each may cost calls to the provider).
pub const PROVIDER_CALLS_PER_ADDRESS: Limit = Limit::per(20, Duration::from_secs(60));

/// The sign-in routes.
pub fn routes() -> Router<HttpState> {
    Router::new()
        .route("/auth/{provider}/start", get(start))
        .route("/auth/{provider}/callback", get(callback))
}

fn provider_named(name: &str) -> Option<Provider> {
    match name {
        "google" => Some(Provider::Google),
        "facebook" => Some(Provider::Facebook),
        _ => None,
    }
}

fn path_name(provider: Provider) -> &'static str {
    match provider {
        Provider::Google => "google",
        Provider::Facebook => "facebook",
    }
}

/// A `303 See Other` to `location`, never cached, with the cookies given.
fn see_other(location: &str, cookies: &[String]) -> Response {
    let mut response = StatusCode::SEE_OTHER.into_response();
    let headers = response.headers_mut();
    if let Ok(value) = HeaderValue::from_str(location) {
        headers.insert(LOCATION, value);
    }
    headers.insert(CACHE_CONTROL, HeaderValue::from_static("no-store"));
    for cookie in cookies {
        if let Ok(value) = HeaderValue::from_str(cookie) {
            headers.append(SET_COOKIE, value);
        }
    }
    response
}

/// Back to the sign-in page with the failure's message.
fn failed(provider: Provider, failure: SignInFailure, cookies: &[String]) -> Response {
    failed_at("/hesap/giris", provider, failure, cookies)
}

/// Back to `page` (the sign-in page, or the account page of a signed-in customer who
/// was connecting a provider) with the failure's message.
fn failed_at(
    page: &str,
    provider: Provider,
    failure: SignInFailure,
    cookies: &[String],
) -> Response {
    let location = format!(
        "{page}?hata={}&saglayici={}",
        failure.code(),
        path_name(provider)
    );
    see_other(&location, cookies)
}

/// `path` with `key=value` added to its query (before any fragment).
fn with_query(path: &str, key: &str, value: &str) -> String {
    let (path, fragment) = path
        .split_once('#')
        .map_or((path, None), |(p, f)| (p, Some(f)));
    let separator = if path.contains('?') { '&' } else { '?' };
    let mut out = format!("{path}{separator}{key}={value}");
    if let Some(fragment) = fragment {
        out.push('#');
        out.push_str(fragment);
    }
    out
}

/// Counts one `scope` call of the client against [`PROVIDER_CALLS_PER_ADDRESS`]; the
/// failure to show when it is over (or the throttle failed).
async fn over_limit(
    state: &HttpState,
    peer: SocketAddr,
    headers: &HeaderMap,
    scope: &str,
) -> Option<SignInFailure> {
    let svc = &state.app.services;
    let client = client_ip(peer.ip(), headers, &svc.config.trusted_proxies);
    match svc
        .throttle
        .hit_client(scope, client, PROVIDER_CALLS_PER_ADDRESS)
        .await
    {
        Ok(Ok(())) => None,
        Ok(Err(_)) => Some(SignInFailure::TooMany),
        Err(e) => {
            tracing::error!(error = ?e, "the sign-in throttle failed");
            Some(SignInFailure::ProviderUnavailable)
        }
    }
}

async fn start(
    State(state): State<HttpState>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    Path(name): Path<String>,
    headers: HeaderMap,
    Query(params): Query<HashMap<String, String>>,
) -> Response {
    let providers = state.app.auth.providers();
    let Some(provider) = provider_named(&name).filter(|p| providers.offers(*p)) else {
        return StatusCode::NOT_FOUND.into_response();
    };
    // A start may fetch the provider's discovery document.
    if let Some(failure) = over_limit(&state, peer, &headers, "provider-start").await {
        return failed(provider, failure, &[]);
    }
    let return_to = params.get("return").map_or("/hesap", String::as_str);
    let connect = params.get("baglan").is_some_and(|v| v == "1");
    match providers.start(provider, return_to, connect).await {
        None => StatusCode::NOT_FOUND.into_response(),
        Some(Err(failure)) => failed(provider, failure, &[]),
        Some(Ok(start)) => {
            let max_age = i64::try_from(FLOW_TTL.as_secs()).unwrap_or(600);
            let cookie = cookies::sign_in_flow(state.app.config(), &start.flow.encode(), max_age);
            see_other(&start.url, &[cookie])
        }
    }
}

async fn callback(
    State(state): State<HttpState>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    Path(name): Path<String>,
    headers: HeaderMap,
    Query(params): Query<HashMap<String, String>>,
) -> Response {
    let app = &state.app;
    let config = app.config();
    let Some(provider) = provider_named(&name).filter(|p| app.auth.providers().offers(*p)) else {
        return StatusCode::NOT_FOUND.into_response();
    };
    // The flow is over whatever happens: its cookie goes.
    let mut cookies = vec![cookies::sign_in_flow(config, "", 0)];
    if let Some(failure) = over_limit(&state, peer, &headers, "provider-callback").await {
        return failed(provider, failure, &cookies);
    }
    let flow = cookies::sign_in_flow_value(&headers, config).and_then(|raw| Flow::decode(&raw));
    let flow = match (flow, params.get("state")) {
        (Some(flow), Some(returned))
            if flow.provider == provider
                && !flow.state.is_empty()
                // Compared by their hashes: the time taken says nothing about the state.
                && tokens::hash(returned) == tokens::hash(&flow.state) =>
        {
            flow
        }
        _ => return failed(provider, SignInFailure::StateMismatch, &cookies),
    };
    if let Some(error) = params.get("error") {
        let failure = if error == "access_denied" {
            SignInFailure::Cancelled
        } else {
            SignInFailure::ProviderUnavailable
        };
        tracing::info!(
            provider = provider.as_db(),
            error,
            "the provider sent an error back"
        );
        return failed(provider, failure, &cookies);
    }
    let Some(code) = params
        .get("code")
        .filter(|c| !c.is_empty() && c.len() <= 2048)
    else {
        return failed(provider, SignInFailure::StateMismatch, &cookies);
    };
    let profile = match app.auth.providers().finish(&flow, code).await {
        Ok(profile) => profile,
        Err(failure) => return failed(provider, failure, &cookies),
    };
    // Only a connection the signed-in customer asked for touches their account.
    let connecting = if flow.connect {
        match super::graphql::viewer(&state, &Credentials::from_headers(&headers, config)).await {
            Ok(Viewer::SignedIn {
                session_id, user, ..
            }) => Some((session_id, user)),
            Ok(_) => None,
            Err(_) => return failed(provider, SignInFailure::ProviderUnavailable, &cookies),
        }
    } else {
        None
    };
    let viewer = connecting.as_ref().map(|(session, user)| (*session, user));
    match app.auth.sign_in_with(profile, viewer).await {
        Ok(Ok(SignInOutcome::SignedIn(session))) => {
            let max_age = (session.expires_at - app.services.clock.now()).num_seconds();
            cookies.push(cookies::session(config, &session.token, max_age));
            see_other(&flow.return_to, &cookies)
        }
        Ok(Ok(SignInOutcome::Connected)) => see_other(
            &with_query(&flow.return_to, "baglandi", path_name(provider)),
            &cookies,
        ),
        Ok(Ok(SignInOutcome::NeedsPassword { token, email })) => {
            let location = format!(
                "/hesap/giris?baglan={}&eposta={}&return={}#baglanti={token}",
                path_name(provider),
                percent_encoding::utf8_percent_encode(&email, percent_encoding::NON_ALPHANUMERIC),
                percent_encoding::utf8_percent_encode(
                    &flow.return_to,
                    percent_encoding::NON_ALPHANUMERIC
                ),
            );
            see_other(&location, &cookies)
        }
        Ok(Err(failure)) if viewer.is_some() => failed_at("/hesap", provider, failure, &cookies),
        Ok(Err(failure)) => failed(provider, failure, &cookies),
        Err(e) => {
            tracing::error!(error = ?e, "signing in with a provider failed");
            failed(provider, SignInFailure::ProviderUnavailable, &cookies)
        }
    }
}
