//! Facebook Login: the code flow with `state`; the code is exchanged server-side (the
//! `oauth2` crate), the token is checked to be ours (`debug_token` with the app token:
//! `app_id` and `is_valid`), and the profile is read with `appsecret_proof`.

use hmac::{Hmac, Mac};
use oauth2::basic::BasicClient;
use oauth2::{
    AuthType, AuthUrl, AuthorizationCode, ClientId, ClientSecret, CsrfToken, RedirectUrl, Scope,
    TokenResponse as _, TokenUrl,
};
use serde::Deserialize;
use sha2::Sha256;

use super::{Flow, Provider, ProviderProfile, SignInFailure, Start};
use crate::config::FacebookConfig;
use crate::text::normalize_email;

pub(super) struct Facebook {
    config: FacebookConfig,
    auth_url: AuthUrl,
    token_url: TokenUrl,
    redirect: RedirectUrl,
    http: reqwest::Client,
}

/// `GET /debug_token`'s answer.
#[derive(Deserialize)]
struct DebugToken {
    data: TokenFacts,
}

#[derive(Deserialize)]
struct TokenFacts {
    app_id: Option<String>,
    is_valid: Option<bool>,
    user_id: Option<String>,
}

/// `GET /me?fields=id,name,email`'s answer.
#[derive(Deserialize)]
struct Me {
    id: String,
    name: Option<String>,
    email: Option<String>,
}

fn unavailable(what: &'static str) -> impl Fn(reqwest::Error) -> SignInFailure {
    move |e| {
        // Without the address: its query holds the app token and the user's token.
        let e = e.without_url();
        tracing::warn!(error = %e, "Facebook: {what}");
        SignInFailure::ProviderUnavailable
    }
}

impl Facebook {
    pub(super) fn new(
        config: FacebookConfig,
        http: reqwest::Client,
        callback: String,
    ) -> anyhow::Result<Self> {
        Ok(Facebook {
            auth_url: AuthUrl::new(config.dialog_url.clone())?,
            token_url: TokenUrl::new(format!("{}/oauth/access_token", config.graph_url))?,
            redirect: RedirectUrl::new(callback)?,
            config,
            http,
        })
    }

    fn client(
        &self,
    ) -> BasicClient<
        oauth2::EndpointSet,
        oauth2::EndpointNotSet,
        oauth2::EndpointNotSet,
        oauth2::EndpointNotSet,
        oauth2::EndpointSet,
    > {
        BasicClient::new(ClientId::new(self.config.app_id.clone()))
            .set_client_secret(ClientSecret::new(self.config.app_secret.clone()))
            .set_auth_uri(self.auth_url.clone())
            .set_token_uri(self.token_url.clone())
            .set_redirect_uri(self.redirect.clone())
            .set_auth_type(AuthType::RequestBody)
    }

    pub(super) fn start(&self, return_to: String) -> Start {
        let (url, state) = self
            .client()
            .authorize_url(CsrfToken::new_random)
            .add_scope(Scope::new("email".to_owned()))
            .add_scope(Scope::new("public_profile".to_owned()))
            .url();
        Start {
            url: url.to_string(),
            flow: Flow {
                provider: Provider::Facebook,
                state: state.into_secret(),
                nonce: String::new(),
                verifier: String::new(),
                return_to,
                connect: false,
            },
        }
    }

    pub(super) async fn finish(&self, code: &str) -> Result<ProviderProfile, SignInFailure> {
        let token = self
            .client()
            .exchange_code(AuthorizationCode::new(code.to_owned()))
            .request_async(&self.http)
            .await
            .map_err(|e| {
                tracing::warn!(error = %e, "Facebook refused the code or could not be reached");
                SignInFailure::ProviderUnavailable
            })?;
        let access_token = token.access_token().secret();
        let app_token = format!("{}|{}", self.config.app_id, self.config.app_secret);
        let facts = self
            .http
            .get(format!("{}/debug_token", self.config.graph_url))
            .query(&[
                ("input_token", access_token.as_str()),
                ("access_token", &app_token),
            ])
            .send()
            .await
            .and_then(reqwest::Response::error_for_status)
            .map_err(unavailable("debug_token failed"))?
            .json::<DebugToken>()
            .await
            .map_err(unavailable("debug_token answered something else"))?
            .data;
        if facts.is_valid != Some(true) || facts.app_id.as_deref() != Some(&self.config.app_id) {
            tracing::warn!("Facebook's token is not valid or was issued to another app");
            return Err(SignInFailure::InvalidToken);
        }
        let me = self
            .http
            .get(format!("{}/me", self.config.graph_url))
            .query(&[
                ("fields", "id,name,email"),
                ("access_token", access_token.as_str()),
                ("appsecret_proof", &self.proof(access_token)?),
            ])
            .send()
            .await
            .and_then(reqwest::Response::error_for_status)
            .map_err(unavailable("reading the profile failed"))?
            .json::<Me>()
            .await
            .map_err(unavailable("the profile is not what the Graph API sends"))?;
        if facts.user_id.as_deref() != Some(me.id.as_str()) {
            tracing::warn!("Facebook's profile is not the token's user");
            return Err(SignInFailure::InvalidToken);
        }
        Ok(ProviderProfile {
            provider: Provider::Facebook,
            subject: me.id,
            // Facebook returns only an address its user has confirmed.
            email: me.email.as_deref().and_then(normalize_email),
            name: me.name,
        })
    }

    /// `appsecret_proof`: the HMAC-SHA256 of the access token keyed by the app secret.
    fn proof(&self, access_token: &str) -> Result<String, SignInFailure> {
        let mut mac = Hmac::<Sha256>::new_from_slice(self.config.app_secret.as_bytes())
            .map_err(|_| SignInFailure::ProviderUnavailable)?;
        mac.update(access_token.as_bytes());
        Ok(hex::encode(mac.finalize().into_bytes()))
    }
}
