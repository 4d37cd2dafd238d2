//! The customer's account pages (`/hesap/…`): sign-in, sign-up, the links from e-mails,
//! the profile and the addresses. Rendered per request and never stored by caches
//! (they show what the address says about a failed sign-in); the forms talk to the
//! GraphQL API from `/widgets/account.js`. Turkish, as the e-mails' links are.

use std::collections::HashMap;

use axum::Router;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use minijinja::context;
use serde::Serialize;

use super::HTML;
use super::render::{Freshness, render, respond};
use super::texts::texts;
use crate::addresses::provinces::PROVINCES;
use crate::auth::providers::{Provider, SignInFailure, safe_return_path};
use crate::http::HttpState;
use crate::locale::Locale;
use crate::text::normalize_email;

/// The account pages.
pub fn routes() -> Router<HttpState> {
    Router::new()
        .route("/hesap", get(|s, q, h| page(s, q, h, Page::Profile)))
        .route("/hesap/giris", get(|s, q, h| page(s, q, h, Page::SignIn)))
        .route("/hesap/kayit", get(|s, q, h| page(s, q, h, Page::SignUp)))
        .route("/hesap/dogrula", get(|s, q, h| page(s, q, h, Page::Verify)))
        .route(
            "/hesap/sifremi-unuttum",
            get(|s, q, h| page(s, q, h, Page::Forgot)),
        )
        .route(
            "/hesap/sifre-sifirla",
            get(|s, q, h| page(s, q, h, Page::Reset)),
        )
        .route(
            "/hesap/eposta-onayla",
            get(|s, q, h| page(s, q, h, Page::ConfirmEmail)),
        )
        .route(
            "/hesap/adresler",
            get(|s, q, h| page(s, q, h, Page::Addresses)),
        )
}

#[derive(Clone, Copy)]
enum Page {
    SignIn,
    SignUp,
    Verify,
    Forgot,
    Reset,
    ConfirmEmail,
    Profile,
    Addresses,
}

impl Page {
    /// The page's name in the DOM (`data-account-page`) and its title.
    fn name_and_title(self) -> (&'static str, &'static str) {
        match self {
            Page::SignIn => ("sign-in", "Giriş yap"),
            Page::SignUp => ("sign-up", "Kayıt ol"),
            Page::Verify => ("verify", "E-posta doğrulama"),
            Page::Forgot => ("forgot", "Parolamı unuttum"),
            Page::Reset => ("reset", "Yeni parola"),
            Page::ConfirmEmail => ("confirm-email", "E-posta onayı"),
            Page::Profile => ("profile", "Hesabım"),
            Page::Addresses => ("addresses", "Adreslerim"),
        }
    }
}

/// A provider's button.
#[derive(Serialize)]
struct ProviderButton {
    path: &'static str,
    name: &'static str,
}

fn provider_of(path: &str) -> Option<(Provider, &'static str, &'static str)> {
    match path {
        "google" => Some((Provider::Google, "google", "Google")),
        "facebook" => Some((Provider::Facebook, "facebook", "Facebook")),
        _ => None,
    }
}

/// What a failed provider sign-in (`?hata=…` from `/auth/…/callback`) means to a shopper.
fn failure_message(code: &str, provider: &str) -> Option<String> {
    let failure = SignInFailure::from_code(code)?;
    let name = provider_of(provider).map_or("Sağlayıcı", |(_, _, name)| name);
    Some(match failure {
        SignInFailure::Cancelled => format!("{name} ile giriş iptal edildi."),
        SignInFailure::StateMismatch => {
            "Giriş isteğinin süresi doldu ya da bu tarayıcıda başlatılmadı. Lütfen yeniden deneyin."
                .to_owned()
        }
        SignInFailure::ProviderUnavailable => {
            format!(
                "{name} şu anda yanıt vermiyor. Biraz sonra yeniden deneyin ya da e-posta ve parolanızla giriş yapın."
            )
        }
        SignInFailure::InvalidToken => {
            format!(
                "{name} yanıtı doğrulanamadı; güvenliğiniz için giriş yapılmadı. Lütfen yeniden deneyin."
            )
        }
        SignInFailure::NoEmail => format!(
            "{name} doğrulanmış bir e-posta adresi paylaşmadı. E-posta ve parolayla kayıt olabilirsiniz."
        ),
        SignInFailure::IdentityTaken => {
            format!("Bu {name} hesabı başka bir hesaba bağlı.")
        }
        SignInFailure::AlreadyConnected => {
            format!("Hesabınıza zaten bir {name} hesabı bağlı.")
        }
        SignInFailure::AccountDisabled => "Bu hesap devre dışı bırakıldı.".to_owned(),
        SignInFailure::TooMany => {
            "Çok fazla deneme yapıldı. Birkaç dakika sonra yeniden deneyin.".to_owned()
        }
        SignInFailure::NotForAdmins => format!(
            "Yönetici hesapları {name} ile kullanılamaz; e-posta ve parolanızla giriş yapın."
        ),
        SignInFailure::SignInAgain => format!(
            "Güvenliğiniz için {name} hesabını bağlamadan önce yeniden giriş yapın; bağlantıyı giriş yaptıktan sonraki 10 dakika içinde kurabilirsiniz."
        ),
    })
}

async fn page(
    State(state): State<HttpState>,
    Query(params): Query<HashMap<String, String>>,
    headers: HeaderMap,
    which: Page,
) -> Response {
    let locale = Locale::Tr;
    let t = texts(locale);
    let (page, title) = which.name_and_title();
    let sign_in = state.app.auth.providers();
    let providers: Vec<ProviderButton> = ["google", "facebook"]
        .into_iter()
        .filter_map(provider_of)
        .filter(|(provider, _, _)| sign_in.offers(*provider))
        .map(|(_, path, name)| ProviderButton { path, name })
        .collect();
    let provider = params.get("saglayici").map_or("", String::as_str);
    let failure = params
        .get("hata")
        .and_then(|code| failure_message(code, provider));
    let connect = params
        .get("baglan")
        .and_then(|p| provider_of(p))
        .zip(params.get("eposta").and_then(|e| normalize_email(e)))
        .map(|((_, _, name), email)| context! { name, email });
    let return_to = match which {
        Page::Profile | Page::Addresses => "/hesap".to_owned(),
        _ => safe_return_path(params.get("return").map_or("/hesap", String::as_str)),
    };
    let body = render(
        "account.html",
        context! {
            t,
            site => &state.app.config().site_name,
            title,
            page,
            providers,
            failure,
            connect,
            return_to,
            provinces => PROVINCES.as_slice(),
            noindex => true,
        },
    );
    match body {
        Some(body) => respond(
            &headers,
            StatusCode::OK,
            HTML,
            Some(t.lang),
            Freshness::Private,
            body,
        ),
        None => StatusCode::INTERNAL_SERVER_ERROR.into_response(),
    }
}
