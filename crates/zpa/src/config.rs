//! Building a [`Client`]: where the API is, who the caller is, and how hard
//! to push. Every setting can also come from the environment.

use std::fmt;
use std::str::FromStr;
use std::sync::Arc;
use std::time::Duration;

use crate::auth::{Auth, Credentials, Provider, TokenProvider, bearer_header};
use crate::client::{Client, parse_id};
use crate::error::{Error, Result};
use crate::input::{Input, Setting};
use crate::rate_limit::{RateLimit, RateLimitSetting, RateLimiter, parse_window};
use crate::retry::RetryPolicy;
use crate::secret::Secret;
use crate::transport::Shared;

/// The ZPA clouds of the legacy API, each with its own host.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Cloud {
    /// `config.private.zscaler.com`
    Production,
    /// `config.zpatwo.net`
    ZpaTwo,
    /// `config.zpabeta.net`
    Beta,
    /// `config.zpagov.net`
    Gov,
    /// `config.zpagov.us`
    GovUs,
    /// `config.zpapreview.net`
    Preview,
}

impl Cloud {
    /// Every cloud.
    pub const ALL: [Cloud; 6] = [
        Cloud::Production,
        Cloud::ZpaTwo,
        Cloud::Beta,
        Cloud::Gov,
        Cloud::GovUs,
        Cloud::Preview,
    ];

    /// The cloud's name, as [`Setting::Cloud`] takes it.
    pub fn name(self) -> &'static str {
        match self {
            Cloud::Production => "PRODUCTION",
            Cloud::ZpaTwo => "ZPATWO",
            Cloud::Beta => "BETA",
            Cloud::Gov => "GOV",
            Cloud::GovUs => "GOVUS",
            Cloud::Preview => "PREVIEW",
        }
    }

    /// The base URL of the cloud's API.
    pub fn base_url(self) -> &'static str {
        match self {
            Cloud::Production => "https://config.private.zscaler.com",
            Cloud::ZpaTwo => "https://config.zpatwo.net",
            Cloud::Beta => "https://config.zpabeta.net",
            Cloud::Gov => "https://config.zpagov.net",
            Cloud::GovUs => "https://config.zpagov.us",
            Cloud::Preview => "https://config.zpapreview.net",
        }
    }
}

impl FromStr for Cloud {
    type Err = Error;

    fn from_str(name: &str) -> Result<Self> {
        Cloud::ALL
            .into_iter()
            .find(|cloud| cloud.name().eq_ignore_ascii_case(name.trim()))
            .ok_or_else(|| Error::not_one_of(Setting::Cloud, name, Cloud::ALL.map(Cloud::name)))
    }
}

impl fmt::Display for Cloud {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// The OneAPI gateway: every ZPA path under `/zpa`.
const ONEAPI_BASE_URL: &str = "https://api.zsapi.net/zpa";

/// Settings for a [`Client`]. Secrets print as `[redacted]` in `Debug`.
///
/// ```no_run
/// # async fn run() -> zpa::Result<()> {
/// let zpa = zpa::Client::builder()
///     .cloud(zpa::Cloud::Production)
///     .customer_id("217246660302995456")
///     .client_credentials("my-client-id", "my-client-secret")
///     .build()?;
/// # Ok(()) }
/// ```
#[derive(Clone, Debug)]
pub struct ClientBuilder {
    cloud: Option<Cloud>,
    base_url: Option<String>,
    customer_id: Option<String>,
    token: Option<Secret>,
    client_id: Option<String>,
    client_secret: Option<Secret>,
    vanity_domain: Option<String>,
    proxy: Option<Secret>,
    private_key: Option<Secret>,
    token_url: Option<String>,
    microtenant: Option<String>,
    rate_limit: Option<RateLimit>,
    /// ZPA's counts over another window, whatever the pacing.
    rate_window: Option<Duration>,
    retry: RetryPolicy,
    timeout: Duration,
    connect_timeout: Option<Duration>,
    deadline: Option<Duration>,
    http: Option<reqwest::Client>,
    token_provider: Option<Provider>,
    /// Made by [`ClientBuilder::from_env`]: a missing setting is named by
    /// its environment variable.
    from_env: bool,
}

impl Default for ClientBuilder {
    fn default() -> Self {
        ClientBuilder {
            cloud: None,
            base_url: None,
            customer_id: None,
            token: None,
            client_id: None,
            client_secret: None,
            vanity_domain: None,
            proxy: None,
            private_key: None,
            token_url: None,
            microtenant: None,
            rate_limit: Some(RateLimit::ZPA),
            rate_window: None,
            retry: RetryPolicy::default(),
            timeout: Duration::from_secs(30),
            connect_timeout: None,
            deadline: None,
            http: None,
            token_provider: None,
            from_env: false,
        }
    }
}

impl ClientBuilder {
    /// Settings from the environment: each [`Setting`]'s variable
    /// ([`Setting::env`]), such as `ZPA_CUSTOMER_ID`, `ZPA_CLIENT_ID`,
    /// `ZPA_CLIENT_SECRET` or `ZPA_TOKEN`, read as [`ClientBuilder::set`]
    /// reads it. Unset and empty variables are ignored; builder calls made
    /// afterwards win. [`ClientBuilder::build`] names a missing setting by
    /// its variable (`ZPA_CUSTOMER_ID is not set`).
    pub fn from_env() -> Result<Self> {
        let builder = ClientBuilder {
            from_env: true,
            ..ClientBuilder::default()
        };
        Setting::ALL
            .into_iter()
            .try_fold(builder, |builder, setting| {
                match std::env::var(setting.env()) {
                    Ok(value) if !value.trim().is_empty() => {
                        builder.set(setting, &value).map_err(|error| match error {
                            Error::InvalidInput { input, reason } => Error::InvalidInput {
                                input,
                                reason: format!("{reason} (from {})", setting.env()),
                            },
                            other => other,
                        })
                    }
                    _ => Ok(builder),
                }
            })
    }

    /// Sets `setting` from its text form, as the environment and the
    /// command line give it: a cloud's name, an id, a URL, a secret, a
    /// [`RateLimitSetting`] or a window such as `1s`. Values are checked
    /// here or by [`ClientBuilder::build`], never by a request.
    ///
    /// ```
    /// use zpa::{ClientBuilder, Setting};
    ///
    /// let builder = ClientBuilder::default()
    ///     .set(Setting::CustomerId, "217246660302995456")?
    ///     .set(Setting::Token, "eyJ...")?
    ///     .set(Setting::RateLimit, "fixed")?;
    /// let error = builder.set(Setting::Cloud, "PRODUCTON").unwrap_err();
    /// assert_eq!(error.input(), Some(Setting::Cloud.into()));
    /// # Ok::<(), zpa::Error>(())
    /// ```
    pub fn set(mut self, setting: Setting, value: &str) -> Result<Self> {
        let text = || Some(value.trim().to_owned());
        let secret = || Some(Secret::new(value));
        match setting {
            Setting::Cloud => self.cloud = Some(value.parse()?),
            Setting::BaseUrl => self.base_url = text(),
            Setting::CustomerId => self.customer_id = text(),
            Setting::ClientId => self.client_id = text(),
            Setting::ClientSecret => self.client_secret = secret(),
            Setting::Token => self.token = secret(),
            Setting::PrivateKey => self.private_key = secret(),
            Setting::VanityDomain => self.vanity_domain = text(),
            Setting::TokenUrl => self.token_url = text(),
            Setting::Proxy => self.proxy = secret(),
            Setting::Microtenant => self.microtenant = text(),
            Setting::RateLimit => self.rate_limit = value.parse::<RateLimitSetting>()?.0,
            Setting::RateWindow => self.rate_window = Some(parse_window(value)?),
        }
        Ok(self)
    }

    /// One of the named clouds (default [`Cloud::Production`]).
    pub fn cloud(mut self, cloud: Cloud) -> Self {
        self.cloud = Some(cloud);
        self
    }

    /// A custom base URL, such as a simulator's. `https` only, except for
    /// loopback hosts. Overrides [`ClientBuilder::cloud`].
    pub fn base_url(mut self, url: impl Into<String>) -> Self {
        self.base_url = Some(url.into());
        self
    }

    /// The ZPA tenant id of the customer.
    pub fn customer_id(mut self, id: impl Into<String>) -> Self {
        self.customer_id = Some(id.into());
        self
    }

    /// Authenticate with a bearer token obtained elsewhere.
    pub fn token(mut self, token: impl Into<Secret>) -> Self {
        self.token = Some(token.into());
        self
    }

    /// Sign in with an API client id and secret (legacy `/signin`, or
    /// OneAPI when [`ClientBuilder::one_api`] is set too).
    pub fn client_credentials(mut self, id: impl Into<String>, secret: impl Into<Secret>) -> Self {
        self.client_id = Some(id.into());
        self.client_secret = Some(secret.into());
        self
    }

    /// Sign in to OneAPI with a private key instead of a client secret: each
    /// sign-in sends a fresh RS256 JWT client assertion. `key` is the PEM text
    /// or the path of a PEM file. Needs [`ClientBuilder::one_api`] (or a
    /// token URL). Native targets only.
    pub fn private_key(mut self, client_id: impl Into<String>, key: impl Into<Secret>) -> Self {
        self.client_id = Some(client_id.into());
        self.private_key = Some(key.into());
        self
    }

    /// Use OneAPI: tokens from `https://{vanity_domain}.zslogin.net/oauth2/v1/token`,
    /// requests to `https://api.zsapi.net/zpa`.
    pub fn one_api(mut self, vanity_domain: impl Into<String>) -> Self {
        self.vanity_domain = Some(vanity_domain.into());
        self
    }

    /// A custom OneAPI token endpoint, such as a simulator's. Implies OneAPI.
    pub fn token_url(mut self, url: impl Into<String>) -> Self {
        self.token_url = Some(url.into());
        self
    }

    /// Send every request through this HTTP(S) proxy, such as
    /// `http://user:password@proxy.example.com:3128`. Its credentials are a
    /// secret like the others. Without it, the standard `HTTPS_PROXY`,
    /// `HTTP_PROXY` and `NO_PROXY` variables apply; with it, `NO_PROXY` still
    /// does. Native targets only: browsers and Node choose fetch's proxy.
    pub fn proxy(mut self, url: impl Into<Secret>) -> Self {
        self.proxy = Some(url.into());
        self
    }

    /// Scope every call to this microtenant (`0` is the Default microtenant).
    pub fn microtenant(mut self, id: impl Into<String>) -> Self {
        self.microtenant = Some(id.into());
        self
    }

    /// Client-side pacing (default [`RateLimit::ZPA`]); with
    /// [`RateLimit::shared`], one budget for every client that uses the same
    /// Redis.
    pub fn rate_limit(mut self, limit: RateLimit) -> Self {
        self.rate_limit = Some(limit);
        self
    }

    /// No pacing to ZPA's documented limits: 429 answers are still waited
    /// out and retried, and the budget a server advertises in its
    /// `x-ratelimit-*` headers is still kept.
    pub fn no_rate_limit(mut self) -> Self {
        self.rate_limit = None;
        self
    }

    /// Retry budget and backoff (default [`RetryPolicy::default`]).
    pub fn retry(mut self, policy: RetryPolicy) -> Self {
        self.retry = policy;
        self
    }

    /// Limit on each attempt, body included (default 30 s); a call may make
    /// several ([`RetryPolicy`]), so see also [`ClientBuilder::deadline`].
    /// Native targets only.
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }

    /// Limit on opening a connection (default: the attempt's timeout, at
    /// most 10 s). Native targets only; with
    /// [`ClientBuilder::http_client`], set it on that client instead.
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.connect_timeout = Some(timeout);
        self
    }

    /// Limit on each call as a whole: attempts, waits for the rate limit and
    /// backoff included. A call past it fails with [`Error::Transport`]
    /// (`timed_out`), and a request in flight is dropped. No limit by default:
    /// the retry policy's attempts and waits bound a call.
    pub fn deadline(mut self, deadline: Duration) -> Self {
        self.deadline = Some(deadline);
        self
    }

    /// Sends through this `reqwest` client: its connection pool, TLS,
    /// proxy, DNS and middleware-free transport settings are the caller's.
    /// Its `timeout` is replaced per attempt by [`ClientBuilder::timeout`];
    /// gzip answers need its `gzip` feature. [`ClientBuilder::proxy`] and
    /// [`ClientBuilder::connect_timeout`] are refused beside it (set them
    /// on the client).
    ///
    /// ```
    /// let http = reqwest::Client::builder().pool_max_idle_per_host(4).build().unwrap();
    /// let zpa = zpa::Client::builder()
    ///     .customer_id("217246660302995456")
    ///     .token("eyJ...")
    ///     .http_client(http)
    ///     .build()?;
    /// # Ok::<(), zpa::Error>(())
    /// ```
    pub fn http_client(mut self, client: reqwest::Client) -> Self {
        self.http = Some(client);
        self
    }

    /// Takes bearer tokens from the caller's own source, instead of a
    /// static token or signing in; see [`TokenProvider`].
    pub fn token_provider(mut self, provider: impl TokenProvider) -> Self {
        self.token_provider = Some(Provider(Arc::new(provider)));
        self
    }

    /// Why `setting` is missing, in the terms it was expected in.
    fn not_set(&self, setting: Setting) -> String {
        match self.from_env {
            true => format!("{} is not set", setting.env()),
            false => "not set".to_owned(),
        }
    }

    /// Checks the settings and makes the client. No request is sent.
    pub fn build(self) -> Result<Client> {
        let customer_id = parse_id(
            Setting::CustomerId,
            self.customer_id.as_deref().ok_or_else(|| {
                Error::invalid(Setting::CustomerId, self.not_set(Setting::CustomerId))
            })?,
        )?;
        let microtenant = self
            .microtenant
            .as_deref()
            .map(|id| parse_id(Setting::Microtenant, id))
            .transpose()?;
        let one_api = self.vanity_domain.is_some() || self.token_url.is_some();
        let base_url = match (&self.base_url, self.cloud) {
            (Some(url), _) => url.trim_end_matches('/').to_owned(),
            (None, Some(cloud)) => cloud.base_url().to_owned(),
            (None, None) if one_api => ONEAPI_BASE_URL.to_owned(),
            (None, None) => Cloud::Production.base_url().to_owned(),
        };
        check_url(Setting::BaseUrl, &base_url)?;
        let credentials = self.credentials(&base_url)?;
        let http = match self.http.clone() {
            Some(http) => {
                let beside = match (&self.proxy, self.connect_timeout) {
                    (Some(_), _) => Some("a proxy"),
                    (None, Some(_)) => Some("a connect timeout"),
                    (None, None) => None,
                };
                if let Some(what) = beside {
                    return Err(Error::invalid(
                        Input::HttpClient,
                        format!(
                            "{what} is set beside http_client(); set it on that reqwest client"
                        ),
                    ));
                }
                http
            }
            None => {
                let proxy = self.proxy.as_ref().map(proxy).transpose()?;
                let connect = self
                    .connect_timeout
                    .unwrap_or(self.timeout.min(Duration::from_secs(10)));
                http_client(connect, proxy)?
            }
        };
        let limiter = self
            .rate_limit
            .clone()
            .map(|limit| RateLimit {
                window: self.rate_window.unwrap_or(limit.window),
                ..limit
            })
            .map(|limit| RateLimiter::new(&limit, customer_id.as_str()))
            .transpose()?;
        let shared = Shared {
            auth: Auth::new(credentials, http.clone()),
            http,
            base_url,
            customer_id,
            limiter,
            budget: Default::default(),
            retry: self.retry,
            #[cfg(not(target_arch = "wasm32"))]
            attempt_timeout: self.timeout,
            deadline: self.deadline,
            #[cfg(not(target_arch = "wasm32"))]
            in_flight: Default::default(),
        };
        // On wasm32 nothing is `Send` (a caller's token provider included),
        // and there is one thread: the `Arc` is only shared, never sent.
        #[cfg_attr(target_arch = "wasm32", allow(clippy::arc_with_non_send_sync))]
        let shared = Arc::new(shared);
        Ok(Client::new(shared, microtenant))
    }

    fn credentials(&self, base_url: &str) -> Result<Credentials> {
        if let Some(provider) = &self.token_provider {
            let others = self.token.is_some()
                || self.client_id.is_some()
                || self.client_secret.is_some()
                || self.private_key.is_some();
            if others {
                return Err(Error::invalid(
                    Input::Credentials,
                    "a token provider is set beside a token or client credentials; give one",
                ));
            }
            return Ok(Credentials::Provider(provider.clone()));
        }
        if let Some(token) = &self.token {
            if bearer_header(token).is_none() {
                return Err(Error::invalid(
                    Setting::Token,
                    "contains characters an HTTP header cannot carry",
                ));
            }
            return Ok(Credentials::Token(token.clone()));
        }
        let Some(client_id) = self.client_id.clone() else {
            return Err(match (&self.client_secret, &self.private_key) {
                (None, None) if self.from_env => {
                    let [token, id, secret, key] = [
                        Setting::Token,
                        Setting::ClientId,
                        Setting::ClientSecret,
                        Setting::PrivateKey,
                    ]
                    .map(Setting::env);
                    Error::invalid(
                        Input::Credentials,
                        format!("none given: set {token}, or {id} with {secret} or {key}"),
                    )
                }
                (None, None) => Error::invalid(
                    Input::Credentials,
                    "none given: a token, or a client id with a client secret or a private key",
                ),
                _ => Error::invalid(
                    Setting::ClientId,
                    "a client secret or private key is set but no client id",
                ),
            });
        };
        let token_url = self.one_api_token_url()?;
        match (&self.client_secret, &self.private_key) {
            (Some(_), Some(_)) => Err(Error::invalid(
                Input::Credentials,
                "set a client secret or a private key, not both",
            )),
            (None, None) => Err(Error::invalid(
                Setting::ClientSecret,
                "a client id is set but no client secret or private key",
            )),
            (Some(client_secret), None) => Ok(match token_url {
                Some(token_url) => Credentials::OneApi {
                    token_url,
                    client_id,
                    client_secret: client_secret.clone(),
                },
                None => Credentials::Legacy {
                    sign_in_url: format!("{base_url}/signin"),
                    client_id,
                    client_secret: client_secret.clone(),
                },
            }),
            (None, Some(key)) => {
                let token_url = token_url.ok_or_else(|| {
                    Error::invalid(
                        Setting::PrivateKey,
                        "private-key sign-in is OneAPI's: give the vanity domain or a token URL too",
                    )
                })?;
                private_key_credentials(token_url, client_id, key)
            }
        }
    }

    /// The OneAPI token endpoint, when OneAPI is configured.
    fn one_api_token_url(&self) -> Result<Option<String>> {
        if let Some(token_url) = &self.token_url {
            check_url(Setting::TokenUrl, token_url)?;
            return Ok(Some(token_url.clone()));
        }
        let Some(vanity) = &self.vanity_domain else {
            return Ok(None);
        };
        let valid = !vanity.is_empty()
            && vanity
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-');
        if !valid {
            return Err(Error::invalid(
                Setting::VanityDomain,
                format!("{vanity:?} is not a host label (letters, digits, -)"),
            ));
        }
        Ok(Some(format!(
            "https://{vanity}.zslogin.net/oauth2/v1/token"
        )))
    }
}

/// `https` everywhere; plain `http` only to this machine, where nothing is
/// on the network to read the credentials.
fn check_url(field: Setting, text: &str) -> Result<()> {
    let url = reqwest::Url::parse(text)
        .map_err(|e| Error::invalid(field, format!("{text:?} is not a URL: {e}")))?;
    let loopback = match url.host() {
        Some(url::Host::Domain(name)) => name.eq_ignore_ascii_case("localhost"),
        Some(url::Host::Ipv4(ip)) => ip.is_loopback(),
        Some(url::Host::Ipv6(ip)) => ip.is_loopback(),
        None => false,
    };
    match url.scheme() {
        "https" => Ok(()),
        "http" if loopback => Ok(()),
        "http" => Err(Error::invalid(
            field,
            format!("{text:?} uses plain http; only https is allowed, except to loopback hosts"),
        )),
        other => Err(Error::invalid(
            field,
            format!("{text:?} has the scheme {other:?}; use https"),
        )),
    }
}

#[cfg(all(feature = "private-key", not(target_arch = "wasm32")))]
fn private_key_credentials(
    token_url: String,
    client_id: String,
    key: &Secret,
) -> Result<Credentials> {
    Ok(Credentials::OneApiKey {
        token_url,
        client_id,
        key: crate::assertion::PrivateKey::read(key)?,
    })
}

#[cfg(not(all(feature = "private-key", not(target_arch = "wasm32"))))]
fn private_key_credentials(
    _token_url: String,
    _client_id: String,
    _key: &Secret,
) -> Result<Credentials> {
    Err(Error::invalid(
        Setting::PrivateKey,
        if cfg!(target_arch = "wasm32") {
            Setting::PrivateKey.wasm_refusal().unwrap_or_default()
        } else {
            "private-key (JWT) sign-in needs the `private-key` feature of the zpa crate"
        },
    ))
}

/// The proxy of `url`, checked; errors show the URL without its credentials.
#[cfg(not(target_arch = "wasm32"))]
fn proxy(url: &Secret) -> Result<reqwest::Proxy> {
    let invalid = |why: &str| Error::invalid(Setting::Proxy, why.to_owned());
    let parsed = reqwest::Url::parse(url.expose()).map_err(|_| invalid("not a URL"))?;
    let shown = format!(
        "{}://{}:{}",
        parsed.scheme(),
        parsed.host_str().unwrap_or(""),
        parsed.port_or_known_default().unwrap_or(0)
    );
    if !matches!(parsed.scheme(), "http" | "https") || parsed.host_str().is_none() {
        return Err(invalid(&format!("{shown} is not an http or https proxy")));
    }
    let proxy = reqwest::Proxy::all(parsed)
        .map_err(|_| invalid(&format!("{shown} is not usable as a proxy")))?;
    Ok(proxy.no_proxy(reqwest::NoProxy::from_env()))
}

#[cfg(target_arch = "wasm32")]
fn proxy(_url: &Secret) -> Result<std::convert::Infallible> {
    Err(Error::invalid(
        Setting::Proxy,
        Setting::Proxy.wasm_refusal().unwrap_or_default(),
    ))
}

/// TLS is rustls, verifying against the platform's trust store.
#[cfg(not(target_arch = "wasm32"))]
fn http_client(connect: Duration, proxy: Option<reqwest::Proxy>) -> Result<reqwest::Client> {
    let mut builder = tls(reqwest::Client::builder())?
        .user_agent(concat!("zpa-rs/", env!("CARGO_PKG_VERSION")))
        .connect_timeout(connect);
    if let Some(proxy) = proxy {
        builder = builder.proxy(proxy);
    }
    builder
        .build()
        .map_err(|e| Error::invalid(Input::HttpClient, crate::error::describe(&e)))
}

#[cfg(all(
    not(target_arch = "wasm32"),
    not(any(feature = "rustls-aws-lc-rs", feature = "rustls-ring"))
))]
compile_error!(
    "zpa needs a TLS crypto provider: enable the `rustls-aws-lc-rs` or `rustls-ring` feature"
);

/// reqwest's own rustls set-up, whose provider is aws-lc-rs.
#[cfg(all(not(target_arch = "wasm32"), feature = "rustls-aws-lc-rs"))]
fn tls(builder: reqwest::ClientBuilder) -> Result<reqwest::ClientBuilder> {
    Ok(builder)
}

/// rustls on ring, with the same platform verifier reqwest uses, given to
/// this client alone rather than installed as the process's default.
#[cfg(all(
    not(target_arch = "wasm32"),
    feature = "rustls-ring",
    not(feature = "rustls-aws-lc-rs")
))]
fn tls(builder: reqwest::ClientBuilder) -> Result<reqwest::ClientBuilder> {
    use rustls_platform_verifier::BuilderVerifierExt;
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let config = rustls::ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .and_then(|config| config.with_platform_verifier())
        .map_err(|e| Error::invalid(Input::HttpClient, format!("TLS set-up failed: {e}")))?
        .with_no_client_auth();
    Ok(builder.tls_backend_preconfigured(config))
}

/// In browsers the user agent is the browser's own, and timeouts and
/// proxies are the browser's too.
#[cfg(target_arch = "wasm32")]
fn http_client(
    _connect: Duration,
    _proxy: Option<std::convert::Infallible>,
) -> Result<reqwest::Client> {
    reqwest::Client::builder()
        .build()
        .map_err(|e| Error::invalid(Input::HttpClient, crate::error::describe(&e)))
}

#[cfg(test)]
mod tests {
    // The same tests run under wasm-bindgen-test in Node for wasm32.
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    use super::*;

    #[test]
    fn plain_http_only_to_loopback() {
        for ok in [
            "https://config.private.zscaler.com",
            "http://127.0.0.1:8080",
            "http://localhost:1",
            "http://[::1]:9",
        ] {
            assert!(check_url(Setting::BaseUrl, ok).is_ok(), "{ok}");
        }
        assert_eq!(
            check_url(Setting::BaseUrl, "http://config.private.zscaler.com")
                .unwrap_err()
                .to_string(),
            "invalid base URL: \"http://config.private.zscaler.com\" uses plain http; only https is allowed, except to loopback hosts"
        );
        assert!(check_url(Setting::BaseUrl, "ftp://x").is_err());
        assert!(check_url(Setting::BaseUrl, "not a url").is_err());
    }

    #[test]
    fn builder_debug_hides_secrets() {
        let builder = ClientBuilder::default()
            .customer_id("1")
            .client_credentials("id", "very-secret-value")
            .token("very-secret-token");
        let debug = format!("{builder:?}");
        assert!(!debug.contains("very-secret"), "{debug}");
        assert!(debug.contains("[redacted]"), "{debug}");
    }

    #[test]
    fn missing_or_bad_settings_are_named() {
        let error = |b: ClientBuilder| b.build().err().map(|e| e.to_string()).unwrap();
        assert_eq!(
            error(ClientBuilder::default()),
            "invalid customer id: not set"
        );
        assert_eq!(
            error(ClientBuilder::default().customer_id("12x")),
            "invalid customer id: \"12x\" is not an id (digits only, at most 19)"
        );
        assert_eq!(
            error(ClientBuilder::default().customer_id("1")),
            "invalid credentials: none given: a token, or a client id with a client secret or a private key"
        );
        assert_eq!(
            error(
                ClientBuilder::default()
                    .customer_id("1")
                    .token("t")
                    .microtenant("-1")
            ),
            "invalid microtenant id: \"-1\" is not an id (digits only, at most 19)"
        );
        assert_eq!(
            error(
                ClientBuilder::default()
                    .customer_id("1")
                    .client_credentials("id", "s")
                    .one_api("bad.domain")
            ),
            "invalid vanity domain: \"bad.domain\" is not a host label (letters, digits, -)"
        );
        assert_eq!(
            error(
                ClientBuilder::default()
                    .customer_id("1")
                    .client_credentials("id", "s")
                    .base_url("http://10.1.2.3")
            ),
            "invalid base URL: \"http://10.1.2.3\" uses plain http; only https is allowed, except to loopback hosts"
        );
    }

    #[test]
    fn settings_missing_from_the_environment_name_their_variables() {
        let from_env = || ClientBuilder {
            from_env: true,
            ..ClientBuilder::default()
        };
        let error = |b: ClientBuilder| b.build().err().map(|e| e.to_string()).unwrap();
        assert_eq!(
            error(from_env()),
            "invalid customer id: ZPA_CUSTOMER_ID is not set"
        );
        assert_eq!(
            error(from_env().customer_id("1")),
            "invalid credentials: none given: set ZPA_TOKEN, or ZPA_CLIENT_ID with ZPA_CLIENT_SECRET or ZSCALER_PRIVATE_KEY"
        );
    }

    #[test]
    fn clouds_by_name() {
        assert_eq!("govus".parse::<Cloud>().unwrap(), Cloud::GovUs);
        assert_eq!(Cloud::ZpaTwo.base_url(), "https://config.zpatwo.net");
        assert_eq!(
            "mars".parse::<Cloud>().unwrap_err().to_string(),
            "invalid cloud: \"mars\" is not one of PRODUCTION, ZPATWO, BETA, GOV, GOVUS, PREVIEW"
        );
    }
}
