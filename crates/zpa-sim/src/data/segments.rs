//! Application segments: names a lookup by name must survive, some in
//! microtenants, one name held in two of them, and the applications within
//! them in the shapes recorded live.

use rand::RngExt;

use super::{ADMINS, DAY, FUTURE_OBJECT, Generator};
use crate::json::Obj;
use crate::model::application::{AppType, Segment, SegmentApp, Segments};

/// What a segment serves.
#[derive(Clone, Copy)]
enum Serves {
    Ssh,
    Rdp,
    Web,
    Nothing,
}

/// Each segment: its name, the index of its microtenant in
/// `microtenants()`, and what it serves. The first four have the ids of the
/// seed article and of recorded traffic, and live in Default.
const SEGMENTS: [(&str, usize, Serves); 14] = [
    ("ammo4", 0, Serves::Ssh),
    ("exampleUser-pra-22", 0, Serves::Ssh),
    ("apipratest.com", 0, Serves::Rdp),
    ("SSH Jump / Bastion", 0, Serves::Ssh),
    ("RDP Jump & Hosts", 0, Serves::Rdp),
    ("Grafana+Prometheus", 0, Serves::Web),
    ("Payroll DB", 1, Serves::Rdp),
    ("Jump Hosts", 1, Serves::Ssh),
    ("Jump Hosts", 2, Serves::Ssh),
    // Two spaces: zscaler-sdk-go #169, a lookup that broke on them.
    ("Lab  Servers", 2, Serves::Ssh),
    ("東京 Database", 2, Serves::Nothing),
    ("Zürich Ops – Jump Hosts", 3, Serves::Ssh),
    ("Intranet Wiki", 0, Serves::Web),
    ("Build Farm (CI)", 2, Serves::Nothing),
];

const SEED_IDS: [u64; 4] = [
    145256180497776992,
    72057594038061005,
    289370814522851438,
    289370814522851383,
];

impl Generator {
    /// The fourteen named segments and more up to `count`, and
    /// `(segment id, microtenant id)` for the approvals to draw from.
    pub(crate) fn segments(&mut self, count: usize) -> (Segments, Vec<(u64, u64)>) {
        let mut segments = Segments::new();
        let mut owners = Vec::new();
        for index in 0..count.max(SEGMENTS.len()) {
            let (name, microtenant, serves) = match SEGMENTS.get(index) {
                Some((name, microtenant, serves)) => ((*name).to_owned(), *microtenant, *serves),
                None => (format!("Segment {}", index + 1), 0, Serves::Ssh),
            };
            let id = SEED_IDS
                .get(index)
                .copied()
                .unwrap_or(289370814522851500 + index as u64 * 37);
            let segment = self.segment(id, index, &name, microtenant, serves);
            owners.push((id, segment.microtenant_id));
            segments.insert(id, segment);
        }
        (segments, owners)
    }

    fn segment(
        &mut self,
        id: u64,
        index: usize,
        name: &str,
        microtenant: usize,
        serves: Serves,
    ) -> Segment {
        let rng = &mut self.rng;
        let tenant = &self.microtenants[microtenant];
        let domain = format!("app{}.internal.example.com", index + 1);
        let port = match serves {
            Serves::Ssh => 22,
            Serves::Rdp => 3389,
            Serves::Web | Serves::Nothing => 443,
        };
        let creation_time = self.now - rng.random_range(200 * DAY..900 * DAY);
        let modified_time = creation_time + rng.random_range(0..100 * DAY);
        let mut segment = Segment {
            id,
            name: name.to_owned(),
            description: index
                .is_multiple_of(2)
                .then(|| "description text".to_owned()),
            domain_names: vec![domain.clone()],
            enabled: index != 13,
            creation_time,
            modified_time,
            segment_group_id: 289370814522851000 + microtenant as u64,
            segment_group_name: format!("{} Segments", tenant.name),
            microtenant_id: tenant.id,
            microtenant_name: tenant.name.clone(),
            apps: Vec::new(),
            full: String::new(),
            embedded: String::new(),
            created: String::new(),
        };
        let app = |app_type, protocol| SegmentApp {
            id: id + 1,
            app_type,
            name: domain.clone(),
            domain: domain.clone(),
            protocol,
            port,
            enabled: true,
            segment: id,
            microtenant_id: tenant.id,
            microtenant_name: tenant.name.clone(),
            json: String::new(),
        };
        segment.apps = match serves {
            Serves::Ssh => vec![app(AppType::SecureRemoteAccess, "SSH")],
            Serves::Rdp => vec![app(AppType::SecureRemoteAccess, "RDP")],
            Serves::Web => vec![app(AppType::BrowserAccess, "HTTPS")],
            Serves::Nothing => Vec::new(),
        };
        for app in &mut segment.apps {
            app.json = app_json(app, None);
        }
        let modified_by = ADMINS[index % ADMINS.len()];
        segment.full = self.full_json(&segment, index, modified_by);
        segment.embedded = self.embedded_json(&segment, index, modified_by);
        let mut created = String::new();
        let mut o = Obj::new(&mut created);
        o.num("id", id);
        settings(&mut o, index);
        o.end();
        segment.created = created;
        segment
    }

    /// As `/application` answers: the fields and order of the live answer
    /// in zscaler-sdk-python's TestApplicationSegment.yaml (Default objects
    /// carry `microtenantName` and no `microtenantId`), and the segment's
    /// applications as the Go SDK models them.
    fn full_json(&self, s: &Segment, index: usize, modified_by: &str) -> String {
        let mut json = String::new();
        let mut o = Obj::new(&mut json);
        o.num("modifiedTime", s.modified_time);
        o.num("creationTime", s.creation_time);
        o.str("modifiedBy", modified_by);
        o.num("id", s.id);
        o.str_list("domainNames", s.domain_names.iter().map(String::as_str));
        o.str("name", &s.name);
        o.opt_str("description", s.description.as_deref());
        let mut groups = String::from("[");
        let mut g = Obj::new(&mut groups);
        g.num("id", s.id - 1);
        g.num("modifiedTime", s.modified_time);
        g.num("creationTime", s.creation_time);
        g.str("modifiedBy", modified_by);
        g.str("name", &format!("{} servers", s.name));
        g.bool("enabled", true);
        g.str("configSpace", "DEFAULT");
        g.bool("extranetEnabled", false);
        g.bool("dynamicDiscovery", true);
        g.num("weight", 0);
        g.bool("passive", false);
        g.end();
        groups.push(']');
        o.raw("serverGroups", &groups);
        o.bool("enabled", s.enabled);
        o.bool("passiveHealthEnabled", !index.is_multiple_of(3));
        let port = s.apps.first().map_or(443, |app| app.port).to_string();
        o.str_list("tcpPortRanges", [port.as_str(), port.as_str()]);
        o.raw(
            "tcpPortRange",
            &format!("[{{\"from\":\"{port}\",\"to\":\"{port}\"}}]"),
        );
        o.bool("doubleEncrypt", false);
        o.str("healthCheckType", health_check(index));
        o.bool("isCnameEnabled", true);
        o.str("healthReporting", "ON_ACCESS");
        settings(&mut o, index);
        o.bool("readOnly", false);
        o.bool("zscalerManaged", false);
        if s.microtenant_id != 0 {
            o.num("microtenantId", s.microtenant_id);
        }
        o.str("microtenantName", &s.microtenant_name);
        o.num("segmentGroupId", s.segment_group_id);
        o.str("segmentGroupName", &s.segment_group_name);
        for (key, app_type) in [
            ("praApps", AppType::SecureRemoteAccess),
            ("clientlessApps", AppType::BrowserAccess),
        ] {
            let apps: Vec<&SegmentApp> = s.apps.iter().filter(|a| a.app_type == app_type).collect();
            if apps.is_empty() {
                continue;
            }
            let list = o.key(key);
            list.push('[');
            for (i, app) in apps.into_iter().enumerate() {
                if i > 0 {
                    list.push(',');
                }
                list.push_str(&app_json(app, Some(s)));
            }
            list.push(']');
        }
        if self.future_fields {
            o.raw("segmentFlags", FUTURE_OBJECT);
        }
        o.end();
        json
    }

    /// As a get or a list of approvals embeds it, in the recorded order.
    fn embedded_json(&self, s: &Segment, index: usize, modified_by: &str) -> String {
        let mut json = String::new();
        let mut o = Obj::new(&mut json);
        o.num("id", s.id);
        o.num("modifiedTime", s.modified_time);
        o.num("creationTime", s.creation_time);
        o.str("modifiedBy", modified_by);
        o.str("name", &s.name);
        o.str("domainName", &s.domain_names[0]);
        if s.microtenant_id != 0 {
            o.num("microtenantId", s.microtenant_id);
        }
        o.str_list("domainNames", s.domain_names.iter().map(String::as_str));
        o.opt_str("description", s.description.as_deref());
        o.bool("enabled", s.enabled);
        o.bool("passiveHealthEnabled", !index.is_multiple_of(3));
        let port = s.apps.first().map_or(443, |app| app.port).to_string();
        o.str_list("tcpPortRanges", [port.as_str(), port.as_str()]);
        o.bool("doubleEncrypt", false);
        o.str("healthCheckType", health_check(index));
        settings(&mut o, index);
        o.raw(
            "tcpPortRange",
            &format!("[{{\"from\":\"{port}\",\"to\":\"{port}\"}}]"),
        );
        if self.future_fields {
            o.raw("segmentFlags", FUTURE_OBJECT);
        }
        o.end();
        json
    }
}

fn health_check(index: usize) -> &'static str {
    if index.is_multiple_of(3) {
        "NONE"
    } else {
        "DEFAULT"
    }
}

/// The settings every shape of a segment carries, in the recorded order.
fn settings(o: &mut Obj, index: usize) {
    o.str("icmpAccessType", "NONE");
    o.str("bypassType", "NEVER");
    o.str("configSpace", "DEFAULT");
    o.str("cnameConfig", "NOFLATTEN");
    o.bool("ipAnchored", false);
    o.bool("bypassOnReauth", false);
    o.bool("inspectTrafficWithZia", false);
    o.num("tcpKeepAlive", 0);
    o.bool("useInDrMode", index % 4 == 1);
    o.str(
        "matchStyle",
        if index % 5 == 4 {
            "INCLUSIVE"
        } else {
            "EXCLUSIVE"
        },
    );
    o.bool("selectConnectorCloseToApp", false);
    o.bool("weightedLoadBalancing", false);
    o.bool("extranetEnabled", false);
    o.bool("adpEnabled", false);
    o.bool("apiProtectionEnabled", false);
    o.bool("autoAppProtectEnabled", false);
    o.bool("fqdnDnsCheck", false);
    o.str("policyStyle", "NONE");
}

/// An application as the listing by type answers (the live answers of
/// TestApplicationSegmentPRA.yaml and TestAccessPrivilegedConsoleV2.yaml:
/// `connectionSecurity` for RDP, `microtenantName` always, `microtenantId`
/// outside Default as the Go SDK models it); inside its segment (`segment`
/// given), with the description and portal flag of the Go SDK's PRAApps.
fn app_json(app: &SegmentApp, segment: Option<&Segment>) -> String {
    let mut json = String::new();
    let mut o = Obj::new(&mut json);
    o.num("id", app.id);
    o.str("name", &app.name);
    if let Some(segment) = segment {
        o.opt_str("description", segment.description.as_deref());
    }
    o.bool("enabled", app.enabled);
    o.num("applicationPort", app.port);
    o.str("applicationProtocol", app.protocol);
    if app.protocol == "RDP" {
        o.str("connectionSecurity", "ANY");
    }
    o.str("domain", &app.domain);
    o.num("appId", app.segment);
    o.bool("hidden", false);
    if segment.is_some() {
        o.bool("portal", false);
    }
    if app.microtenant_id != 0 {
        o.num("microtenantId", app.microtenant_id);
    }
    o.str("microtenantName", &app.microtenant_name);
    o.end();
    json
}
