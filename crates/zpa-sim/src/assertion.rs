//! OneAPI private-key sign-in: the token endpoint checks a JWT client
//! assertion (RS256) against the configured public key, that it names this
//! endpoint as its audience and the client as issuer and subject, that it has
//! not expired, and that its `jti` was never used before.

use std::collections::HashSet;

use jsonwebtoken::errors::ErrorKind;
use jsonwebtoken::{Algorithm, DecodingKey, Validation};
use serde::Deserialize;

use crate::state::{Shared, lock};

pub(crate) const ASSERTION_TYPE: &str = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";

#[derive(Deserialize)]
struct Claims {
    jti: Option<String>,
}

/// `Ok` when `assertion` proves `client_id`; else why not, for `error_description`.
pub(crate) fn verify(state: &Shared, client_id: &str, assertion: &str) -> Result<(), String> {
    let Some(pem) = &state.config.assertion_public_key else {
        return Err("This client has no public key for private-key sign-in.".to_owned());
    };
    let key = DecodingKey::from_rsa_pem(pem.as_bytes())
        .map_err(|e| format!("The configured public key is unusable: {e}."))?;
    let mut validation = Validation::new(Algorithm::RS256);
    validation.leeway = 0;
    validation.set_audience(&[&state.token_url]);
    validation.set_issuer(&[client_id]);
    validation.sub = Some(client_id.to_owned());
    validation.set_required_spec_claims(&["exp", "iat", "aud", "iss", "sub"]);
    let claims = jsonwebtoken::decode::<Claims>(assertion, &key, &validation)
        .map_err(|error| match error.kind() {
            ErrorKind::ExpiredSignature => "The client assertion has expired.".to_owned(),
            ErrorKind::InvalidAudience => format!(
                "The client assertion's audience must be {}.",
                state.token_url
            ),
            ErrorKind::InvalidSignature => {
                "The client assertion's signature does not verify with the client's public key."
                    .to_owned()
            }
            ErrorKind::InvalidIssuer | ErrorKind::InvalidSubject => {
                "The client assertion's iss and sub must be the client id.".to_owned()
            }
            other => format!("The client assertion is invalid: {other:?}."),
        })?
        .claims;
    let jti = claims.jti.ok_or("The client assertion has no jti.")?;
    let mut used: std::sync::MutexGuard<'_, HashSet<String>> = lock(&state.used_assertions);
    if !used.insert(jti) {
        return Err("The client assertion was already used (its jti repeats).".to_owned());
    }
    Ok(())
}
