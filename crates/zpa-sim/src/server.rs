//! The accept loop. It is written against hyper directly, rather than with
//! `axum::serve`, so that a fault can close a connection without answering.

use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use hyper::body::Incoming;
use hyper::server::conn::http1;
use hyper_util::rt::TokioIo;
use tokio::net::TcpListener;
use tokio::sync::{Notify, watch};
use tower::ServiceExt;

/// Put in every request's extensions; lets a handler kill its connection.
#[derive(Clone, Debug)]
pub(crate) struct ConnectionControl(Arc<Notify>);

impl ConnectionControl {
    pub(crate) fn drop_connection(&self) {
        self.0.notify_one();
    }
}

pub(crate) async fn serve(
    listener: TcpListener,
    router: Router,
    mut shutdown: watch::Receiver<bool>,
) {
    loop {
        let stream = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok((stream, _)) => stream,
                // Out of file descriptors and the like: back off, keep serving.
                Err(_) => {
                    tokio::time::sleep(Duration::from_millis(20)).await;
                    continue;
                }
            },
            _ = shutdown.changed() => break,
        };
        let _ = stream.set_nodelay(true);
        let router = router.clone();
        let mut shutdown = shutdown.clone();
        tokio::spawn(async move {
            let kill = Arc::new(Notify::new());
            let control = ConnectionControl(kill.clone());
            let service =
                hyper::service::service_fn(move |mut request: hyper::Request<Incoming>| {
                    request.extensions_mut().insert(control.clone());
                    router.clone().oneshot(request)
                });
            let connection = http1::Builder::new().serve_connection(TokioIo::new(stream), service);
            // Dropping the connection future closes the socket mid-request.
            tokio::select! {
                _ = connection => {}
                _ = kill.notified() => {}
                _ = shutdown.changed() => {}
            }
        });
    }
}
