//! Google sign-in: OpenID Connect discovery, the authorization code flow with PKCE
//! (S256), and the ID token checked against the provider's keys (signature with RS256
//! only, `iss`, `aud`, `exp`, `iat`, `nonce`). The discovery document and its keys are
//! kept for an hour; a token signed by a key we do not know yet makes us fetch them once
//! more (the provider rotated its keys).

use std::sync::Arc;
use std::time::{Duration, Instant};

use openidconnect::core::{CoreAuthenticationFlow, CoreClient, CoreProviderMetadata};
use openidconnect::{
    AuthorizationCode, ClaimsVerificationError, ClientId, ClientSecret, CsrfToken,
    EndpointMaybeSet, EndpointNotSet, EndpointSet, IssuerUrl, Nonce, PkceCodeChallenge,
    PkceCodeVerifier, RedirectUrl, Scope, SignatureVerificationError, TokenResponse as _,
};
use tokio::sync::Mutex;

use super::{Flow, Provider, ProviderProfile, SignInFailure, Start};
use crate::clock::Clock;
use crate::config::GoogleConfig;
use crate::text::normalize_email;

/// A client made from a discovery document: the authorization endpoint is known, the
/// token and user-info endpoints may be.
type DiscoveredClient = CoreClient<
    EndpointSet,
    EndpointNotSet,
    EndpointNotSet,
    EndpointNotSet,
    EndpointMaybeSet,
    EndpointMaybeSet,
>;

/// How long the discovery document (and the keys) are kept.
const METADATA_TTL: Duration = Duration::from_secs(3600);
/// How far an ID token's issue time may be from our clock.
const IAT_SKEW: chrono::Duration = chrono::Duration::minutes(5);

pub(super) struct Google {
    config: GoogleConfig,
    issuer: IssuerUrl,
    redirect: RedirectUrl,
    http: reqwest::Client,
    clock: Arc<dyn Clock>,
    metadata: Mutex<Option<(CoreProviderMetadata, Instant)>>,
}

impl Google {
    pub(super) fn new(
        config: GoogleConfig,
        http: reqwest::Client,
        callback: String,
        clock: Arc<dyn Clock>,
    ) -> anyhow::Result<Self> {
        Ok(Google {
            issuer: IssuerUrl::new(config.issuer.clone())?,
            redirect: RedirectUrl::new(callback)?,
            config,
            http,
            clock,
            metadata: Mutex::new(None),
        })
    }

    /// The provider's discovery document, fetched again when `fresh` or when old.
    async fn metadata(&self, fresh: bool) -> Result<CoreProviderMetadata, SignInFailure> {
        let mut kept = self.metadata.lock().await;
        if let Some((metadata, at)) = kept.as_ref()
            && !fresh
            && at.elapsed() < METADATA_TTL
        {
            return Ok(metadata.clone());
        }
        let metadata = CoreProviderMetadata::discover_async(self.issuer.clone(), &self.http)
            .await
            .map_err(|e| {
                tracing::warn!(error = %e, "Google's discovery document could not be read");
                SignInFailure::ProviderUnavailable
            })?;
        *kept = Some((metadata.clone(), Instant::now()));
        Ok(metadata)
    }

    /// Our client of the provider `metadata` describes.
    fn client(&self, metadata: CoreProviderMetadata) -> DiscoveredClient {
        CoreClient::from_provider_metadata(
            metadata,
            ClientId::new(self.config.client_id.clone()),
            Some(ClientSecret::new(self.config.client_secret.clone())),
        )
        .set_redirect_uri(self.redirect.clone())
    }

    pub(super) async fn start(&self, return_to: String) -> Result<Start, SignInFailure> {
        let metadata = self.metadata(false).await?;
        let client = self.client(metadata);
        let (challenge, verifier) = PkceCodeChallenge::new_random_sha256();
        let (url, state, nonce) = client
            .authorize_url(
                CoreAuthenticationFlow::AuthorizationCode,
                CsrfToken::new_random,
                Nonce::new_random,
            )
            .add_scope(Scope::new("email".to_owned()))
            .add_scope(Scope::new("profile".to_owned()))
            .set_pkce_challenge(challenge)
            .url();
        Ok(Start {
            url: url.to_string(),
            flow: Flow {
                provider: Provider::Google,
                state: state.into_secret(),
                nonce: nonce.secret().clone(),
                verifier: verifier.into_secret(),
                return_to,
                connect: false,
            },
        })
    }

    pub(super) async fn finish(
        &self,
        flow: &Flow,
        code: &str,
    ) -> Result<ProviderProfile, SignInFailure> {
        let metadata = self.metadata(false).await?;
        let client = self.client(metadata);
        let response = client
            .exchange_code(AuthorizationCode::new(code.to_owned()))
            .map_err(|e| {
                tracing::warn!(error = %e, "Google's discovery document names no token endpoint");
                SignInFailure::ProviderUnavailable
            })?
            .set_pkce_verifier(PkceCodeVerifier::new(flow.verifier.clone()))
            .request_async(&self.http)
            .await
            .map_err(|e| {
                tracing::warn!(error = %e, "Google refused the code or could not be reached");
                SignInFailure::ProviderUnavailable
            })?;
        let id_token = response.id_token().ok_or_else(|| {
            tracing::warn!("Google's token response holds no ID token");
            SignInFailure::InvalidToken
        })?;
        let nonce = Nonce::new(flow.nonce.clone());
        let now = self.clock.now();
        let verify = |client: &DiscoveredClient| {
            let verifier = client
                .id_token_verifier()
                .set_time_fn(move || now)
                .set_issue_time_verifier_fn(move |iat| {
                    if iat > now + IAT_SKEW || iat < now - IAT_SKEW - chrono::Duration::minutes(10)
                    {
                        Err(format!("issued at {iat}, too far from now"))
                    } else {
                        Ok(())
                    }
                });
            id_token.claims(&verifier, &nonce).cloned()
        };
        let claims = match verify(&client) {
            Err(ClaimsVerificationError::SignatureVerification(
                SignatureVerificationError::NoMatchingKey,
            )) => {
                // Signed with a key we have not seen: the provider may have rotated.
                verify(&self.client(self.metadata(true).await?))
            }
            other => other,
        }
        .map_err(|e| {
            tracing::warn!(error = %e, "Google's ID token failed a check");
            SignInFailure::InvalidToken
        })?;
        let email = claims
            .email()
            .filter(|_| claims.email_verified() == Some(true))
            .and_then(|email| normalize_email(email));
        let name = claims
            .name()
            .and_then(|names| names.get(None))
            .map(|name| name.as_str().to_owned());
        Ok(ProviderProfile {
            provider: Provider::Google,
            subject: claims.subject().as_str().to_owned(),
            email,
            name,
        })
    }
}
