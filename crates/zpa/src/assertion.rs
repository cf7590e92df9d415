//! OneAPI sign-in with a private key instead of a client secret: a
//! short-lived JWT client assertion (RS256) per sign-in, as RFC 7523 has it.
//! Native targets only (the signing library does not build for wasm32).

use std::sync::atomic::{AtomicU64, Ordering};

use jsonwebtoken::{Algorithm, EncodingKey, Header};
use serde::Serialize;

use crate::error::{Error, Result};
use crate::input::Setting;
use crate::runtime::now_epoch_seconds;
use crate::secret::Secret;

pub(crate) const ASSERTION_TYPE: &str = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";

/// How long an assertion is good for: long enough to reach the token
/// endpoint, short enough to be useless if intercepted.
const LIFETIME_SECONDS: i64 = 300;

/// An RSA private key, checked when the client is built. `Debug` shows nothing of it.
#[derive(Clone)]
pub(crate) struct PrivateKey(EncodingKey);

impl std::fmt::Debug for PrivateKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("[redacted]")
    }
}

#[derive(Serialize)]
struct Claims<'a> {
    iss: &'a str,
    sub: &'a str,
    aud: &'a str,
    iat: i64,
    exp: i64,
    jti: String,
}

impl PrivateKey {
    /// `pem` is the key itself, or the path of a file holding it.
    pub(crate) fn read(pem: &Secret) -> Result<PrivateKey> {
        let text = if pem.expose().trim_start().starts_with("-----BEGIN") {
            pem.expose().to_owned()
        } else {
            std::fs::read_to_string(pem.expose().trim()).map_err(|error| {
                Error::invalid(
                    Setting::PrivateKey,
                    format!("neither PEM text nor a readable file ({error})"),
                )
            })?
        };
        EncodingKey::from_rsa_pem(text.as_bytes())
            .map(PrivateKey)
            .map_err(|_| Error::invalid(Setting::PrivateKey, "not an RSA private key in PEM form"))
    }

    /// A fresh assertion that `client_id` signs for `audience` (the token endpoint).
    pub(crate) fn assertion(&self, client_id: &str, audience: &str) -> Result<String> {
        let now = now_epoch_seconds();
        let claims = Claims {
            iss: client_id,
            sub: client_id,
            aud: audience,
            iat: now,
            exp: now + LIFETIME_SECONDS,
            jti: unique_id(),
        };
        jsonwebtoken::encode(&Header::new(Algorithm::RS256), &claims, &self.0).map_err(|error| {
            Error::invalid(
                Setting::PrivateKey,
                format!("signing the assertion failed: {error}"),
            )
        })
    }
}

/// Unique per assertion: the clock in nanoseconds, the process and a counter.
fn unique_id() -> String {
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let nanos = crate::runtime::SystemTime::now()
        .duration_since(crate::runtime::UNIX_EPOCH)
        .map(|d| d.as_nanos())
        .unwrap_or(0);
    format!(
        "{nanos:x}-{:x}-{:x}",
        std::process::id(),
        COUNTER.fetch_add(1, Ordering::Relaxed)
    )
}
