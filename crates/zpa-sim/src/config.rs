use std::fmt;
use std::time::Duration;

/// How the simulator is set up. Every field has a default, so tests write
/// `SimConfig { connectors: 5, ..SimConfig::default() }`.
#[derive(Clone)]
pub struct SimConfig {
    pub connectors: usize,
    pub approvals: usize,
    /// Application segments: the fourteen named ones (always there), then
    /// more up to this count (`Segment 15`, ...), in Default.
    pub segments: usize,
    /// Everything generated (ids, names, fleet spread) follows from the seed;
    /// epoch times are offsets from the moment the simulator starts, so that
    /// durations and approval states stay realistic whenever it runs.
    pub seed: u64,
    /// `None` turns rate limiting off.
    pub rate_limit: Option<RateLimit>,
    pub token_ttl: Duration,
    /// Mean added latency; each request waits a random 50%..150% of it.
    pub latency: Duration,
    /// Share of requests (0.0..=1.0) answered with a 503 before they run.
    pub fail_rate: f64,
    pub customer_id: String,
    pub client_id: String,
    pub client_secret: String,
    /// A token that is always accepted and never expires.
    pub static_token: String,
    /// PEM of the RSA public key that OneAPI client assertions (private-key
    /// sign-in) must verify against; `None` refuses such sign-ins.
    pub assertion_public_key: Option<String>,
    /// Serve fields that no SDK models yet, as a newer API would: at the top
    /// of connectors and approvals and nested in them, with nulls, arrays, an
    /// integer beyond 2^64 and a decimal with a trailing zero. For testing
    /// that clients keep what they do not know.
    pub future_fields: bool,
    /// Compress answers with gzip when the client asks, as the live API does
    /// (`content-encoding: gzip`, `vary: Accept-Encoding`).
    pub compression: bool,
    /// The budget to advertise in `x-ratelimit-limit`, `x-ratelimit-remaining`
    /// and `x-ratelimit-reset` and to enforce over every API request, as
    /// OneAPI does (live: 5000 per 60 s); `None` sends no such header.
    pub advertised_limit: Option<AdvertisedLimit>,
}

/// Requests allowed per fixed window, over all clients.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct AdvertisedLimit {
    pub requests: u32,
    pub window: Duration,
}

impl AdvertisedLimit {
    /// What live OneAPI answers advertise: `x-ratelimit-limit: 5000,
    /// 5000;w=60` (zscaler-sdk-python tests/integration/zpa/cassettes,
    /// every API answer of TestPRAApproval.yaml).
    pub const ONEAPI: AdvertisedLimit = AdvertisedLimit {
        requests: 5000,
        window: Duration::from_secs(60),
    };
}

impl std::str::FromStr for AdvertisedLimit {
    type Err = String;

    /// `5000/60s`: requests, then the window as [`parse_duration`] reads it.
    fn from_str(text: &str) -> Result<Self, String> {
        let invalid = || format!("invalid limit {text:?}: expected requests/window, e.g. 5000/60s");
        let (requests, window) = text.split_once('/').ok_or_else(invalid)?;
        let requests = requests.trim().parse().map_err(|_| invalid())?;
        let window = parse_duration(window)?;
        if requests == 0 || window.is_zero() {
            return Err(invalid());
        }
        Ok(AdvertisedLimit { requests, window })
    }
}

impl Default for SimConfig {
    fn default() -> Self {
        SimConfig {
            connectors: 200,
            approvals: 40,
            segments: 14,
            seed: 42,
            rate_limit: None,
            token_ttl: Duration::from_secs(3600),
            latency: Duration::ZERO,
            fail_rate: 0.0,
            customer_id: "216196257331281920".to_owned(),
            client_id: "zpa-sim-client".to_owned(),
            client_secret: "zpa-sim-secret".to_owned(),
            static_token: "zpa-sim-static-token".to_owned(),
            assertion_public_key: None,
            future_fields: false,
            compression: true,
            advertised_limit: None,
        }
    }
}

// Secrets never reach Debug output: configs end up in test failure messages.
impl fmt::Debug for SimConfig {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SimConfig")
            .field("connectors", &self.connectors)
            .field("approvals", &self.approvals)
            .field("seed", &self.seed)
            .field("rate_limit", &self.rate_limit)
            .field("token_ttl", &self.token_ttl)
            .field("latency", &self.latency)
            .field("fail_rate", &self.fail_rate)
            .field("future_fields", &self.future_fields)
            .field("compression", &self.compression)
            .field("advertised_limit", &self.advertised_limit)
            .field("customer_id", &self.customer_id)
            .field("client_id", &self.client_id)
            .field("client_secret", &"<redacted>")
            .field("static_token", &"<redacted>")
            .finish()
    }
}

/// Requests allowed per client in a sliding window.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RateLimit {
    pub get: usize,
    pub write: usize,
    pub window: Duration,
}

impl RateLimit {
    /// ZPA's published limits: 20 GET and 10 POST/PUT/DELETE per window
    /// (10 s in production; shorter windows keep tests fast).
    pub fn zpa(window: Duration) -> Self {
        RateLimit {
            get: 20,
            write: 10,
            window,
        }
    }
}

/// Parses `250ms`, `10s`, `5m`, `1h`, `2d` or a bare number of seconds.
pub fn parse_duration(text: &str) -> Result<Duration, String> {
    let text = text.trim();
    let split = text
        .find(|c: char| !c.is_ascii_digit() && c != '.')
        .unwrap_or(text.len());
    let (number, unit) = text.split_at(split);
    let value: f64 = number
        .parse()
        .map_err(|_| format!("invalid duration {text:?}: expected e.g. 250ms, 10s, 1h"))?;
    let seconds = match unit {
        "ms" => value / 1000.0,
        "" | "s" => value,
        "m" => value * 60.0,
        "h" => value * 3600.0,
        "d" => value * 86400.0,
        _ => return Err(format!("invalid duration unit in {text:?}")),
    };
    Ok(Duration::from_secs_f64(seconds))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations() {
        assert_eq!(parse_duration("0ms"), Ok(Duration::ZERO));
        assert_eq!(parse_duration("250ms"), Ok(Duration::from_millis(250)));
        assert_eq!(parse_duration("10s"), Ok(Duration::from_secs(10)));
        assert_eq!(parse_duration("1h"), Ok(Duration::from_secs(3600)));
        assert_eq!(parse_duration("7"), Ok(Duration::from_secs(7)));
        assert!(parse_duration("ten").is_err());
        assert!(parse_duration("5y").is_err());
    }

    #[test]
    fn advertised_limits() {
        assert_eq!(
            "5000/60s".parse(),
            Ok(AdvertisedLimit {
                requests: 5000,
                window: Duration::from_secs(60)
            })
        );
        for bad in ["5000", "0/1s", "10/0s", "x/1s", "10/1y"] {
            assert!(bad.parse::<AdvertisedLimit>().is_err(), "{bad}");
        }
    }
}
