//! No secret in `Debug`, errors or trace-level logs, even when sign-in fails.

mod common;

use std::io::Write;
use std::sync::{Arc, Mutex};

use futures::TryStreamExt;
use tracing_subscriber::fmt::MakeWriter;

#[derive(Clone, Default)]
struct Captured(Arc<Mutex<Vec<u8>>>);

impl Write for Captured {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(bytes);
        Ok(bytes.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl<'a> MakeWriter<'a> for Captured {
    type Writer = Captured;
    fn make_writer(&'a self) -> Captured {
        self.clone()
    }
}

#[tokio::test]
async fn secrets_never_reach_logs_errors_or_debug() {
    let log = Captured::default();
    let subscriber = tracing_subscriber::fmt()
        .with_max_level(tracing::Level::TRACE)
        .with_writer(log.clone())
        .with_ansi(false)
        .finish();
    let _guard = tracing::subscriber::set_default(subscriber);

    let sim = common::sim(30).await;
    let secret = sim.client_secret().to_owned();
    let good = common::signing_in_client(&sim);
    let items: Vec<_> = good
        .connectors()
        .list()
        .page_size(7)
        .items()
        .try_collect()
        .await
        .unwrap();
    assert_eq!(items.len(), 30);
    sim.expire_tokens();
    good.connectors().list().page(1).await.unwrap();

    let bad_secret = "not-the-secret-but-still-secret";
    let bad = common::builder(&sim)
        .client_credentials(sim.client_id(), bad_secret)
        .build()
        .unwrap();
    let sign_in_error = bad.connectors().list().page(1).await.unwrap_err();

    let static_token = sim.static_token().to_owned();
    let with_token = common::builder(&sim)
        .token(static_token.as_str())
        .build()
        .unwrap();
    with_token.connectors().list().page(1).await.unwrap();
    let wrong_token = common::builder(&sim)
        .token("wrong-token-value-1234")
        .build()
        .unwrap();
    let token_error = wrong_token.connectors().list().page(1).await.unwrap_err();

    let mut everything = String::from_utf8(log.0.lock().unwrap().clone()).unwrap();
    for shown in [
        format!("{good:?} {bad:?} {with_token:?} {wrong_token:?}"),
        format!("{sign_in_error} {sign_in_error:?} {token_error} {token_error:?}"),
        format!(
            "{:?}",
            common::builder(&sim)
                .client_credentials("id", secret.as_str())
                .token(static_token.as_str())
        ),
    ] {
        everything.push_str(&shown);
    }
    assert!(
        everything.contains("zpa.request"),
        "the trace was captured: {everything}"
    );
    for needle in [
        secret.as_str(),
        bad_secret,
        static_token.as_str(),
        "wrong-token-value-1234",
    ] {
        assert!(!everything.contains(needle), "{needle} leaked");
    }
    // Nor may the tokens the simulator issued at sign-in, which all start
    // with the same JWT header.
    assert!(
        !everything.contains("eyJhbGciOiJSUzI1NiJ9."),
        "an issued token leaked"
    );
    assert!(
        !everything.to_lowercase().contains("bearer "),
        "an Authorization header leaked"
    );
}
