//! The names of everything a caller gives the crate: the client's settings,
//! each written once here with its environment variable, its command-line
//! option and its JavaScript option, and the arguments of the calls. An
//! [`Error::InvalidInput`](crate::Error::InvalidInput) names one of these,
//! so a front end says which of its own options was wrong with a `match`.

use std::fmt;

/// One setting of the client, named once for every place it can be given:
/// [`ClientBuilder::set`](crate::ClientBuilder::set), the environment
/// ([`ClientBuilder::from_env`](crate::ClientBuilder::from_env)), the `zpa`
/// command line and the JavaScript options.
///
/// ```
/// use zpa::Setting;
///
/// assert_eq!(Setting::CustomerId.env(), "ZPA_CUSTOMER_ID");
/// assert_eq!(Setting::CustomerId.option(), "customer-id");
/// assert_eq!(Setting::CustomerId.js_name(), "customerId");
/// assert_eq!(Setting::from_js_name("customerId"), Some(Setting::CustomerId));
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[non_exhaustive]
pub enum Setting {
    /// A named cloud: `PRODUCTION`, `ZPATWO`, `BETA`, `GOV`, `GOVUS`, `PREVIEW`.
    Cloud,
    /// A custom API base URL (https, or http to loopback).
    BaseUrl,
    /// The ZPA tenant id.
    CustomerId,
    /// The API client id to sign in with.
    ClientId,
    /// The API client secret to sign in with.
    ClientSecret,
    /// A bearer token, instead of signing in.
    Token,
    /// The OneAPI private key (a PEM file's path, or its text).
    PrivateKey,
    /// The OneAPI vanity domain.
    VanityDomain,
    /// A custom OneAPI token endpoint.
    TokenUrl,
    /// An HTTP(S) proxy for every request.
    Proxy,
    /// The microtenant every call is scoped to.
    Microtenant,
    /// Pacing: `zpa`, `fixed`, `off` or a Redis URL.
    RateLimit,
    /// ZPA's counts over another window, for a simulator.
    RateWindow,
}

struct Names {
    env: &'static str,
    option: &'static str,
    js: &'static str,
    /// What the setting is, in words, for messages.
    words: &'static str,
    help: &'static str,
    secret: bool,
}

impl Setting {
    /// Every setting, in the order the environment is read and help is shown.
    pub const ALL: [Setting; 13] = [
        Setting::Cloud,
        Setting::BaseUrl,
        Setting::CustomerId,
        Setting::ClientId,
        Setting::ClientSecret,
        Setting::Token,
        Setting::PrivateKey,
        Setting::VanityDomain,
        Setting::TokenUrl,
        Setting::Proxy,
        Setting::Microtenant,
        Setting::RateLimit,
        Setting::RateWindow,
    ];

    const fn names(self) -> Names {
        match self {
            Setting::Cloud => Names {
                env: "ZPA_CLOUD",
                option: "cloud",
                js: "cloud",
                words: "cloud",
                help: "ZPA cloud: PRODUCTION, ZPATWO, BETA, GOV, GOVUS or PREVIEW.",
                secret: false,
            },
            Setting::BaseUrl => Names {
                env: "ZPA_BASE_URL",
                option: "base-url",
                js: "baseUrl",
                words: "base URL",
                help: "Custom API base URL (https, or http to loopback).",
                secret: false,
            },
            Setting::CustomerId => Names {
                env: "ZPA_CUSTOMER_ID",
                option: "customer-id",
                js: "customerId",
                words: "customer id",
                help: "The ZPA tenant id.",
                secret: false,
            },
            Setting::ClientId => Names {
                env: "ZPA_CLIENT_ID",
                option: "client-id",
                js: "clientId",
                words: "client id",
                help: "API client id, to sign in with.",
                secret: false,
            },
            Setting::ClientSecret => Names {
                env: "ZPA_CLIENT_SECRET",
                option: "client-secret",
                js: "clientSecret",
                words: "client secret",
                help: "API client secret, to sign in with.",
                secret: true,
            },
            Setting::Token => Names {
                env: "ZPA_TOKEN",
                option: "token",
                js: "token",
                words: "token",
                help: "A bearer token, instead of signing in.",
                secret: true,
            },
            Setting::PrivateKey => Names {
                env: "ZSCALER_PRIVATE_KEY",
                option: "private-key",
                js: "privateKey",
                words: "private key",
                help: "OneAPI private key (a PEM file's path, or its text) to sign in with instead of a secret.",
                secret: true,
            },
            Setting::VanityDomain => Names {
                env: "ZSCALER_VANITY_DOMAIN",
                option: "vanity-domain",
                js: "vanityDomain",
                words: "vanity domain",
                help: "OneAPI vanity domain: sign in at https://{domain}.zslogin.net.",
                secret: false,
            },
            Setting::TokenUrl => Names {
                env: "ZSCALER_TOKEN_URL",
                option: "token-url",
                js: "tokenUrl",
                words: "token URL",
                help: "OneAPI token endpoint, instead of the vanity domain's (a simulator's, say).",
                secret: false,
            },
            Setting::Proxy => Names {
                env: "ZPA_PROXY",
                option: "proxy",
                js: "proxy",
                words: "proxy",
                help: "HTTP(S) proxy, such as http://user:password@proxy:3128 (else HTTPS_PROXY and NO_PROXY apply).",
                secret: true,
            },
            Setting::Microtenant => Names {
                env: "ZPA_MICROTENANT_ID",
                option: "microtenant",
                js: "microtenantId",
                words: "microtenant id",
                help: "Scope every call to this microtenant (0 is the Default one).",
                secret: false,
            },
            Setting::RateLimit => Names {
                env: "ZPA_RATE_LIMIT",
                option: "rate-limit",
                js: "rateLimit",
                words: "rate limit",
                help: "Pacing to ZPA's limits (20 GET and 10 writes per 10 s): zpa (the default) lowers its pace while 429s show that others share the tenant's budget; fixed never does; off; or redis://[:password@]host:6379/0 to share one budget with every client using that Redis.",
                secret: true,
            },
            Setting::RateWindow => Names {
                env: "ZPA_RATE_WINDOW",
                option: "rate-window",
                js: "rateWindow",
                words: "rate window",
                help: "ZPA's counts over another window (1s, 10s...), for a simulator with a scaled clock.",
                secret: false,
            },
        }
    }

    /// The environment variable, such as `ZPA_CUSTOMER_ID`.
    pub const fn env(self) -> &'static str {
        self.names().env
    }

    /// The command-line option without its dashes, such as `customer-id`.
    pub const fn option(self) -> &'static str {
        self.names().option
    }

    /// The JavaScript option, such as `customerId`.
    pub const fn js_name(self) -> &'static str {
        self.names().js
    }

    /// One sentence on what it sets, for help texts.
    pub const fn help(self) -> &'static str {
        self.names().help
    }

    /// Whether its value is a secret (or may carry one, as URLs with a
    /// password do): never shown, in help or anywhere else.
    pub const fn is_secret(self) -> bool {
        self.names().secret
    }

    /// Why a wasm32 build (browsers, Node) refuses this setting, if it does.
    pub const fn wasm_refusal(self) -> Option<&'static str> {
        match self {
            Setting::PrivateKey => Some(
                "private-key (JWT) sign-in is native-only; in JavaScript use a client secret or a token",
            ),
            Setting::Proxy => Some(
                "browsers and Node choose the proxy of fetch; this setting is for native builds",
            ),
            _ => None,
        }
    }

    /// The setting whose JavaScript option is `name`.
    pub fn from_js_name(name: &str) -> Option<Setting> {
        Setting::ALL.into_iter().find(|s| s.js_name() == name)
    }
}

/// In words, as messages use it: `customer id`.
impl fmt::Display for Setting {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.names().words)
    }
}

/// What an [`Error::InvalidInput`](crate::Error::InvalidInput) refers to: a
/// setting, or an argument of a call.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Input {
    /// A setting of the client.
    Setting(Setting),
    /// The combination of credential settings (none, or a conflicting pair).
    Credentials,
    /// The HTTP client could not be made from the settings.
    HttpClient,
    /// A connector id.
    ConnectorId,
    /// An approval id.
    ApprovalId,
    /// An application segment id.
    ApplicationId,
    /// The ids of a bulk call.
    Ids,
    /// A connector's name.
    Name,
    /// A connector update (nothing to change).
    Update,
    /// An approval change (nothing to change).
    ApprovalChange,
    /// The page number.
    Page,
    /// The page size.
    PageSize,
    /// A search expression.
    Search,
    /// A field's name, to search or sort by.
    Field,
    /// A search operator.
    Operator,
    /// A sort direction.
    Direction,
    /// The email address of an approval.
    Email,
    /// The application segments of an approval, by id or by name.
    Applications,
    /// The start time of an approval.
    StartTime,
    /// The end time of an approval.
    EndTime,
    /// The working hours of an approval as a whole.
    WorkingHours,
    /// The days of the working hours.
    Days,
    /// The daily start time of the working hours.
    DailyStart,
    /// The daily end time of the working hours.
    DailyEnd,
    /// The time zone of the working hours.
    TimeZone,
    /// An approval as the API returned it, turned into a request.
    Approval,
    /// A request the generated client could not build.
    Request,
}

impl fmt::Display for Input {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let words = match self {
            Input::Setting(setting) => return setting.fmt(f),
            Input::Credentials => "credentials",
            Input::HttpClient => "HTTP client",
            Input::ConnectorId => "connector id",
            Input::ApprovalId => "approval id",
            Input::ApplicationId => "application segment id",
            Input::Ids => "ids",
            Input::Name => "name",
            Input::Update => "update",
            Input::ApprovalChange => "approval change",
            Input::Page => "page",
            Input::PageSize => "page size",
            Input::Search => "search",
            Input::Field => "field",
            Input::Operator => "operator",
            Input::Direction => "sort direction",
            Input::Email => "email",
            Input::Applications => "application segments",
            Input::StartTime => "start time",
            Input::EndTime => "end time",
            Input::WorkingHours => "working hours",
            Input::Days => "working hours days",
            Input::DailyStart => "working hours start time",
            Input::DailyEnd => "working hours end time",
            Input::TimeZone => "time zone",
            Input::Approval => "approval",
            Input::Request => "request",
        };
        f.write_str(words)
    }
}

impl Input {
    /// Where the input is in the JSON (serde) shape of the request types
    /// ([`ApprovalRequest`](crate::ApprovalRequest),
    /// [`ApprovalChange`](crate::ApprovalChange),
    /// [`WorkingHours`](crate::WorkingHours)), such as `startTime` or
    /// `workingHours.days`; `None` for an input that is no field of theirs.
    /// Front ends that take those shapes name errors by it.
    pub fn json_path(self) -> Option<&'static str> {
        Some(match self {
            Input::Email => "email",
            Input::Applications => "applications",
            Input::StartTime => "startTime",
            Input::EndTime => "endTime",
            Input::WorkingHours => "workingHours",
            Input::Days => "workingHours.days",
            Input::DailyStart => "workingHours.startTime",
            Input::DailyEnd => "workingHours.endTime",
            Input::TimeZone => "workingHours.timeZone",
            _ => return None,
        })
    }
}

impl From<Setting> for Input {
    fn from(setting: Setting) -> Input {
        Input::Setting(setting)
    }
}
