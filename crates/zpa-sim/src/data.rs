//! Deterministic, realistic data: the same seed gives the same fleet.

mod segments;

use rand::{RngExt, SeedableRng};
use rand_chacha::ChaCha8Rng;

use crate::json::{self, Obj};
use crate::model::Microtenant;
use crate::model::approval::{Approval, DAYS, WorkingHours};
use crate::model::connector::{Connector, Location};

const DAY: i64 = 86400;
const LATEST: &str = "24.302.2";
const OLDER_VERSIONS: [&str; 6] = [
    "24.244.1",
    "23.396.1",
    "22.73.4",
    "22.48.2",
    "21.172.1-703-g4f9451e18",
    "21.67.2-5-gc17a10071-dirty",
];
const SARGE_VERSIONS: [&str; 4] = ["24.302.2", "23.396.1", "18.66.2", "17.20.2"];
const ADMINS: [&str; 3] = [
    "72057594038058534",
    "72057594038073668",
    "72057594038624153",
];
const GROUP_NAMES: [&str; 12] = [
    "Azure Connectors",
    "AWS Assistants",
    "*Do not Delete* Lanukcorp AWS Connectors",
    "R&D Lab / Berlin",
    "Zürich DC – Edge",
    "Data Center + DR",
    "東京 Connectors",
    "São Paulo Branch",
    "example_connector_group",
    "GCP us-east1",
    "On-Prem ESXi Cluster",
    "Branch Office #12",
];
const LOCATIONS: [(&str, &str, &str, &str); 9] = [
    (
        "British Columbia, Canada",
        "53.7266683",
        "-127.647621",
        "CA-BC",
    ),
    ("California, USA", "36.778261", "-119.417932", "US-CA"),
    (
        "Oregon City, OR 97045, USA",
        "45.3573429",
        "-122.606758",
        "US-WA",
    ),
    (
        "Frankfurt am Main, Germany",
        "50.1109221",
        "8.6821267",
        "DE-FRA",
    ),
    ("Zürich, Switzerland", "47.3768866", "8.541694", "CH-ZRH"),
    ("Tokyo, Japan", "35.6761919", "139.6503106", "JP-TYO"),
    ("São Paulo, Brazil", "-23.5557714", "-46.6395571", "BR-SAO"),
    (
        "Bengaluru, Karnataka, India",
        "12.9715987",
        "77.5945627",
        "IN-BLR",
    ),
    (
        "1234 Example Location",
        "40.7127753",
        "-74.0059728",
        "US-NY",
    ),
];
const PLATFORM_DETAILS: [&str; 7] = ["AWS", "Azure", "ESXi", "GCP", "Hyper-V", "Docker", "KVM"];
/// Zones without daylight saving, so generated cron lines stay right all year.
const ZONES: [(&str, i64); 6] = [
    ("Asia/Calcutta", 330),
    ("Asia/Tokyo", 540),
    ("UTC", 0),
    ("America/Phoenix", -420),
    ("Asia/Dubai", 240),
    ("Asia/Singapore", 480),
];
const EMAILS: [&str; 8] = [
    "alice.martin@safemarch.com",
    "bob+pra@example.com",
    "o'brien@example.co.uk",
    "test@zscaler.com",
    "df@dsf1.com",
    "jürgen.weiß@example.de",
    "ops-oncall@example.org",
    "priya.k@example.in",
];

pub(crate) fn microtenants() -> Vec<Microtenant> {
    [
        (0, "Default"),
        (145260601092866314, "Finance"),
        (145260601092866330, "Engineering & R/D"),
        (145260601092866346, "Zürich Ops"),
    ]
    .into_iter()
    .map(|(id, name)| Microtenant {
        id,
        name: name.to_owned(),
    })
    .collect()
}

#[derive(Debug)]
struct Group {
    id: u64,
    name: String,
    microtenant: usize,
    location: Option<Location>,
    broker_region: &'static str,
    platform_detail: &'static str,
    provisioning_key: (u64, String),
    expected_version: &'static str,
    members: usize,
}

/// Keeps its random stream so connectors added later look like the others.
#[derive(Debug)]
pub(crate) struct Generator {
    rng: ChaCha8Rng,
    now: i64,
    microtenants: Vec<Microtenant>,
    groups: Vec<Group>,
    deception_group: Group,
    next_id: u64,
    /// Add the fields no SDK knows yet (`SimConfig::future_fields`).
    future_fields: bool,
}

impl Generator {
    pub(crate) fn new(seed: u64, now: i64, connectors: usize, future_fields: bool) -> Self {
        let mut rng = ChaCha8Rng::seed_from_u64(seed);
        let microtenants = microtenants();
        // Every sample name (spaces, `&`, `/`, `+`, non-ASCII) appears in any fleet.
        let group_count = (connectors / 25).clamp(GROUP_NAMES.len(), 4000);
        let groups = (0..group_count)
            .map(|i| {
                let base = GROUP_NAMES[i % GROUP_NAMES.len()];
                let name = match i / GROUP_NAMES.len() {
                    0 => base.to_owned(),
                    k => format!("{base} {}", k + 1),
                };
                // A few fixed placements so every microtenant owns a group.
                let microtenant = match i {
                    1 => 1,
                    2 => 2,
                    5 => 3,
                    _ => pick_weighted(&mut rng, &[70, 12, 12, 6]),
                };
                make_group(&mut rng, i as u64, name, microtenant)
            })
            .collect();
        let mut deception_group = make_group(&mut rng, 9999, "Zscaler Deception".to_owned(), 0);
        deception_group.provisioning_key.1 = "Zscaler Deception Decoy".to_owned();
        let next_id = 217246660303024000 + (seed % 997) * 10_000;
        Generator {
            rng,
            now,
            microtenants,
            groups,
            deception_group,
            next_id,
            future_fields,
        }
    }

    pub(crate) fn connector(&mut self, index: usize) -> Connector {
        let rng = &mut self.rng;
        let now = self.now;
        self.next_id += rng.random_range(1..=12u64);
        let deception = index == 3 || rng.random_bool(0.015);
        let group_index = rng.random_range(0..self.groups.len());
        let group = if deception {
            &mut self.deception_group
        } else {
            &mut self.groups[group_index]
        };
        group.members += 1;
        let microtenant = &self.microtenants[group.microtenant];

        let creation_time = now - rng.random_range(30 * DAY..4 * 365 * DAY);
        let modified_time = if rng.random_bool(0.2) {
            creation_time
        } else {
            rng.random_range(creation_time..now)
        };
        let authenticated = rng.random_bool(0.82);
        let never_connected = !authenticated && rng.random_bool(0.15);
        let (connect, disconnect) = if never_connected {
            (None, None)
        } else if authenticated {
            let connect = now - rng.random_range(60..5 * DAY);
            let disconnect = rng
                .random_bool(0.85)
                .then(|| (connect - rng.random_range(60..30 * DAY)).max(creation_time));
            (Some(connect), disconnect)
        } else {
            let disconnect = now - rng.random_range(3600..400 * DAY);
            let connect = (disconnect - rng.random_range(60..30 * DAY)).max(creation_time);
            (Some(connect), Some(disconnect.max(connect)))
        };

        let current_version = if rng.random_bool(0.75) {
            group.expected_version
        } else {
            OLDER_VERSIONS[rng.random_range(0..OLDER_VERSIONS.len())]
        };
        let upgraded = rng.random_bool(0.7);
        let upgrade_status = match rng.random_range(0..100) {
            0..70 => Some("COMPLETE"),
            70..85 => Some("UNKNOWN"),
            85..93 => Some("IN_PROGRESS"),
            93..98 => Some("FAILED"),
            _ => None,
        };
        let mut connector = Connector {
            id: self.next_id,
            modified_time,
            creation_time,
            modified_by: if rng.random_bool(0.65) {
                "-2".to_owned()
            } else {
                ADMINS[rng.random_range(0..ADMINS.len())].to_owned()
            },
            name: format!("{}-{}", group.provisioning_key.1, group.members),
            description: (deception || rng.random_bool(0.3)).then(|| {
                if deception {
                    "Decoy connector managed by Zscaler Deception".to_owned()
                } else {
                    format!("{} connector in {}", group.platform_detail, group.name)
                }
            }),
            fingerprint: base64(&rng.random::<[u8; 32]>()),
            issued_cert_id: rng
                .random_bool(0.95)
                .then(|| rng.random_range(10_000..300_000)),
            enabled: rng.random_bool(0.92),
            expected_version: rng
                .random_bool(0.85)
                .then(|| group.expected_version.to_owned()),
            current_version: rng.random_bool(0.95).then(|| current_version.to_owned()),
            previous_version: upgraded
                .then(|| OLDER_VERSIONS[rng.random_range(0..OLDER_VERSIONS.len())].to_owned()),
            last_upgrade_time: upgraded.then(|| rng.random_range(creation_time..now)),
            upgrade_status,
            control_channel_status: Some(if authenticated {
                "ZPN_STATUS_AUTHENTICATED"
            } else {
                "ZPN_STATUS_DISCONNECTED"
            }),
            upgrade_attempt: if upgrade_status == Some("FAILED") {
                rng.random_range(1..4)
            } else {
                0
            },
            ctrl_broker_name: authenticated
                .then(|| format!("{}-{:04}", group.broker_region, rng.random_range(0..10_000))),
            last_broker_connect_time: connect,
            sarge_version: rng
                .random_bool(0.8)
                .then(|| SARGE_VERSIONS[rng.random_range(0..SARGE_VERSIONS.len())].to_owned()),
            last_broker_disconnect_time: disconnect,
            private_ip: rng.random_bool(0.85).then(|| {
                format!(
                    "10.{}.{}.{}",
                    rng.random_range(0..255),
                    rng.random_range(0..255),
                    rng.random_range(1..255)
                )
            }),
            public_ip: rng.random_bool(0.85).then(|| {
                format!(
                    "{}.{}.{}.{}",
                    [52, 20, 34, 104][rng.random_range(0..4)],
                    rng.random_range(0..255),
                    rng.random_range(0..255),
                    rng.random_range(1..255)
                )
            }),
            platform: Some(match rng.random_range(0..100) {
                0..35 => "el7",
                35..60 => "el8",
                60..80 => "el9",
                80..96 => "ubuntu2204",
                _ => "osx20",
            }),
            application_start_time: connect
                .map(|c| (c - rng.random_range(0..2 * DAY)).max(creation_time)),
            location: group.location.clone(),
            platform_detail: rng.random_bool(0.8).then_some(group.platform_detail),
            provisioning_key: rng
                .random_bool(0.95)
                .then(|| group.provisioning_key.clone()),
            enrollment_cert: rng.random_bool(0.95).then(|| {
                if rng.random_bool(0.85) {
                    (117, "Connector")
                } else {
                    (2858, "Mock Company Root Certificate")
                }
            }),
            group_id: group.id,
            group_name: group.name.clone(),
            microtenant_id: microtenant.id,
            microtenant_name: (microtenant.id != 0 || rng.random_bool(0.2))
                .then(|| microtenant.name.clone()),
            extra: Vec::new(),
            deception,
        };
        connector.extra = self.grown_fields(&connector);
        connector
    }

    /// The fields beyond the seed article that live answers and the official
    /// SDKs show (see spec/zpa.yaml), at rates of the simulator's choosing,
    /// and with `future_fields` the fields no SDK knows yet.
    fn grown_fields(&mut self, c: &Connector) -> Vec<(&'static str, String)> {
        let rng = &mut self.rng;
        let mut fields: Vec<(&'static str, String)> = Vec::new();
        // About one connector in five reports its runtime (61 of 300 in the
        // run the fidelity issue recorded): the version object, the OS, and
        // for a quarter of them their sub-modules.
        let reports = c.last_broker_connect_time.is_some() && rng.random_bool(0.24);
        if reports {
            let version = assistant_version(rng, c, self.future_fields);
            fields.push(("assistantVersion", version));
        }
        let behind = c.current_version.is_some() && c.current_version != c.expected_version;
        if behind && rng.random_bool(0.5) {
            let at = self.now + rng.random_range(DAY..30 * DAY);
            fields.push(("expectedUpgradeTime", format!("\"{at}\"")));
        }
        if reports {
            let os = match c.platform {
                Some("el7") => "CentOS Linux 7 (Core)",
                Some("el8") => "Red Hat Enterprise Linux 8.10",
                Some("ubuntu2204") => "Ubuntu 22.04.4 LTS",
                Some("osx20") => "macOS",
                _ => "Red Hat Enterprise Linux 9.5",
            };
            let mut runtime = String::new();
            json::escape_into(&mut runtime, os);
            fields.extend([
                ("runtimeOS", runtime),
                ("osUpgradeStatus", "\"UNKNOWN\"".to_owned()),
                ("sargeUpgradeStatus", "\"UNKNOWN\"".to_owned()),
                ("platformVersion", "\"NA\"".to_owned()),
            ]);
        }
        if reports && rng.random_bool(0.25) {
            fields.push(("zpnSubModuleUpgradeList", sub_modules(c)));
        }
        if c.deception {
            fields.push(("zscalerManaged", "true".to_owned()));
            fields.push(("readOnly", "true".to_owned()));
        }
        if self.future_fields {
            fields.push(("tunnelPolicy", FUTURE_OBJECT.to_owned()));
            fields.push(("decommissionedAt", "null".to_owned()));
        }
        fields
    }

    pub(crate) fn approval(&mut self, index: usize, id: u64, apps: &[(u64, u64)]) -> Approval {
        let rng = &mut self.rng;
        let now = self.now;
        let state = if index < 3 {
            index
        } else {
            pick_weighted(rng, &[45, 25, 30])
        };
        let (start_time, end_time) = match state {
            0 => (
                now - rng.random_range(3600..20 * DAY),
                now + rng.random_range(3600..60 * DAY),
            ),
            1 => {
                let start = now + rng.random_range(3600..30 * DAY);
                (start, start + rng.random_range(3600..30 * DAY))
            }
            _ => {
                let end = now - rng.random_range(3600..90 * DAY);
                (end - rng.random_range(3600..30 * DAY), end)
            }
        };
        let microtenant_index = if index < 8 {
            index % self.microtenants.len()
        } else {
            pick_weighted(rng, &[60, 15, 15, 10])
        };
        let microtenant_id = self.microtenants[microtenant_index].id;
        let own_apps: Vec<u64> = apps
            .iter()
            .filter(|(_, m)| *m == microtenant_id || *m == 0)
            .map(|(id, _)| *id)
            .collect();
        let mut applications = Vec::new();
        for _ in 0..rng.random_range(1..=3) {
            let app = own_apps[rng.random_range(0..own_apps.len())];
            if !applications.contains(&app) {
                applications.push(app);
            }
        }
        let creation_time = start_time.min(now) - rng.random_range(0..2 * DAY);
        let working_hours = (index % 2 == 1 || rng.random_bool(0.3)).then(|| {
            let days: Vec<&str> = match rng.random_range(0..10) {
                0..6 => DAYS[..5].to_vec(),
                6..8 => DAYS[..2].to_vec(),
                _ => DAYS
                    .iter()
                    .copied()
                    .filter(|_| rng.random_bool(0.5))
                    .chain(["SAT"])
                    .collect(),
            };
            let (start, end) = [("09:00", "17:00"), ("08:30", "18:00"), ("22:00", "06:00")]
                [rng.random_range(0..3)];
            let (zone, offset) = ZONES[rng.random_range(0..ZONES.len())];
            let mut unique: Vec<String> = Vec::new();
            for day in days {
                if !unique.iter().any(|d| d == day) {
                    unique.push(day.to_owned());
                }
            }
            WorkingHours {
                start_time_cron: Some(cron(start, offset, &unique)),
                end_time_cron: Some(cron(end, offset, &unique)),
                start_time: start.to_owned(),
                end_time: end.to_owned(),
                days: unique,
                time_zone: zone.to_owned(),
            }
        });
        Approval {
            id,
            creation_time,
            modified_time: rng
                .random_bool(0.4)
                .then(|| rng.random_range(creation_time..=now.max(creation_time))),
            modified_by: ADMINS[rng.random_range(0..ADMINS.len())].to_owned(),
            start_time,
            end_time,
            email_ids: vec![EMAILS[rng.random_range(0..EMAILS.len())].to_owned()],
            applications,
            working_hours,
            microtenant_id,
            microtenant_name: (microtenant_id != 0)
                .then(|| self.microtenants[microtenant_index].name.clone()),
            future_fields: self.future_fields,
        }
    }
}

/// A field no SDK models, with the shapes a newer API could send: nested
/// objects and arrays, nulls, an integer beyond 2^64, a decimal with a
/// trailing zero, escapes and non-ASCII text.
const FUTURE_OBJECT: &str = r#"{"mode":"split","weights":[1,2.50,null],"limits":{"maxTunnels":18446744073709551616,"epochNanos":1773370063123456789,"burst":null},"labels":["R&D","Zürich \"east\"","\u00e9\n"],"enabled":false}"#;

/// The one sub-module a reporting connector lists, as the Go SDK's
/// `ZPNSubModuleUpgrade` has it.
fn sub_modules(c: &Connector) -> String {
    let at = c.last_upgrade_time.unwrap_or(c.creation_time);
    let mut out = String::from("[");
    let mut o = Obj::new(&mut out);
    o.num("id", c.id + 7);
    o.num("modifiedTime", at);
    o.num("creationTime", c.creation_time);
    o.str("modifiedBy", "-2");
    o.num("entityGid", c.id);
    o.str("entityType", "ASSISTANT");
    o.str("role", "zpa-connector-child");
    o.str(
        "currentVersion",
        c.current_version.as_deref().unwrap_or_default(),
    );
    o.str("upgradeStatus", "COMPLETE");
    o.num("upgradeTime", at);
    o.end();
    out.push(']');
    out
}

/// `assistantVersion` in the shape of Zscaler's App Connector group example:
/// broker times in microseconds, unlike the connector's own seconds.
fn assistant_version(rng: &mut ChaCha8Rng, c: &Connector, future: bool) -> String {
    let mut out = String::new();
    let micros =
        |seconds: i64, rng: &mut ChaCha8Rng| seconds * 1_000_000 + rng.random_range(0..1_000_000);
    let connect = c.last_broker_connect_time.unwrap_or(c.creation_time);
    let started = c.application_start_time.unwrap_or(connect);
    let mut o = Obj::new(&mut out);
    o.num("id", c.id);
    o.num("modifiedTime", connect);
    o.num("creationTime", c.creation_time);
    o.str("modifiedBy", &c.modified_by);
    o.opt_str("expectedVersion", c.expected_version.as_deref());
    o.opt_str("currentVersion", c.current_version.as_deref());
    o.num(
        "systemStartTime",
        started
            - rng
                .random_range(0..90 * DAY)
                .min(started - c.creation_time)
                .max(0),
    );
    o.num("applicationStartTime", started);
    o.num("lastBrokerConnectTime", micros(connect, rng));
    if let Some(disconnect) = c.last_broker_disconnect_time {
        o.num("lastBrokerDisconnectTime", micros(disconnect, rng));
    }
    o.num(
        "brokerId",
        72057594037929000u64 + rng.random_range(0..5000u64),
    );
    o.num("restartTimeInSec", started - rng.random_range(0..600));
    o.opt_str("platform", c.platform);
    o.opt_str("upgradeStatus", c.upgrade_status);
    o.opt_str("ctrlChannelStatus", c.control_channel_status);
    if let Some(location) = &c.location {
        o.str("latitude", &location.latitude);
        o.str("longitude", &location.longitude);
    }
    o.opt_str("privateIp", c.private_ip.as_deref());
    o.opt_str("publicIp", c.public_ip.as_deref());
    o.bool("loneWarrior", rng.random_bool(0.3));
    o.str(
        "mtunnelId",
        &base64(&rng.random::<[u8; 15]>()).replace(['+', '/'], "x"),
    );
    o.opt_str("previousVersion", c.previous_version.as_deref());
    o.opt_num("lastUpgradedTime", c.last_upgrade_time);
    o.num("upgradeAttempt", c.upgrade_attempt);
    o.opt_str("sargeVersion", c.sarge_version.as_deref());
    o.opt_str("platformDetail", c.platform_detail);
    o.num("appConnectorGroupId", c.group_id);
    if future {
        o.raw("healthScore", "{\"value\":97.50,\"history\":[99,98,null]}");
    }
    o.end();
    out
}

fn make_group(rng: &mut ChaCha8Rng, index: u64, name: String, microtenant: usize) -> Group {
    let (place, lat, lon, region) = LOCATIONS[rng.random_range(0..LOCATIONS.len())];
    Group {
        id: 217246660303000000 + index * 7919,
        provisioning_key: (
            rng.random_range(100..9000),
            name.trim_end_matches('s').to_owned(),
        ),
        microtenant,
        location: rng.random_bool(0.9).then(|| Location {
            latitude: lat.to_owned(),
            longitude: lon.to_owned(),
            name: place.to_owned(),
        }),
        broker_region: region,
        // A group named for a cloud runs there; the others are anywhere.
        platform_detail: ["AWS", "Azure", "GCP", "ESXi"]
            .into_iter()
            .find(|cloud| name.contains(cloud))
            .unwrap_or(PLATFORM_DETAILS[rng.random_range(0..PLATFORM_DETAILS.len())]),
        expected_version: if rng.random_bool(0.8) {
            LATEST
        } else {
            OLDER_VERSIONS[0]
        },
        members: 0,
        name,
    }
}

fn pick_weighted(rng: &mut ChaCha8Rng, weights: &[u32]) -> usize {
    let mut roll = rng.random_range(0..weights.iter().sum::<u32>());
    for (i, w) in weights.iter().enumerate() {
        if roll < *w {
            return i;
        }
        roll -= w;
    }
    weights.len() - 1
}

/// Quartz cron in UTC for a local `HH:MM`; days move when the conversion
/// crosses midnight, as ZPA expects.
pub(crate) fn cron(local: &str, offset_minutes: i64, days: &[String]) -> String {
    let (h, m) = local.split_once(':').unwrap_or(("0", "0"));
    let minutes =
        h.parse::<i64>().unwrap_or(0) * 60 + m.parse::<i64>().unwrap_or(0) - offset_minutes;
    let shift = minutes.div_euclid(1440);
    let minutes = minutes.rem_euclid(1440);
    let shifted: Vec<&str> = days
        .iter()
        .filter_map(|d| DAYS.iter().position(|x| x == d))
        .map(|i| DAYS[(i as i64 + shift).rem_euclid(7) as usize])
        .collect();
    format!(
        "0 {} {} ? * {}",
        minutes % 60,
        minutes / 60,
        shifted.join(",")
    )
}

fn base64(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let n = chunk
            .iter()
            .enumerate()
            .fold(0u32, |n, (i, b)| n | (u32::from(*b) << (16 - 8 * i)));
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(ALPHABET[(n >> (18 - 6 * i) & 63) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    pub(crate) fn sample_connector() -> Connector {
        Generator::new(1, 1_700_000_000, 10, false).connector(0)
    }

    #[test]
    fn cron_matches_the_seed() {
        let days: Vec<String> = DAYS[..5].iter().map(|d| d.to_string()).collect();
        assert_eq!(cron("09:00", 330, &days), "0 30 3 ? * MON,TUE,WED,THU,FRI");
        assert_eq!(cron("17:00", 330, &days), "0 30 11 ? * MON,TUE,WED,THU,FRI");
        assert_eq!(cron("02:00", 330, &days[..1]), "0 30 20 ? * SUN");
        assert_eq!(cron("09:00", 120, &days[..2]), "0 0 7 ? * MON,TUE");
    }

    #[test]
    fn base64_fingerprints() {
        assert_eq!(base64(b"foob"), "Zm9vYg==");
        assert_eq!(base64(&[0u8; 32]).len(), 44);
    }

    #[test]
    fn same_seed_same_fleet() {
        let a: Vec<u64> = (0..50)
            .map(|i| Generator::new(7, 0, 50, false).connector(i).id)
            .collect();
        let mut generator = Generator::new(7, 0, 50, false);
        let b: Vec<u64> = (0..50).map(|i| generator.connector(i).id).collect();
        assert_ne!(a, b, "each call from a fresh generator restarts the stream");
        let mut again = Generator::new(7, 0, 50, false);
        assert_eq!(
            b,
            (0..50).map(|i| again.connector(i).id).collect::<Vec<_>>()
        );
        assert!(
            b.iter()
                .all(|id| *id > 1 << 53 && id.to_string().len() == 18)
        );
    }
}
