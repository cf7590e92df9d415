//! One budget for every process and machine: each request class's sliding
//! window lives in Redis (or Valkey), as a sorted set of send times that one
//! Lua script reads and writes atomically. The script takes its clock from
//! the Redis server (`TIME`), so hosts whose clocks disagree still agree on
//! the window.
//!
//! Redis is a help, never a cause of failure: when it does not answer within
//! [`ANSWER_WITHIN`] (down, slow, restarting), the client paces in its own
//! process, says so once, and asks Redis again after [`ASK_AGAIN_AFTER`].

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{LazyLock, Mutex, OnceLock};
use std::time::Duration;

use redis::aio::{ConnectionManager, ConnectionManagerConfig};

use crate::error::{Error, Result};
use crate::input::Setting;
use crate::runtime::{Instant, SystemTime, UNIX_EPOCH, sleep};
use crate::secret::Secret;

/// Longer than this, and pacing alone beats waiting for Redis.
const ANSWER_WITHIN: Duration = Duration::from_millis(250);

/// How long an unreachable Redis is left alone before it is asked again.
const ASK_AGAIN_AFTER: Duration = Duration::from_secs(1);

/// Trims the log to the window, then adds this send if fewer than the limit
/// remain; otherwise answers how many microseconds until one ages out. The
/// times are microseconds since the epoch, exact in Lua's doubles.
static SCRIPT: LazyLock<redis::Script> = LazyLock::new(|| {
    redis::Script::new(
        r"
local limit = tonumber(ARGV[1])
local window = tonumber(ARGV[2])
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000000 + tonumber(time[2])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - window)
local used = redis.call('ZCARD', KEYS[1])
if used < limit then
  redis.call('ZADD', KEYS[1], now, ARGV[3])
  redis.call('PEXPIRE', KEYS[1], math.ceil(window / 1000))
  return 0
end
local oldest = redis.call('ZRANGE', KEYS[1], used - limit, used - limit, 'WITHSCORES')
return math.max(1, tonumber(oldest[2]) + window - now)
",
    )
});

pub(super) struct SharedWindow {
    client: redis::Client,
    connection: OnceLock<Option<ConnectionManager>>,
    /// The URL without its credentials, for messages.
    shown: String,
    password: Option<Secret>,
    /// The sorted sets of GETs and of writes.
    keys: [String; 2],
    /// Makes this process's members unique among every client's.
    member_prefix: String,
    sent: AtomicU64,
    health: Mutex<Health>,
}

enum Health {
    Up,
    Down { ask_at: Instant },
}

impl SharedWindow {
    /// Checks `url`; nothing is sent until the first request.
    pub(super) fn new(url: &Secret, customer_id: &str) -> Result<Self> {
        let (client, shown, password) = open(url)?;
        let key = |class: &str| format!("zpa:rate-limit:{customer_id}:{class}");
        let nanos = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .unwrap_or_default()
            .as_nanos();
        Ok(SharedWindow {
            client,
            connection: OnceLock::new(),
            shown,
            password,
            keys: [key("get"), key("write")],
            member_prefix: format!("{:x}-{nanos:x}", std::process::id()),
            sent: AtomicU64::new(0),
            health: Mutex::new(Health::Up),
        })
    }

    /// Waits until the shared window has room for one request of the class
    /// at `limit` per `window` and takes it, returning its entry; `None` when
    /// Redis cannot say, and the caller paces alone.
    pub(super) async fn acquire(
        &self,
        write: bool,
        limit: u32,
        window: Duration,
    ) -> Option<String> {
        loop {
            if !self.worth_asking() {
                return None;
            }
            let member = format!(
                "{}-{}",
                self.member_prefix,
                self.sent.fetch_add(1, Ordering::Relaxed)
            );
            match self.ask(write, limit, window, &member).await {
                Ok(0) => {
                    self.reached();
                    return Some(member);
                }
                Ok(wait) => {
                    self.reached();
                    sleep(Duration::from_micros(wait)).await;
                }
                Err(why) => {
                    self.unreachable(&why);
                    return None;
                }
            }
        }
    }

    /// Takes a send the server refused out of the shared window, as the
    /// server did not count it. Best effort: Redis being away is told by
    /// the next `acquire`.
    pub(super) async fn forget(&self, write: bool, member: &str) {
        let Some(connection) = self.connection() else {
            return;
        };
        let mut connection = connection.clone();
        let mut command = redis::cmd("ZREM");
        command.arg(&self.keys[usize::from(write)]).arg(member);
        let call = command.query_async::<i64>(&mut connection);
        if let Ok(Err(error)) = tokio::time::timeout(ANSWER_WITHIN, call).await {
            event!(debug,
                error = %self.redacted(error.to_string()),
                "could not give a refused send back to Redis"
            );
        }
    }

    async fn ask(
        &self,
        write: bool,
        limit: u32,
        window: Duration,
        member: &str,
    ) -> std::result::Result<u64, String> {
        let Some(connection) = self.connection() else {
            return Err("the connection could not be set up".to_owned());
        };
        let mut connection = connection.clone();
        let mut invocation = SCRIPT.key(&self.keys[usize::from(write)]);
        invocation
            .arg(limit.max(1))
            .arg(u64::try_from(window.as_micros()).unwrap_or(u64::MAX))
            .arg(member);
        let call = invocation.invoke_async::<i64>(&mut connection);
        match tokio::time::timeout(ANSWER_WITHIN, call).await {
            Ok(Ok(wait)) => Ok(wait.max(0).unsigned_abs()),
            Ok(Err(error)) => Err(self.redacted(error.to_string())),
            Err(_) => Err(format!("no answer within {} ms", ANSWER_WITHIN.as_millis())),
        }
    }

    fn connection(&self) -> Option<&ConnectionManager> {
        self.connection
            .get_or_init(|| {
                let config = ConnectionManagerConfig::new()
                    .set_connection_timeout(Some(ANSWER_WITHIN))
                    // Answers are timed by `ask`, which says so in its warning.
                    .set_response_timeout(None)
                    .set_number_of_retries(1);
                ConnectionManager::new_lazy_with_config(self.client.clone(), config).ok()
            })
            .as_ref()
    }

    fn health(&self) -> std::sync::MutexGuard<'_, Health> {
        self.health.lock().unwrap_or_else(|p| p.into_inner())
    }

    fn worth_asking(&self) -> bool {
        match *self.health() {
            Health::Up => true,
            Health::Down { ask_at } => Instant::now() >= ask_at,
        }
    }

    fn reached(&self) {
        let mut health = self.health();
        if matches!(*health, Health::Down { .. }) {
            event!(warn,
                redis = %self.shown,
                "Redis answers again; pacing with the shared budget"
            );
        }
        *health = Health::Up;
    }

    fn unreachable(&self, why: &str) {
        let mut health = self.health();
        if matches!(*health, Health::Up) {
            event!(warn,
                redis = %self.shown,
                "Redis is unreachable ({why}); pacing in this process alone until it answers"
            );
        }
        *health = Health::Down {
            ask_at: Instant::now() + ASK_AGAIN_AFTER,
        };
    }

    /// Error texts never carry the password, even if a library put it there.
    fn redacted(&self, text: String) -> String {
        match &self.password {
            Some(password) => text.replace(password.expose(), "[redacted]"),
            None => text,
        }
    }
}

/// The client for `url`, the URL as messages may show it, and its password.
fn open(url: &Secret) -> Result<(redis::Client, String, Option<Secret>)> {
    let invalid = |why: String| Error::invalid(Setting::RateLimit, why);
    let parsed = url::Url::parse(url.expose())
        .map_err(|error| invalid(format!("the Redis URL is not a URL: {error}")))?;
    let shown = shown(&parsed);
    match parsed.scheme() {
        "redis" | "redis+unix" | "unix" => {}
        "rediss" => {
            return Err(invalid(format!(
                "{shown}: TLS to Redis (rediss://) is not built in; reach Redis over a private network or a local TLS tunnel"
            )));
        }
        other => {
            return Err(invalid(format!(
                "{shown}: the scheme {other:?} is not Redis's (redis://host:port/db)"
            )));
        }
    }
    let password = parsed.password().map(|p| {
        let decoded = percent_decoded(p);
        Secret::new(decoded)
    });
    let client = redis::Client::open(url.expose()).map_err(|error| {
        let mut text = error.to_string();
        if let Some(password) = &password {
            text = text.replace(password.expose(), "[redacted]");
        }
        invalid(format!("{shown}: {text}"))
    })?;
    Ok((client, shown, password))
}

/// `redis://[redacted]@host:port/db`: where it is, never who signs in.
fn shown(url: &url::Url) -> String {
    let who = if url.username().is_empty() && url.password().is_none() {
        ""
    } else {
        "[redacted]@"
    };
    let port = url
        .port()
        .map(|port| format!(":{port}"))
        .unwrap_or_default();
    format!(
        "{}://{who}{}{port}{}",
        url.scheme(),
        url.host_str().unwrap_or(""),
        url.path()
    )
}

fn percent_decoded(text: &str) -> String {
    percent_encoding::percent_decode_str(text)
        .decode_utf8_lossy()
        .into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_url_is_checked_and_shown_without_credentials() {
        let secret = Secret::new("redis://ops:s3cr%40t@redis.internal:6380/2");
        let (_, shown, password) = open(&secret).unwrap();
        assert_eq!(shown, "redis://[redacted]@redis.internal:6380/2");
        assert_eq!(password.unwrap().expose(), "s3cr@t");
        for (bad, why) in [
            ("rediss://:pw@host:6379", "TLS"),
            ("http://:pw@host:6379", "not Redis's"),
            ("redis host", "not a URL"),
        ] {
            let error = open(&Secret::new(bad)).err().unwrap().to_string();
            assert!(error.contains(why), "{error}");
            assert!(!error.contains("pw"), "{error}");
        }
    }
}
