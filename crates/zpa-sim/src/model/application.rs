//! Application segments, and the applications within them (privileged remote
//! access, browser access): what `/application`, `/application/getAppsByType`
//! and approvals serve.

use std::collections::BTreeMap;

use crate::errors::ApiError;
use crate::search::{Kind, Searchable, Val};

/// What a listing by type asks for (`applicationType`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum AppType {
    BrowserAccess,
    Inspect,
    SecureRemoteAccess,
}

impl AppType {
    pub(crate) fn parse(text: Option<&str>) -> Result<AppType, ApiError> {
        let refuse = |why: String| ApiError::bad_request(why).with_param("applicationType");
        match text.map(str::trim) {
            Some("BROWSER_ACCESS") => Ok(AppType::BrowserAccess),
            Some("INSPECT") => Ok(AppType::Inspect),
            Some("SECURE_REMOTE_ACCESS") => Ok(AppType::SecureRemoteAccess),
            None | Some("") => Err(refuse("applicationType is required.".to_owned())),
            Some(other) => Err(refuse(format!(
                "applicationType must be BROWSER_ACCESS, INSPECT or SECURE_REMOTE_ACCESS, not {other:?}."
            ))),
        }
    }
}

/// An application segment. Rendered once, in the three shapes it is served in.
#[derive(Clone, Debug)]
pub(crate) struct Segment {
    pub(crate) id: u64,
    pub(crate) name: String,
    pub(crate) description: Option<String>,
    pub(crate) domain_names: Vec<String>,
    pub(crate) enabled: bool,
    pub(crate) creation_time: i64,
    pub(crate) modified_time: i64,
    pub(crate) segment_group_id: u64,
    pub(crate) segment_group_name: String,
    pub(crate) microtenant_id: u64,
    pub(crate) microtenant_name: String,
    pub(crate) apps: Vec<SegmentApp>,
    /// As `/application` serves it.
    pub(crate) full: String,
    /// As a get or a list of approvals embeds it (the fields recorded live).
    pub(crate) embedded: String,
    /// As the answer to an approval's create embeds it: its settings without
    /// its names, ports and times, as recorded live.
    pub(crate) created: String,
}

/// An application within a segment, as the listing by type serves it.
#[derive(Clone, Debug)]
pub(crate) struct SegmentApp {
    pub(crate) id: u64,
    pub(crate) app_type: AppType,
    pub(crate) name: String,
    pub(crate) domain: String,
    pub(crate) protocol: &'static str,
    pub(crate) port: u16,
    pub(crate) enabled: bool,
    /// Its segment's id, `appId` on the wire.
    pub(crate) segment: u64,
    pub(crate) microtenant_id: u64,
    pub(crate) microtenant_name: String,
    pub(crate) json: String,
}

/// Every segment, by id (the listing order).
pub(crate) type Segments = BTreeMap<u64, Segment>;

impl Searchable for Segment {
    fn kind(field: &str) -> Option<Kind> {
        Some(match field {
            "id" | "creationTime" | "modifiedTime" | "segmentGroupId" | "microtenantId" => {
                Kind::Int
            }
            "enabled" => Kind::Bool,
            "name" | "description" | "segmentGroupName" | "microtenantName" => Kind::Str,
            "domainNames" => Kind::List,
            _ => return None,
        })
    }

    fn value(&self, field: &str, _now: i64) -> Option<Val<'_>> {
        let int = |v: i64| Val::Int(v.into());
        Some(match field {
            "id" => Val::Int(self.id.into()),
            "creationTime" => int(self.creation_time),
            "modifiedTime" => int(self.modified_time),
            "segmentGroupId" => Val::Int(self.segment_group_id.into()),
            "microtenantId" => Val::Int(self.microtenant_id.into()),
            "enabled" => Val::Bool(self.enabled),
            "name" => Val::Str(&self.name),
            "description" => Val::Str(self.description.as_deref()?),
            "segmentGroupName" => Val::Str(&self.segment_group_name),
            "microtenantName" => Val::Str(&self.microtenant_name),
            "domainNames" => Val::List(&self.domain_names),
            _ => return None,
        })
    }
}

impl Searchable for SegmentApp {
    fn kind(field: &str) -> Option<Kind> {
        Some(match field {
            "id" | "appId" | "applicationPort" | "microtenantId" => Kind::Int,
            "enabled" => Kind::Bool,
            "name" | "domain" | "applicationProtocol" | "microtenantName" => Kind::Str,
            _ => return None,
        })
    }

    fn value(&self, field: &str, _now: i64) -> Option<Val<'_>> {
        Some(match field {
            "id" => Val::Int(self.id.into()),
            "appId" => Val::Int(self.segment.into()),
            "applicationPort" => Val::Int(self.port.into()),
            "microtenantId" => Val::Int(self.microtenant_id.into()),
            "enabled" => Val::Bool(self.enabled),
            "name" => Val::Str(&self.name),
            "domain" => Val::Str(&self.domain),
            "applicationProtocol" => Val::Str(self.protocol),
            "microtenantName" => Val::Str(&self.microtenant_name),
            _ => return None,
        })
    }
}
