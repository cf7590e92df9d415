//! What differs between native targets and wasm32: sleeping, running work in
//! the background, and `Send` bounds. Clocks come from `web-time`, which is
//! `std::time` on native targets and the browser's clock on wasm32.

use std::future::Future;
use std::time::Duration;

use futures::FutureExt;
use futures::future::RemoteHandle;
pub(crate) use web_time::{Instant, SystemTime, UNIX_EPOCH};

/// `Send` on native targets; nothing on wasm32, whose futures are not `Send`.
#[cfg(not(target_arch = "wasm32"))]
pub trait MaybeSend: Send {}
#[cfg(not(target_arch = "wasm32"))]
impl<T: Send> MaybeSend for T {}

/// `Send` on native targets; nothing on wasm32, whose futures are not `Send`.
#[cfg(target_arch = "wasm32")]
pub trait MaybeSend {}
#[cfg(target_arch = "wasm32")]
impl<T> MaybeSend for T {}

/// Native calls need a tokio runtime for their timers and connections:
/// without one, a clear error rather than tokio's panic.
pub(crate) fn available() -> crate::Result<()> {
    #[cfg(not(target_arch = "wasm32"))]
    if tokio::runtime::Handle::try_current().is_err() {
        return Err(crate::Error::NoRuntime);
    }
    Ok(())
}

pub(crate) async fn sleep(duration: Duration) {
    #[cfg(not(target_arch = "wasm32"))]
    tokio::time::sleep(duration).await;
    #[cfg(target_arch = "wasm32")]
    gloo_timers::future::sleep(duration).await;
}

/// Runs `future` in the background (a tokio task, or a browser microtask on
/// wasm32); the handle yields its output, and dropping the handle cancels it.
pub(crate) fn spawn<T>(future: impl Future<Output = T> + MaybeSend + 'static) -> RemoteHandle<T>
where
    T: MaybeSend + 'static,
{
    let (work, handle) = future.remote_handle();
    #[cfg(not(target_arch = "wasm32"))]
    tokio::spawn(work);
    #[cfg(target_arch = "wasm32")]
    wasm_bindgen_futures::spawn_local(work);
    handle
}

/// Seconds since the Unix epoch, by the system clock.
pub(crate) fn now_epoch_seconds() -> i64 {
    use crate::epoch::EpochSeconds;
    SystemTime::now().epoch_seconds()
}
