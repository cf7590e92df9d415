//! Bearer tokens: a static one, or one obtained by signing in and renewed
//! before it expires. Concurrent callers share one token and one sign-in.

use std::sync::{Arc, RwLock};
use std::time::Duration;

use serde::Deserialize;
use zpa_client::BoxFuture;
use zpa_client::wire::Int64String;

use crate::error::{Error, Result, describe, excerpt};
use crate::runtime::Instant;
use crate::secret::Secret;

/// How the client proves who it is.
#[derive(Clone, Debug)]
pub(crate) enum Credentials {
    /// A bearer token obtained elsewhere; it cannot be renewed.
    Token(Secret),
    /// `POST {base}/signin` with the form fields `client_id` and `client_secret`.
    Legacy {
        sign_in_url: String,
        client_id: String,
        client_secret: Secret,
    },
    /// OneAPI client credentials at `https://{vanity}.zslogin.net/oauth2/v1/token`.
    OneApi {
        token_url: String,
        client_id: String,
        client_secret: Secret,
    },
    /// OneAPI with a signed JWT client assertion instead of a secret.
    #[cfg(all(feature = "private-key", not(target_arch = "wasm32")))]
    OneApiKey {
        token_url: String,
        client_id: String,
        key: crate::assertion::PrivateKey,
    },
    /// The caller's own source of tokens.
    Provider(Provider),
}

/// Where bearer tokens come from when the caller has its own source: a
/// vault, a sidecar, a token another service rotates. The client asks for
/// one when it holds none, when the one it holds is about to expire
/// ([`AccessToken::expires_in`]), and once more after the API refused it
/// with a 401; concurrent calls wait for one answer.
///
/// ```
/// use zpa::{AccessToken, BoxFuture, TokenProvider};
///
/// struct FromVault;
///
/// impl TokenProvider for FromVault {
///     fn token(&self) -> BoxFuture<'_, zpa::Result<AccessToken>> {
///         Box::pin(async { Ok(AccessToken::new("eyJ...")) })
///     }
/// }
///
/// let zpa = zpa::Client::builder()
///     .customer_id("217246660302995456")
///     .token_provider(FromVault)
///     .build()?;
/// # Ok::<(), zpa::Error>(())
/// ```
#[cfg(not(target_arch = "wasm32"))]
pub trait TokenProvider: Send + Sync + 'static {
    /// A token to send now.
    fn token(&self) -> BoxFuture<'_, Result<AccessToken>>;
}

/// Where bearer tokens come from when the caller has its own source (on
/// wasm32, where futures are not `Send`).
#[cfg(target_arch = "wasm32")]
pub trait TokenProvider: 'static {
    /// A token to send now.
    fn token(&self) -> BoxFuture<'_, Result<AccessToken>>;
}

/// A bearer token from a [`TokenProvider`].
#[derive(Clone, Debug)]
#[non_exhaustive]
pub struct AccessToken {
    /// The token.
    pub token: Secret,
    /// How long it is good for from now, if known; the client asks for a
    /// new one shortly before (a tenth of it, at most a minute).
    pub expires_in: Option<Duration>,
}

impl AccessToken {
    /// A token without a known lifetime: used until the API refuses it.
    pub fn new(token: impl Into<Secret>) -> Self {
        AccessToken {
            token: token.into(),
            expires_in: None,
        }
    }

    /// The token's lifetime from now.
    pub fn expires_in(mut self, lifetime: Duration) -> Self {
        self.expires_in = Some(lifetime);
        self
    }
}

/// A caller's provider; `Debug` shows nothing of it (it may hold secrets).
#[derive(Clone)]
pub(crate) struct Provider(pub(crate) Arc<dyn TokenProvider>);

impl std::fmt::Debug for Provider {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("TokenProvider")
    }
}

const ONEAPI_AUDIENCE: &str = "https://api.zscaler.com";

#[derive(Clone)]
struct Token {
    value: Secret,
    renew_at: Option<Instant>,
}

pub(crate) struct Auth {
    credentials: Credentials,
    http: reqwest::Client,
    current: RwLock<Option<Token>>,
    /// Held while signing in, so that concurrent callers wait for one sign-in.
    signing_in: async_lock::Mutex<()>,
}

#[derive(Deserialize)]
struct TokenResponse {
    access_token: String,
    expires_in: Option<Int64String>,
}

#[derive(Deserialize)]
struct ErrorBody {
    reason: Option<String>,
    error_description: Option<String>,
    error: Option<String>,
}

impl Auth {
    pub(crate) fn new(credentials: Credentials, http: reqwest::Client) -> Self {
        let current = match &credentials {
            Credentials::Token(value) => Some(Token {
                value: value.clone(),
                renew_at: None,
            }),
            _ => None,
        };
        Auth {
            credentials,
            http,
            current: RwLock::new(current),
            signing_in: async_lock::Mutex::new(()),
        }
    }

    /// A token that is not about to expire, signing in if there is none.
    pub(crate) async fn token(&self) -> Result<Secret> {
        if let Some(token) = self.fresh() {
            return Ok(token);
        }
        let _one_at_a_time = self.signing_in.lock().await;
        if let Some(token) = self.fresh() {
            return Ok(token);
        }
        self.sign_in().await
    }

    /// After the API refused `rejected` with a 401: a new token, unless
    /// another caller has renewed it already. `None` when the credentials
    /// cannot be renewed (a static token).
    pub(crate) async fn renew(&self, rejected: &Secret) -> Option<Result<Secret>> {
        if matches!(self.credentials, Credentials::Token(_)) {
            return None;
        }
        let _one_at_a_time = self.signing_in.lock().await;
        if let Some(current) = self.read().filter(|token| &token.value != rejected) {
            return Some(Ok(current.value));
        }
        Some(self.sign_in().await)
    }

    fn read(&self) -> Option<Token> {
        self.current
            .read()
            .unwrap_or_else(|poison| poison.into_inner())
            .clone()
    }

    fn fresh(&self) -> Option<Secret> {
        self.read()
            .filter(|token| token.renew_at.is_none_or(|at| Instant::now() < at))
            .map(|token| token.value)
    }

    async fn sign_in(&self) -> Result<Secret> {
        let request = match &self.credentials {
            Credentials::Token(value) => return Ok(value.clone()),
            Credentials::Provider(provider) => {
                let started = Instant::now();
                let answer = provider.0.token().await?;
                if bearer_header(&answer.token).is_none() {
                    return Err(Error::Auth {
                        status: None,
                        reason: "the token provider gave a token an HTTP header cannot carry"
                            .to_owned(),
                        source: None,
                    });
                }
                return Ok(self.store(answer.token, answer.expires_in, started));
            }
            Credentials::Legacy {
                sign_in_url,
                client_id,
                client_secret,
            } => self.http.post(sign_in_url).form(&[
                ("client_id", client_id.as_str()),
                ("client_secret", client_secret.expose()),
            ]),
            Credentials::OneApi {
                token_url,
                client_id,
                client_secret,
            } => self.http.post(token_url).form(&[
                ("grant_type", "client_credentials"),
                ("client_id", client_id.as_str()),
                ("client_secret", client_secret.expose()),
                ("audience", ONEAPI_AUDIENCE),
            ]),
            #[cfg(all(feature = "private-key", not(target_arch = "wasm32")))]
            Credentials::OneApiKey {
                token_url,
                client_id,
                key,
            } => {
                let assertion = key.assertion(client_id, token_url)?;
                self.http.post(token_url).form(&[
                    ("grant_type", "client_credentials"),
                    ("client_id", client_id.as_str()),
                    ("client_assertion_type", crate::assertion::ASSERTION_TYPE),
                    ("client_assertion", assertion.as_str()),
                    ("audience", ONEAPI_AUDIENCE),
                ])
            }
        };
        let started = Instant::now();
        let transport = |error: reqwest::Error| Error::Transport {
            message: format!("signing in: {}", describe(&error)),
            timed_out: error.is_timeout(),
            attempts: 1,
            source: Box::new(error),
        };
        let response = request.send().await.map_err(transport)?;
        let status = response.status().as_u16();
        let body = response.bytes().await.map_err(transport)?;
        if !(200..300).contains(&status) {
            return Err(Error::Auth {
                status: Some(status),
                reason: refusal_reason(&body),
                source: None,
            });
        }
        let answer: TokenResponse = serde_json::from_slice(&body).map_err(|error| Error::Auth {
            status: Some(status),
            reason: format!("the sign-in answer is not a token: {error}"),
            source: Some(Box::new(error)),
        })?;
        let lifetime = answer
            .expires_in
            .map(|seconds| Duration::from_secs(seconds.get().max(0) as u64));
        let value = Secret::new(answer.access_token);
        if bearer_header(&value).is_none() {
            return Err(Error::Auth {
                status: Some(status),
                reason: "the token has characters an HTTP header cannot carry".to_owned(),
                source: None,
            });
        }
        event!(
            debug,
            lifetime_s = lifetime.map(|l| l.as_secs()),
            "signed in"
        );
        Ok(self.store(value, lifetime, started))
    }

    /// Keeps `value`, obtained at `started`, for the calls to share.
    fn store(&self, value: Secret, lifetime: Option<Duration>, started: Instant) -> Secret {
        let token = Token {
            value: value.clone(),
            // Renew ahead of expiry: a tenth of the lifetime, at most a minute.
            renew_at: lifetime.map(|l| started + l - (l / 10).min(Duration::from_secs(60))),
        };
        *self
            .current
            .write()
            .unwrap_or_else(|poison| poison.into_inner()) = Some(token);
        value
    }
}

/// The `Authorization` value for `token`, if the token can be sent in a header.
pub(crate) fn bearer_header(token: &Secret) -> Option<reqwest::header::HeaderValue> {
    reqwest::header::HeaderValue::from_str(&format!("Bearer {}", token.expose())).ok()
}

fn refusal_reason(body: &[u8]) -> String {
    serde_json::from_slice::<ErrorBody>(body)
        .ok()
        .and_then(|e| e.reason.or(e.error_description).or(e.error))
        .unwrap_or_else(|| format!("the sign-in was refused; body starts {:?}", excerpt(body)))
}
