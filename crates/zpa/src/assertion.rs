//! OneAPI sign-in with a private key instead of a client secret: a
//! short-lived JWT client assertion (RS256) per sign-in, as RFC 7523 has it.
//!
//! The signature (RSASSA-PKCS1-v1_5 with SHA-256) comes from the crypto
//! provider the TLS feature brings, aws-lc-rs or ring, whose RSA signing
//! APIs are the same: no other RSA code is linked (the `rsa` crate, with
//! its timing side channel, RUSTSEC-2023-0071, is not in the tree). PKCS#1
//! v1.5 signatures are deterministic, so a key signs the same claims the
//! same way whichever provider it is. Native targets only.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use rustls_pki_types::PrivateKeyDer;
use rustls_pki_types::pem::PemObject;
use serde::Serialize;

#[cfg(feature = "rustls-aws-lc-rs")]
use aws_lc_rs as provider;
#[cfg(all(feature = "rustls-ring", not(feature = "rustls-aws-lc-rs")))]
use ring as provider;
#[cfg(not(any(feature = "rustls-aws-lc-rs", feature = "rustls-ring")))]
compile_error!(
    "the `private-key` feature signs with the TLS feature's crypto provider: enable `rustls-aws-lc-rs` or `rustls-ring` too"
);

use provider::rand::SystemRandom;
use provider::signature::{RSA_PKCS1_SHA256, RsaKeyPair};

use crate::error::{Error, Result};
use crate::input::Setting;
use crate::runtime::now_epoch_seconds;
use crate::secret::Secret;

pub(crate) const ASSERTION_TYPE: &str = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";

/// How long an assertion is good for: long enough to reach the token
/// endpoint, short enough to be useless if intercepted.
const LIFETIME_SECONDS: i64 = 300;

/// The JOSE header of every assertion: `{"alg":"RS256","typ":"JWT"}`.
const HEADER: &str = "eyJhbGciOiJSUzI1NiIsInR5cCI6IkpXVCJ9";

/// An RSA private key, checked when the client is built. `Debug` shows nothing of it.
#[derive(Clone)]
pub(crate) struct PrivateKey(Arc<RsaKeyPair>);

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
    /// `pem` is the key itself (PKCS#8 `PRIVATE KEY` or PKCS#1 `RSA PRIVATE
    /// KEY`), or the path of a file holding it.
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
        let not_rsa = || Error::invalid(Setting::PrivateKey, "not an RSA private key in PEM form");
        let key = match PrivateKeyDer::from_pem_slice(text.as_bytes()).map_err(|_| not_rsa())? {
            PrivateKeyDer::Pkcs8(der) => RsaKeyPair::from_pkcs8(der.secret_pkcs8_der()),
            PrivateKeyDer::Pkcs1(der) => RsaKeyPair::from_der(der.secret_pkcs1_der()),
            _ => return Err(not_rsa()),
        };
        key.map(|key| PrivateKey(Arc::new(key)))
            .map_err(|_| not_rsa())
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
        self.signed(&serde_json::to_vec(&claims).expect("the claims are plain JSON"))
    }

    /// A JWT of `claims` (JSON), signed RS256.
    fn signed(&self, claims: &[u8]) -> Result<String> {
        let mut token = format!("{HEADER}.{}", URL_SAFE_NO_PAD.encode(claims));
        let mut signature = vec![0; modulus_len(&self.0)];
        self.0
            .sign(
                &RSA_PKCS1_SHA256,
                &SystemRandom::new(),
                token.as_bytes(),
                &mut signature,
            )
            .map_err(|_| Error::invalid(Setting::PrivateKey, "signing the assertion failed"))?;
        token.push('.');
        token.push_str(&URL_SAFE_NO_PAD.encode(signature));
        Ok(token)
    }
}

/// The signature's length: the modulus's, asked as each provider has it.
#[cfg(feature = "rustls-aws-lc-rs")]
fn modulus_len(key: &RsaKeyPair) -> usize {
    key.public_modulus_len()
}

#[cfg(all(feature = "rustls-ring", not(feature = "rustls-aws-lc-rs")))]
fn modulus_len(key: &RsaKeyPair) -> usize {
    key.public().modulus_len()
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

#[cfg(test)]
mod tests {
    use super::*;

    fn fixture(name: &str) -> String {
        let path = format!(
            "{}/../../tests/fixtures/jwt/{name}",
            env!("CARGO_MANIFEST_DIR")
        );
        std::fs::read_to_string(path).unwrap()
    }

    #[test]
    fn the_header_is_rs256() {
        let header = URL_SAFE_NO_PAD.decode(HEADER).unwrap();
        assert_eq!(header, br#"{"alg":"RS256","typ":"JWT"}"#);
    }

    /// What any JWT library accepts: jsonwebtoken (on aws-lc-rs, as the
    /// simulator verifies) checks the signature with the public key, and
    /// the key's two PEM forms sign alike (PKCS#1 v1.5 is deterministic).
    #[test]
    fn assertions_verify_with_the_public_key_whatever_the_pem_form() {
        let claims = br#"{"iss":"c","sub":"c","aud":"https://a/oauth2/v1/token","iat":1,"exp":4102444800,"jti":"x"}"#;
        let pkcs8 = PrivateKey::read(&Secret::new(fixture("client-key.pem"))).unwrap();
        let pkcs1 = PrivateKey::read(&Secret::new(fixture("client-key.pkcs1.pem"))).unwrap();
        let token = pkcs8.signed(claims).unwrap();
        assert_eq!(token, pkcs1.signed(claims).unwrap());
        let public =
            jsonwebtoken::DecodingKey::from_rsa_pem(fixture("client-key.pub.pem").as_bytes())
                .unwrap();
        let mut validation = jsonwebtoken::Validation::new(jsonwebtoken::Algorithm::RS256);
        validation.set_audience(&["https://a/oauth2/v1/token"]);
        let decoded =
            jsonwebtoken::decode::<serde_json::Value>(&token, &public, &validation).unwrap();
        assert_eq!(decoded.claims["jti"], "x");
        let other = PrivateKey::read(&Secret::new(fixture("other-key.pem"))).unwrap();
        let forged = other.signed(claims).unwrap();
        assert!(jsonwebtoken::decode::<serde_json::Value>(&forged, &public, &validation).is_err());
    }

    #[test]
    fn what_is_no_rsa_private_key_is_refused() {
        let public = PrivateKey::read(&Secret::new(fixture("client-key.pub.pem")));
        assert!(
            public
                .unwrap_err()
                .to_string()
                .contains("not an RSA private key")
        );
    }
}
