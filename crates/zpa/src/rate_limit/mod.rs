//! Client-side pacing to ZPA's limits, so that a steady workload sees no 429.
//!
//! ZPA counts requests per organisation and source IP over a window: 20 GETs
//! and 10 writes (POST, PUT, DELETE) per 10 seconds. A request goes once its
//! class's [`window`] has room, in this process or, with [`Sharing::Redis`],
//! in every process that shares the Redis; its limit is lowered for a while
//! when refusals show that others spend the same budget ([`adaptive`]). On
//! top of that, the budget the server advertises ([`advertised`]).

mod adaptive;
mod advertised;
#[cfg(all(feature = "redis", not(target_arch = "wasm32")))]
mod redis;
mod window;

use std::fmt;
use std::str::FromStr;
use std::sync::Mutex;
use std::time::Duration;

pub(crate) use advertised::ServerBudget;

use crate::error::{Error, Result};
use crate::input::Setting;
use crate::runtime::{Instant, sleep};
use crate::secret::Secret;
use adaptive::Adaptive;
use window::Window;

/// Request limits per window, for GETs and for writes, and how the budget is
/// shared with the tenant's other clients.
///
/// ```
/// use std::time::Duration;
/// use zpa::{RateLimit, Sharing};
///
/// let alone: Option<RateLimit> = "fixed".parse::<zpa::RateLimitSetting>()?.into();
/// assert_eq!(alone.unwrap().sharing, Sharing::Fixed);
/// let shared = RateLimit::ZPA.shared("redis://redis.internal:6379/0");
/// assert!(matches!(shared.sharing, Sharing::Redis(_)));
/// assert_eq!(RateLimit::zpa_with_window(Duration::from_secs(1)).reads, 20);
/// # Ok::<(), zpa::Error>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RateLimit {
    /// GET requests allowed per window.
    pub reads: u32,
    /// POST, PUT and DELETE requests allowed per window.
    pub writes: u32,
    /// The window.
    pub window: Duration,
    /// Who else spends the budget, and how this client learns of it.
    pub sharing: Sharing,
}

/// How a client shares its tenant's budget with other clients: other jobs,
/// scripts and services whose requests ZPA counts with its own.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
#[non_exhaustive]
pub enum Sharing {
    /// The whole budget, always: only right when nothing else calls the tenant.
    Fixed,
    /// The whole budget until a 429 (or `Resource Access Blocked`) arrives
    /// although this client kept to it: then half, at most once per window,
    /// won back one request per window after three quiet windows.
    #[default]
    Adaptive,
    /// One budget kept in Redis (or Valkey) at this URL, shared by every
    /// client configured with it on any machine, and adaptive as well. When
    /// Redis does not answer, the client paces alone and warns once, then
    /// rejoins when it answers again; a call never fails because of Redis.
    /// The URL (`redis://[user:password@]host:port/db`) is a secret. Native
    /// targets with the crate's `redis` feature only.
    Redis(Secret),
}

impl RateLimit {
    /// ZPA's documented limits: 20 GETs and 10 writes per 10 seconds,
    /// adaptive.
    pub const ZPA: RateLimit = RateLimit {
        reads: 20,
        writes: 10,
        window: Duration::from_secs(10),
        sharing: Sharing::Adaptive,
    };

    /// ZPA's counts over another window, for simulators with a scaled clock.
    pub fn zpa_with_window(window: Duration) -> RateLimit {
        RateLimit {
            window,
            ..RateLimit::ZPA
        }
    }

    /// The same limits, shared through Redis at `url` ([`Sharing::Redis`]).
    pub fn shared(self, redis_url: impl Into<Secret>) -> RateLimit {
        RateLimit {
            sharing: Sharing::Redis(redis_url.into()),
            ..self
        }
    }

    /// The same limits with the given sharing.
    pub fn sharing(self, sharing: Sharing) -> RateLimit {
        RateLimit { sharing, ..self }
    }
}

impl Default for RateLimit {
    fn default() -> Self {
        RateLimit::ZPA
    }
}

/// The text form of a client's pacing, as `ZPA_RATE_LIMIT`, the CLI's
/// `--rate-limit` and the JavaScript `rateLimit` option take it: `zpa`
/// (ZPA's limits, adaptive; the default), `fixed` (ZPA's limits, never
/// lowered), `off`, or a Redis URL (`redis://host:6379/0`: ZPA's limits
/// shared through it). `Display` never shows a Redis password.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RateLimitSetting(pub Option<RateLimit>);

impl FromStr for RateLimitSetting {
    type Err = Error;

    fn from_str(text: &str) -> Result<Self> {
        let limit = match text.trim() {
            "zpa" => Some(RateLimit::ZPA),
            "fixed" => Some(RateLimit::ZPA.sharing(Sharing::Fixed)),
            "off" => None,
            url if url.contains("://") => {
                let limit = RateLimit::ZPA.shared(url);
                shared_window(&limit, "")?;
                Some(limit)
            }
            other => {
                return Err(Error::invalid(
                    Setting::RateLimit,
                    format!("{other:?} is not zpa, fixed, off or a redis:// URL"),
                ));
            }
        };
        Ok(RateLimitSetting(limit))
    }
}

/// A window written as ZPA writes durations (`1s`, `10s`, `1m`), as
/// [`Setting::RateWindow`] takes it: for a simulator with a scaled clock.
pub(crate) fn parse_window(text: &str) -> Result<Duration> {
    let window = text
        .parse::<crate::ZpaDuration>()
        .map_err(|error| Error::invalid(Setting::RateWindow, error.to_string()))?;
    if window.as_secs() == 0 {
        return Err(Error::invalid(Setting::RateWindow, "must be at least 1s"));
    }
    Ok(Duration::from_secs(window.as_secs()))
}

impl fmt::Display for RateLimitSetting {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.0 {
            None => f.write_str("off"),
            Some(limit) => match &limit.sharing {
                Sharing::Fixed => f.write_str("fixed"),
                Sharing::Adaptive => f.write_str("zpa"),
                Sharing::Redis(_) => f.write_str("redis://[redacted]"),
            },
        }
    }
}

impl From<RateLimitSetting> for Option<RateLimit> {
    fn from(setting: RateLimitSetting) -> Self {
        setting.0
    }
}

/// The shared window `limit` asks for, checked as far as it can be before
/// any request: the Redis URL, and that this build can reach Redis at all.
fn shared_window(limit: &RateLimit, customer_id: &str) -> Result<Option<Shared>> {
    let Sharing::Redis(_url) = &limit.sharing else {
        return Ok(None);
    };
    #[cfg(all(feature = "redis", not(target_arch = "wasm32")))]
    return redis::SharedWindow::new(_url, customer_id).map(Some);
    #[cfg(not(all(feature = "redis", not(target_arch = "wasm32"))))]
    return {
        let _ = customer_id;
        Err(Error::invalid(
            Setting::RateLimit,
            if cfg!(target_arch = "wasm32") {
                "a limit shared through Redis is for native clients; in JavaScript use zpa, fixed or off"
            } else {
                "a limit shared through Redis needs the zpa crate's `redis` feature"
            },
        ))
    };
}

#[cfg(all(feature = "redis", not(target_arch = "wasm32")))]
type Shared = redis::SharedWindow;
#[cfg(not(all(feature = "redis", not(target_arch = "wasm32"))))]
type Shared = std::convert::Infallible;

/// The pacing of one client: both request classes, and the shared window
/// when there is one.
pub(crate) struct RateLimiter {
    window: Duration,
    reads: Mutex<Class>,
    writes: Mutex<Class>,
    #[cfg_attr(
        not(all(feature = "redis", not(target_arch = "wasm32"))),
        allow(dead_code)
    )]
    shared: Option<Shared>,
}

/// A request the pacing let go: its class, when, and its entry in the
/// shared window if it went through Redis.
pub(crate) struct Sent {
    write: bool,
    at: Instant,
    #[cfg_attr(
        not(all(feature = "redis", not(target_arch = "wasm32"))),
        allow(dead_code)
    )]
    member: Option<String>,
}

struct Class {
    full: u32,
    sent: Window,
    adaptive: Option<Adaptive>,
}

impl Class {
    fn limit(&mut self, now: Instant) -> u32 {
        match &mut self.adaptive {
            Some(adaptive) => adaptive.limit(now),
            None => self.full,
        }
    }
}

impl RateLimiter {
    pub(crate) fn new(limit: &RateLimit, customer_id: &str) -> Result<Self> {
        // Requests sent back to back can arrive closer together than they
        // left; 2% of the window (at least 20 ms) absorbs that jitter.
        let window = limit.window + (limit.window / 50).max(Duration::from_millis(20));
        let class = |full: u32| {
            Mutex::new(Class {
                full: full.max(1),
                sent: Window::new(full),
                adaptive: (limit.sharing != Sharing::Fixed).then(|| Adaptive::new(full, window)),
            })
        };
        Ok(RateLimiter {
            window,
            reads: class(limit.reads),
            writes: class(limit.writes),
            shared: shared_window(limit, customer_id)?,
        })
    }

    fn class(&self, write: bool) -> std::sync::MutexGuard<'_, Class> {
        let class = if write { &self.writes } else { &self.reads };
        class.lock().unwrap_or_else(|poison| poison.into_inner())
    }

    /// Waits until a request of the given class may go, records it, and
    /// returns how long it waited, with the record.
    pub(crate) async fn acquire(&self, write: bool) -> (Duration, Sent) {
        let started = Instant::now();
        #[cfg(all(feature = "redis", not(target_arch = "wasm32")))]
        if let Some(shared) = &self.shared {
            let limit = self.class(write).limit(started);
            if let Some(member) = shared.acquire(write, limit, self.window).await {
                // Kept here too, so that pacing alone starts from what this
                // process sent if Redis goes away.
                let at = Instant::now();
                self.class(write).sent.record(at);
                let sent = Sent {
                    write,
                    at,
                    member: Some(member),
                };
                return (started.elapsed(), sent);
            }
        }
        loop {
            let wait = {
                let mut class = self.class(write);
                let now = Instant::now();
                let limit = class.limit(now);
                match class.sent.wait_before_next(now, limit, self.window) {
                    None => {
                        class.sent.record(now);
                        let sent = Sent {
                            write,
                            at: now,
                            member: None,
                        };
                        return (now - started, sent);
                    }
                    Some(wait) => wait,
                }
            };
            sleep(wait).await;
        }
    }

    /// The server refused a request for its rate. ZPA does not count a
    /// refused request, so its place in the window is given back; and since
    /// it was paced, others spend the budget too.
    // What it says is only for the diagnostics.
    #[cfg_attr(not(feature = "tracing"), allow(unused_variables))]
    pub(crate) async fn refused(&self, sent: Sent) {
        let lowered = {
            let mut class = self.class(sent.write);
            class.sent.forget(sent.at);
            let now = Instant::now();
            class.adaptive.as_mut().and_then(|a| a.refused(now))
        };
        if let Some(limit) = lowered {
            event!(
                debug,
                limit,
                class = if sent.write { "writes" } else { "GETs" },
                "refused although paced: others share the budget; lowering this client's limit"
            );
        }
        #[cfg(all(feature = "redis", not(target_arch = "wasm32")))]
        if let (Some(shared), Some(member)) = (&self.shared, &sent.member) {
            shared.forget(sent.write, member).await;
        }
    }
}
