//! TLS as an operator meets it: the `zpa` binary checks the server's
//! certificate against the platform's roots, to which `SSL_CERT_FILE` adds
//! a private CA; a certificate it cannot trace to a root it trusts is
//! refused before any request reaches the server.

use std::process::{Command, Output};
use std::sync::Arc;

use rcgen::{BasicConstraints, CertificateParams, DnType, IsCa, Issuer, KeyPair, KeyUsagePurpose};
use rustls::pki_types::{CertificateDer, PrivateKeyDer, PrivatePkcs8KeyDer};
use tokio::net::{TcpListener, TcpStream};
use tokio_rustls::TlsAcceptor;
use zpa_sim::{Sim, SimConfig};

/// A CA: its certificate in PEM, and what signs with it.
struct Ca {
    pem: String,
    params: CertificateParams,
    key: KeyPair,
}

fn ca(name: &str) -> Ca {
    let mut params = CertificateParams::new(Vec::<String>::new()).unwrap();
    params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    params.distinguished_name.push(DnType::CommonName, name);
    params.key_usages = vec![KeyUsagePurpose::KeyCertSign, KeyUsagePurpose::CrlSign];
    let key = KeyPair::generate().unwrap();
    let pem = params.self_signed(&key).unwrap().pem();
    Ca { pem, params, key }
}

/// HTTPS on loopback for `localhost`, with a certificate `ca` signed, in
/// front of the simulator's plain HTTP; returns the port.
async fn tls_front(ca: &Ca, sim: &Sim) -> u16 {
    let key = KeyPair::generate().unwrap();
    let cert = CertificateParams::new(vec!["localhost".to_owned()])
        .unwrap()
        .signed_by(&key, &Issuer::from_params(&ca.params, &ca.key))
        .unwrap();
    let provider = Arc::new(rustls::crypto::aws_lc_rs::default_provider());
    let config = rustls::ServerConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .unwrap()
        .with_no_client_auth()
        .with_single_cert(
            vec![CertificateDer::from(cert.der().to_vec())],
            PrivateKeyDer::Pkcs8(PrivatePkcs8KeyDer::from(key.serialize_der())),
        )
        .unwrap();
    let acceptor = TlsAcceptor::from(Arc::new(config));
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    let backend = sim.base_url().trim_start_matches("http://").to_owned();
    tokio::spawn(async move {
        while let Ok((socket, _)) = listener.accept().await {
            let (acceptor, backend) = (acceptor.clone(), backend.clone());
            tokio::spawn(async move {
                // A refused handshake ends here, as it should.
                let Ok(mut tls) = acceptor.accept(socket).await else {
                    return;
                };
                let mut plain = TcpStream::connect(backend).await.unwrap();
                let _ = tokio::io::copy_bidirectional(&mut tls, &mut plain).await;
            });
        }
    });
    port
}

fn list(sim: &Sim, port: u16, cert_file: Option<&std::path::Path>) -> Output {
    let mut command = Command::new(env!("CARGO_BIN_EXE_zpa"));
    command
        .args(["--base-url", &format!("https://localhost:{port}")])
        .args([
            "--customer-id",
            sim.customer_id(),
            "--token",
            sim.static_token(),
        ])
        .args([
            "--rate-limit",
            "off",
            "connectors",
            "list",
            "--page",
            "1",
            "--page-size",
            "1",
        ])
        .env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default());
    if let Some(file) = cert_file {
        command.env("SSL_CERT_FILE", file);
    }
    command.output().unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_private_ca_is_trusted_through_ssl_cert_file_alone() {
    let sim = Sim::start(SimConfig::default()).await.unwrap();
    let private = ca("zpa test CA");
    let port = tls_front(&private, &sim).await;
    let dir = std::env::temp_dir().join(format!("zpa-tls-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let trusted = dir.join("ca.pem");
    std::fs::write(&trusted, &private.pem).unwrap();
    let other = dir.join("other-ca.pem");
    std::fs::write(&other, ca("another CA").pem).unwrap();

    let through = list(&sim, port, Some(&trusted));
    assert!(
        through.status.success(),
        "{}",
        String::from_utf8_lossy(&through.stderr)
    );
    assert!(String::from_utf8_lossy(&through.stdout).starts_with("ID "));

    for refused in [list(&sim, port, None), list(&sim, port, Some(&other))] {
        assert_eq!(refused.status.code(), Some(1));
        let stderr = String::from_utf8_lossy(&refused.stderr);
        assert!(
            stderr.contains("invalid peer certificate: UnknownIssuer"),
            "{stderr}"
        );
        assert!(
            !stderr.contains("attempts"),
            "a refused certificate is not tried again: {stderr}"
        );
    }
    let listed = sim
        .requests()
        .iter()
        .filter(|r| r.path.ends_with("/connector"))
        .count();
    assert_eq!(listed, 1, "a refused certificate lets no request through");
    let _ = std::fs::remove_dir_all(&dir);
}
