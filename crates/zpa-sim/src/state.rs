use std::sync::atomic::AtomicU64;
use std::sync::{Mutex, MutexGuard, RwLock, RwLockReadGuard, RwLockWriteGuard};

use crate::auth::Tokens;
use crate::config::{AdvertisedLimit, SimConfig};
use crate::faults::Faults;
use crate::log::RequestLog;
use crate::rate_limit::{Advertised, RateLimiter};
use crate::store::Store;

/// Everything the server and the `Sim` handle share. Each part has its own
/// lock so that page reads never wait on the request log or the limiter.
#[derive(Debug)]
pub(crate) struct Shared {
    pub(crate) config: SimConfig,
    pub(crate) store: RwLock<Store>,
    pub(crate) tokens: Mutex<Tokens>,
    pub(crate) limiter: Mutex<RateLimiter>,
    /// `None` without an advertised limit.
    pub(crate) advertised: Option<Mutex<Advertised>>,
    /// The budget OneAPI answers advertise when no limit is set: the one
    /// live answers carry.
    pub(crate) oneapi_budget: Mutex<Advertised>,
    pub(crate) faults: Mutex<Faults>,
    pub(crate) log: Mutex<RequestLog>,
    pub(crate) sign_ins: AtomicU64,
    /// This server's own token endpoint: the audience assertions must name.
    pub(crate) token_url: String,
    /// Assertion ids already used, refused if they come again.
    pub(crate) used_assertions: Mutex<std::collections::HashSet<String>>,
}

impl Shared {
    pub(crate) fn new(config: SimConfig, token_url: String) -> Self {
        Shared {
            store: RwLock::new(Store::generate(&config)),
            tokens: Mutex::new(Tokens::new(config.seed)),
            limiter: Mutex::new(RateLimiter::new(config.rate_limit)),
            advertised: config
                .advertised_limit
                .map(|limit| Mutex::new(Advertised::new(limit))),
            oneapi_budget: Mutex::new(Advertised::new(AdvertisedLimit::ONEAPI)),
            faults: Mutex::new(Faults::new(config.seed, config.latency, config.fail_rate)),
            log: Mutex::new(RequestLog::default()),
            sign_ins: AtomicU64::new(0),
            token_url,
            used_assertions: Mutex::default(),
            config,
        }
    }

    // A panicking handler must not take the whole simulator down with it,
    // so poisoned locks are simply reused.
    pub(crate) fn read(&self) -> RwLockReadGuard<'_, Store> {
        self.store.read().unwrap_or_else(|e| e.into_inner())
    }

    pub(crate) fn write(&self) -> RwLockWriteGuard<'_, Store> {
        self.store.write().unwrap_or_else(|e| e.into_inner())
    }
}

pub(crate) fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(|e| e.into_inner())
}
