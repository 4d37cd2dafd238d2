//! Signing in with Google (OpenID Connect) and Facebook Login: the protocol work, done
//! by the `openidconnect` and `oauth2` crates. What passes between the start and the
//! callback (state, nonce, PKCE verifier, where to go back to) rides in a short-lived
//! HttpOnly cookie of the browser that started, so any instance can finish the flow.

mod facebook;
mod google;

use std::sync::Arc;
use std::time::Duration;

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;

use crate::clock::Clock;
use crate::config::Config;
pub use crate::db::identities::Provider;

use self::facebook::Facebook;
use self::google::Google;

/// How long a browser may take from the start to the callback.
pub const FLOW_TTL: Duration = Duration::from_secs(10 * 60);

/// What a provider tells about the person who signed in.
#[derive(Debug, Clone)]
pub struct ProviderProfile {
    pub provider: Provider,
    /// The provider's stable id of the person.
    pub subject: String,
    /// An address the provider says the person controls (lower-case), if any.
    pub email: Option<String>,
    pub name: Option<String>,
}

/// Why a sign-in with a provider did not happen; each has its own message on the page.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SignInFailure {
    /// The person said no at the provider.
    Cancelled,
    /// The callback does not belong to a sign-in this browser started (or it took too long).
    StateMismatch,
    /// The provider could not be reached or refused the code.
    ProviderUnavailable,
    /// What the provider sent failed a check (signature, issuer, audience, nonce, times).
    InvalidToken,
    /// The provider vouches for no e-mail address, so no account can be made.
    NoEmail,
    /// The identity belongs to another account than the one signed in.
    IdentityTaken,
    /// The account already has an identity of this provider.
    AlreadyConnected,
    /// The account the identity belongs to is disabled.
    AccountDisabled,
    /// Too many sign-ins from this address.
    TooMany,
    /// Administrators sign in with their password only.
    NotForAdmins,
    /// Connecting a provider needs a sign-in of the last minutes.
    SignInAgain,
}

impl SignInFailure {
    /// Every failure, for reading a code back.
    const ALL: [SignInFailure; 11] = [
        SignInFailure::Cancelled,
        SignInFailure::StateMismatch,
        SignInFailure::ProviderUnavailable,
        SignInFailure::InvalidToken,
        SignInFailure::NoEmail,
        SignInFailure::IdentityTaken,
        SignInFailure::AlreadyConnected,
        SignInFailure::AccountDisabled,
        SignInFailure::TooMany,
        SignInFailure::NotForAdmins,
        SignInFailure::SignInAgain,
    ];

    /// The failure a page's `?hata=` names, if any.
    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|failure| failure.code() == code)
    }

    /// The code the sign-in page shows a message for (`/hesap/giris?hata=…`).
    pub fn code(self) -> &'static str {
        match self {
            SignInFailure::Cancelled => "vazgecildi",
            SignInFailure::StateMismatch => "oturum-eslesmedi",
            SignInFailure::ProviderUnavailable => "saglayici-yanit-vermedi",
            SignInFailure::InvalidToken => "dogrulanamadi",
            SignInFailure::NoEmail => "eposta-yok",
            SignInFailure::IdentityTaken => "baska-hesaba-bagli",
            SignInFailure::AlreadyConnected => "zaten-bagli",
            SignInFailure::AccountDisabled => "hesap-kapali",
            SignInFailure::TooMany => "cok-fazla-deneme",
            SignInFailure::NotForAdmins => "yonetici-hesabi",
            SignInFailure::SignInAgain => "yeniden-giris",
        }
    }
}

/// What the browser keeps between the start and the callback.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Flow {
    pub provider: Provider,
    pub state: String,
    /// OpenID Connect's nonce (empty for Facebook).
    pub nonce: String,
    /// The PKCE verifier (empty for Facebook).
    pub verifier: String,
    /// A same-site path to go back to.
    pub return_to: String,
    /// Whether the signed-in customer asked to connect this provider (without it, a
    /// provider sign-in never touches the account signed in in this browser).
    pub connect: bool,
}

impl Flow {
    /// The cookie's value: the fields base64url-encoded and joined with dots.
    pub fn encode(&self) -> String {
        [
            self.provider.as_db(),
            &self.state,
            &self.nonce,
            &self.verifier,
            &self.return_to,
            if self.connect { "1" } else { "" },
        ]
        .iter()
        .map(|part| URL_SAFE_NO_PAD.encode(part))
        .collect::<Vec<_>>()
        .join(".")
    }

    /// Reads a cookie's value; `None` for anything this server did not write.
    pub fn decode(raw: &str) -> Option<Flow> {
        let parts: Vec<String> = raw
            .split('.')
            .map(|p| {
                URL_SAFE_NO_PAD
                    .decode(p)
                    .ok()
                    .and_then(|b| String::from_utf8(b).ok())
            })
            .collect::<Option<_>>()?;
        let [provider, state, nonce, verifier, return_to, connect] =
            <[String; 6]>::try_from(parts).ok()?;
        Some(Flow {
            provider: Provider::from_db(&provider)?,
            state,
            nonce,
            verifier,
            return_to: safe_return_path(&return_to),
            connect: connect == "1",
        })
    }
}

/// Where the browser is sent to sign in, and what it keeps meanwhile.
pub struct Start {
    pub url: String,
    pub flow: Flow,
}

/// `raw` if it is a path on this site, else `/`. Refuses what browsers would take as
/// another site: `//evil.example`, `/\evil.example`, `https://…`, control characters.
pub fn safe_return_path(raw: &str) -> String {
    let plausible = raw.starts_with('/')
        && !raw.starts_with("//")
        && !raw.contains('\\')
        && !raw.chars().any(|c| c.is_control() || c.is_whitespace())
        && raw.len() <= 512;
    let joined = url::Url::parse("http://vitrin.invalid")
        .and_then(|base| base.join(raw))
        .ok()
        .filter(|url| plausible && url.host_str() == Some("vitrin.invalid"));
    // The joined form is percent-encoded: it fits a `Location` header whatever was typed.
    joined.map_or_else(
        || "/".to_owned(),
        |url| url[url::Position::BeforePath..].to_owned(),
    )
}

/// The configured providers.
#[derive(Clone)]
pub struct Providers {
    google: Option<Arc<Google>>,
    facebook: Option<Arc<Facebook>>,
}

impl Providers {
    /// The providers `config` names (none without configuration).
    pub fn new(config: &Config, clock: Arc<dyn Clock>) -> anyhow::Result<Self> {
        let http = reqwest::Client::builder()
            // Never follow a provider's redirect with our credentials (SSRF).
            .redirect(reqwest::redirect::Policy::none())
            .timeout(Duration::from_secs(10))
            .build()?;
        let callback = |name: &str| config.public_link(&format!("/auth/{name}/callback"));
        Ok(Providers {
            google: config
                .sign_in
                .google
                .clone()
                .map(|c| Google::new(c, http.clone(), callback("google"), clock.clone()))
                .transpose()?
                .map(Arc::new),
            facebook: config
                .sign_in
                .facebook
                .clone()
                .map(|c| Facebook::new(c, http.clone(), callback("facebook")))
                .transpose()?
                .map(Arc::new),
        })
    }

    /// Whether sign-in with `provider` is offered.
    pub fn offers(&self, provider: Provider) -> bool {
        match provider {
            Provider::Google => self.google.is_some(),
            Provider::Facebook => self.facebook.is_some(),
        }
    }

    /// Starts a sign-in; `None` when the provider is not configured.
    pub async fn start(
        &self,
        provider: Provider,
        return_to: &str,
        connect: bool,
    ) -> Option<Result<Start, SignInFailure>> {
        let return_to = safe_return_path(return_to);
        let started = match provider {
            Provider::Google => self.google.as_ref()?.start(return_to).await,
            Provider::Facebook => Ok(self.facebook.as_ref()?.start(return_to)),
        };
        Some(started.map(|mut start| {
            start.flow.connect = connect;
            start
        }))
    }

    /// Finishes a sign-in with the code the provider sent back (the state was checked).
    pub async fn finish(&self, flow: &Flow, code: &str) -> Result<ProviderProfile, SignInFailure> {
        match flow.provider {
            Provider::Google => match &self.google {
                Some(google) => google.finish(flow, code).await,
                None => Err(SignInFailure::ProviderUnavailable),
            },
            Provider::Facebook => match &self.facebook {
                Some(facebook) => facebook.finish(code).await,
                None => Err(SignInFailure::ProviderUnavailable),
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_paths_of_this_site_are_gone_back_to() {
        for ok in [
            "/",
            "/hesap",
            "/urun/kupa?renk=mavi#yorumlar",
            "/%2F%2Fevil",
        ] {
            assert_eq!(safe_return_path(ok), ok);
        }
        for bad in [
            "//evil.example",
            "/\\evil.example",
            "https://evil.example",
            "evil.example",
            "/\tevil",
            "/ evil",
            "",
            "javascript:alert(1)",
            "/\u{0}x",
        ] {
            assert_eq!(safe_return_path(bad), "/", "{bad:?}");
        }
    }

    #[test]
    fn every_failure_reads_back_from_its_code() {
        for failure in SignInFailure::ALL {
            assert_eq!(SignInFailure::from_code(failure.code()), Some(failure));
        }
        assert_eq!(SignInFailure::from_code("<script>"), None);
    }

    #[test]
    fn a_flow_survives_its_cookie_and_garbage_does_not_pass() {
        let flow = Flow {
            provider: Provider::Google,
            state: "s.t".into(),
            nonce: "n".into(),
            verifier: "v".into(),
            return_to: "/hesap".into(),
            connect: true,
        };
        assert_eq!(Flow::decode(&flow.encode()), Some(flow));
        assert_eq!(Flow::decode("a.b"), None);
        assert_eq!(Flow::decode("!!.!!.!!.!!.!!"), None);
    }
}
