use crate::duration;
use crate::json::Obj;
use crate::search::{Kind, Searchable, Val};

#[derive(Clone, Debug)]
pub(crate) struct Connector {
    pub(crate) id: u64,
    pub(crate) modified_time: i64,
    pub(crate) creation_time: i64,
    pub(crate) modified_by: String,
    pub(crate) name: String,
    pub(crate) description: Option<String>,
    pub(crate) fingerprint: String,
    pub(crate) issued_cert_id: Option<u64>,
    pub(crate) enabled: bool,
    pub(crate) expected_version: Option<String>,
    pub(crate) current_version: Option<String>,
    pub(crate) previous_version: Option<String>,
    pub(crate) last_upgrade_time: Option<i64>,
    pub(crate) upgrade_status: Option<&'static str>,
    pub(crate) control_channel_status: Option<&'static str>,
    pub(crate) upgrade_attempt: u32,
    pub(crate) ctrl_broker_name: Option<String>,
    pub(crate) last_broker_connect_time: Option<i64>,
    pub(crate) sarge_version: Option<String>,
    pub(crate) last_broker_disconnect_time: Option<i64>,
    pub(crate) private_ip: Option<String>,
    pub(crate) public_ip: Option<String>,
    pub(crate) platform: Option<&'static str>,
    pub(crate) application_start_time: Option<i64>,
    pub(crate) location: Option<Location>,
    pub(crate) platform_detail: Option<&'static str>,
    pub(crate) provisioning_key: Option<(u64, String)>,
    pub(crate) enrollment_cert: Option<(u64, &'static str)>,
    pub(crate) group_id: u64,
    pub(crate) group_name: String,
    pub(crate) microtenant_id: u64,
    pub(crate) microtenant_name: Option<String>,
    /// Fields the API grew after the seeds were written, as raw JSON.
    pub(crate) extra: Vec<(&'static str, String)>,
    pub(crate) deception: bool,
}

#[derive(Clone, Debug)]
pub(crate) struct Location {
    pub(crate) latitude: String,
    pub(crate) longitude: String,
    pub(crate) name: String,
}

/// A connector rendered once; only the two durations depend on the clock,
/// so they are left as slots filled in when a page is served.
#[derive(Debug)]
pub(crate) struct Rendered {
    pieces: Vec<Piece>,
}

#[derive(Debug)]
enum Piece {
    Text(Box<str>),
    Since(i64),
}

// NUL never survives JSON escaping, so it safely marks a slot while rendering.
const SLOT: char = '\0';

impl Rendered {
    pub(crate) fn write(&self, out: &mut String, now: i64) {
        for piece in &self.pieces {
            match piece {
                Piece::Text(text) => out.push_str(text),
                Piece::Since(epoch) => {
                    out.push('"');
                    duration::format_into(out, now - epoch);
                    out.push('"');
                }
            }
        }
    }
}

impl Connector {
    pub(crate) fn render(&self) -> Rendered {
        let mut json = String::with_capacity(1600);
        self.write_json(&mut json);
        let mut pieces = Vec::new();
        let mut parts = json.split(SLOT);
        if let Some(first) = parts.next() {
            pieces.push(Piece::Text(first.into()));
        }
        while let (Some(epoch), Some(text)) = (parts.next(), parts.next()) {
            pieces.push(Piece::Since(epoch.parse().unwrap_or_default()));
            pieces.push(Piece::Text(text.into()));
        }
        Rendered { pieces }
    }

    fn write_json(&self, out: &mut String) {
        let mut o = Obj::new(out);
        o.num("id", self.id);
        o.num("modifiedTime", self.modified_time);
        o.num("creationTime", self.creation_time);
        o.str("modifiedBy", &self.modified_by);
        o.str("name", &self.name);
        o.opt_str("description", self.description.as_deref());
        o.str("fingerprint", &self.fingerprint);
        o.opt_num("issuedCertId", self.issued_cert_id);
        o.bool("enabled", self.enabled);
        o.opt_str("expectedVersion", self.expected_version.as_deref());
        o.opt_str("currentVersion", self.current_version.as_deref());
        o.opt_str("previousVersion", self.previous_version.as_deref());
        o.opt_num("lastUpgradeTime", self.last_upgrade_time);
        o.opt_str("upgradeStatus", self.upgrade_status);
        o.opt_str("controlChannelStatus", self.control_channel_status);
        o.num("upgradeAttempt", self.upgrade_attempt);
        o.opt_str("ctrlBrokerName", self.ctrl_broker_name.as_deref());
        if let Some(t) = self.last_broker_connect_time {
            o.num("lastBrokerConnectTime", t);
            slot(o.key("lastBrokerConnectTimeDuration"), t);
        }
        o.opt_str("sargeVersion", self.sarge_version.as_deref());
        if let Some(t) = self.last_broker_disconnect_time {
            o.num("lastBrokerDisconnectTime", t);
            slot(o.key("lastBrokerDisconnectTimeDuration"), t);
        }
        o.opt_str("privateIp", self.private_ip.as_deref());
        o.opt_str("publicIp", self.public_ip.as_deref());
        o.opt_str("platform", self.platform);
        o.opt_num("applicationStartTime", self.application_start_time);
        if let Some(loc) = &self.location {
            o.str("latitude", &loc.latitude);
            o.str("longitude", &loc.longitude);
            o.str("location", &loc.name);
        }
        o.opt_str("platformDetail", self.platform_detail);
        if let Some((id, name)) = &self.provisioning_key {
            o.num("provisioningKeyId", id);
            o.str("provisioningKeyName", name);
        }
        if let Some((id, name)) = self.enrollment_cert {
            let mut cert = Obj::new(o.key("enrollmentCert"));
            cert.num("id", id);
            cert.str("name", name);
            cert.end();
        }
        o.num("appConnectorGroupId", self.group_id);
        o.str("appConnectorGroupName", &self.group_name);
        if self.microtenant_id != 0 {
            o.num("microtenantId", self.microtenant_id);
        }
        o.opt_str("microtenantName", self.microtenant_name.as_deref());
        for (key, json) in &self.extra {
            o.raw(key, json);
        }
        o.end();
    }
}

fn slot(out: &mut String, epoch: i64) {
    out.push(SLOT);
    out.push_str(&epoch.to_string());
    out.push(SLOT);
}

impl Searchable for Connector {
    fn kind(field: &str) -> Option<Kind> {
        Some(match field {
            "id"
            | "modifiedTime"
            | "creationTime"
            | "modifiedBy"
            | "issuedCertId"
            | "lastUpgradeTime"
            | "upgradeAttempt"
            | "lastBrokerConnectTime"
            | "lastBrokerDisconnectTime"
            | "applicationStartTime"
            | "provisioningKeyId"
            | "appConnectorGroupId"
            | "microtenantId" => Kind::Int,
            "latitude" | "longitude" => Kind::Dec,
            "enabled" => Kind::Bool,
            "lastBrokerConnectTimeDuration" | "lastBrokerDisconnectTimeDuration" => Kind::Duration,
            "name"
            | "description"
            | "fingerprint"
            | "expectedVersion"
            | "currentVersion"
            | "previousVersion"
            | "upgradeStatus"
            | "controlChannelStatus"
            | "ctrlBrokerName"
            | "sargeVersion"
            | "privateIp"
            | "publicIp"
            | "platform"
            | "location"
            | "platformDetail"
            | "provisioningKeyName"
            | "appConnectorGroupName"
            | "microtenantName" => Kind::Str,
            _ => return None,
        })
    }

    fn value(&self, field: &str, now: i64) -> Option<Val<'_>> {
        let int = |v: i64| Val::Int(v.into());
        let dec = |s: &str| s.parse().ok().map(Val::Dec);
        let loc = self.location.as_ref();
        Some(match field {
            "id" => Val::Int(self.id.into()),
            "modifiedTime" => int(self.modified_time),
            "creationTime" => int(self.creation_time),
            "modifiedBy" => Val::Int(self.modified_by.parse().ok()?),
            "issuedCertId" => Val::Int(self.issued_cert_id?.into()),
            "lastUpgradeTime" => int(self.last_upgrade_time?),
            "upgradeAttempt" => Val::Int(self.upgrade_attempt.into()),
            "lastBrokerConnectTime" => int(self.last_broker_connect_time?),
            "lastBrokerDisconnectTime" => int(self.last_broker_disconnect_time?),
            "applicationStartTime" => int(self.application_start_time?),
            "provisioningKeyId" => Val::Int(self.provisioning_key.as_ref()?.0.into()),
            "appConnectorGroupId" => Val::Int(self.group_id.into()),
            "microtenantId" => Val::Int(self.microtenant_id.into()),
            "latitude" => dec(&loc?.latitude)?,
            "longitude" => dec(&loc?.longitude)?,
            "enabled" => Val::Bool(self.enabled),
            "lastBrokerConnectTimeDuration" => {
                Val::Duration((now - self.last_broker_connect_time?).max(0))
            }
            "lastBrokerDisconnectTimeDuration" => {
                Val::Duration((now - self.last_broker_disconnect_time?).max(0))
            }
            "name" => Val::Str(&self.name),
            "description" => Val::Str(self.description.as_deref()?),
            "fingerprint" => Val::Str(&self.fingerprint),
            "expectedVersion" => Val::Str(self.expected_version.as_deref()?),
            "currentVersion" => Val::Str(self.current_version.as_deref()?),
            "previousVersion" => Val::Str(self.previous_version.as_deref()?),
            "upgradeStatus" => Val::Str(self.upgrade_status?),
            "controlChannelStatus" => Val::Str(self.control_channel_status?),
            "ctrlBrokerName" => Val::Str(self.ctrl_broker_name.as_deref()?),
            "sargeVersion" => Val::Str(self.sarge_version.as_deref()?),
            "privateIp" => Val::Str(self.private_ip.as_deref()?),
            "publicIp" => Val::Str(self.public_ip.as_deref()?),
            "platform" => Val::Str(self.platform?),
            "location" => Val::Str(&loc?.name),
            "platformDetail" => Val::Str(self.platform_detail?),
            "provisioningKeyName" => Val::Str(&self.provisioning_key.as_ref()?.1),
            "appConnectorGroupName" => Val::Str(&self.group_name),
            "microtenantName" => Val::Str(self.microtenant_name.as_deref()?),
            _ => return None,
        })
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn durations_are_filled_at_render_time() {
        let connector = crate::data::tests::sample_connector();
        let rendered = connector.render();
        let mut out = String::new();
        rendered.write(&mut out, connector.last_broker_connect_time.unwrap() + 3661);
        let value: serde_json::Value = serde_json::from_str(&out).unwrap();
        assert_eq!(value["lastBrokerConnectTimeDuration"], "01h 01m 01s");
        assert_eq!(value["id"], connector.id.to_string());
    }
}
