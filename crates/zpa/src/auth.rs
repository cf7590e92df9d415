//! Bearer tokens: a static one, or one obtained by signing in and renewed
//! before it expires. Concurrent callers share one token and one sign-in.

use std::sync::RwLock;
use std::time::Duration;

use serde::Deserialize;
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
        let token = Token {
            value,
            // Renew ahead of expiry: a tenth of the lifetime, at most a minute.
            renew_at: lifetime.map(|l| started + l - (l / 10).min(Duration::from_secs(60))),
        };
        let value = token.value.clone();
        *self
            .current
            .write()
            .unwrap_or_else(|poison| poison.into_inner()) = Some(token);
        Ok(value)
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
