//! Search expressions: `field OP value`, clauses joined with `AND`.
//!
//! Build them with [`Filter`] or parse the text form with [`Filter::parse`];
//! both print the text form the API takes in its `search` parameter.

use std::fmt;

use crate::input::Input;
use zpa_client::wire::ZpaDuration;

/// A comparison operator of the search syntax.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Op {
    /// `EQ`
    Eq,
    /// `NE`
    Ne,
    /// `GT`
    Gt,
    /// `LT`
    Lt,
    /// `GTEQ`
    GtEq,
    /// `LTEQ`
    LtEq,
    /// `CONTAINS`
    Contains,
    /// `STARTSWITH`
    StartsWith,
    /// `ENDSWITH`
    EndsWith,
}

impl Op {
    /// Every operator, in the order the API documents them.
    pub const ALL: [Op; 9] = [
        Op::Eq,
        Op::Ne,
        Op::Gt,
        Op::Lt,
        Op::GtEq,
        Op::LtEq,
        Op::Contains,
        Op::StartsWith,
        Op::EndsWith,
    ];

    /// The operator named `text` as the API writes it (`EQ`, `GTEQ`...).
    pub fn from_name(text: &str) -> Option<Op> {
        Op::ALL.into_iter().find(|op| op.as_str() == text)
    }

    /// The operator as the API writes it.
    pub fn as_str(self) -> &'static str {
        match self {
            Op::Eq => "EQ",
            Op::Ne => "NE",
            Op::Gt => "GT",
            Op::Lt => "LT",
            Op::GtEq => "GTEQ",
            Op::LtEq => "LTEQ",
            Op::Contains => "CONTAINS",
            Op::StartsWith => "STARTSWITH",
            Op::EndsWith => "ENDSWITH",
        }
    }
}

/// Reads the API's form, `EQ`.
impl std::str::FromStr for Op {
    type Err = crate::Error;

    fn from_str(text: &str) -> crate::Result<Op> {
        Op::from_name(text)
            .ok_or_else(|| crate::Error::not_one_of(Input::Operator, text, Op::ALL.map(Op::as_str)))
    }
}

/// The API's form, `EQ`.
impl fmt::Display for Op {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// What the values of a field are.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FieldKind {
    /// Free text.
    Text,
    /// An integer (ids, epoch seconds, counts).
    Number,
    /// `true` or `false`.
    Bool,
    /// A duration such as `15d` (see [`ZpaDuration`]).
    Duration,
}

impl FieldKind {
    /// Every kind.
    pub const ALL: [FieldKind; 4] = [
        FieldKind::Text,
        FieldKind::Number,
        FieldKind::Bool,
        FieldKind::Duration,
    ];

    /// `text`, `number`, `bool` or `duration`.
    pub fn as_str(self) -> &'static str {
        match self {
            FieldKind::Text => "text",
            FieldKind::Number => "number",
            FieldKind::Bool => "bool",
            FieldKind::Duration => "duration",
        }
    }
}

/// A field that can appear in a search: [`ConnectorField`], [`ApprovalField`],
/// [`ApplicationField`] or [`SegmentAppField`].
pub trait Field: Copy + PartialEq + fmt::Debug + 'static {
    /// Every field of this kind of object.
    const ALL: &'static [Self];
    /// The field's name on the wire.
    fn name(self) -> &'static str;
    /// What its values are.
    fn kind(self) -> FieldKind;

    /// The field named `name` on the wire.
    fn from_name(name: &str) -> Option<Self> {
        Self::ALL.iter().copied().find(|field| field.name() == name)
    }
}

macro_rules! fields {
    ($(#[$meta:meta])* $name:ident { $($variant:ident = $wire:literal : $kind:ident),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
        pub enum $name {
            $(
                #[doc = concat!("`", $wire, "`")]
                $variant,
            )+
        }

        impl Field for $name {
            const ALL: &'static [Self] = &[$($name::$variant),+];

            fn name(self) -> &'static str {
                match self {
                    $($name::$variant => $wire),+
                }
            }

            fn kind(self) -> FieldKind {
                match self {
                    $($name::$variant => FieldKind::$kind),+
                }
            }
        }

        /// Reads the name on the wire, `startTime`.
        impl std::str::FromStr for $name {
            type Err = crate::Error;

            fn from_str(text: &str) -> crate::Result<Self> {
                <$name as Field>::from_name(text).ok_or_else(|| {
                    crate::Error::not_one_of(Input::Field, text, $name::ALL.iter().map(|f| f.name()))
                })
            }
        }

        /// The name on the wire, `startTime`.
        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.name())
            }
        }
    };
}

fields! {
    /// The searchable fields of an App Connector.
    ConnectorField {
        Id = "id": Number,
        Name = "name": Text,
        Description = "description": Text,
        Enabled = "enabled": Bool,
        ControlChannelStatus = "controlChannelStatus": Text,
        CurrentVersion = "currentVersion": Text,
        ExpectedVersion = "expectedVersion": Text,
        PreviousVersion = "previousVersion": Text,
        UpgradeStatus = "upgradeStatus": Text,
        LastBrokerConnectTimeDuration = "lastBrokerConnectTimeDuration": Duration,
        LastBrokerDisconnectTimeDuration = "lastBrokerDisconnectTimeDuration": Duration,
        LastBrokerConnectTime = "lastBrokerConnectTime": Number,
        LastBrokerDisconnectTime = "lastBrokerDisconnectTime": Number,
        Platform = "platform": Text,
        PlatformDetail = "platformDetail": Text,
        Location = "location": Text,
        PrivateIp = "privateIp": Text,
        PublicIp = "publicIp": Text,
        CtrlBrokerName = "ctrlBrokerName": Text,
        AppConnectorGroupId = "appConnectorGroupId": Number,
        AppConnectorGroupName = "appConnectorGroupName": Text,
        ProvisioningKeyName = "provisioningKeyName": Text,
        MicrotenantId = "microtenantId": Number,
        MicrotenantName = "microtenantName": Text,
        CreationTime = "creationTime": Number,
        ModifiedTime = "modifiedTime": Number,
    }
}

fields! {
    /// The searchable and sortable fields of a privileged approval.
    ApprovalField {
        Id = "id": Number,
        EmailIds = "emailIds": Text,
        Status = "status": Text,
        StartTime = "startTime": Number,
        EndTime = "endTime": Number,
        CreationTime = "creationTime": Number,
        ModifiedTime = "modifiedTime": Number,
        MicrotenantId = "microtenantId": Number,
    }
}

fields! {
    /// The searchable fields of an application segment.
    ApplicationField {
        Id = "id": Number,
        Name = "name": Text,
        Description = "description": Text,
        Enabled = "enabled": Bool,
        DomainNames = "domainNames": Text,
        SegmentGroupId = "segmentGroupId": Number,
        SegmentGroupName = "segmentGroupName": Text,
        MicrotenantId = "microtenantId": Number,
        MicrotenantName = "microtenantName": Text,
        CreationTime = "creationTime": Number,
        ModifiedTime = "modifiedTime": Number,
    }
}

fields! {
    /// The searchable fields of an application within a segment (a listing
    /// by type).
    SegmentAppField {
        Id = "id": Number,
        AppId = "appId": Number,
        Name = "name": Text,
        Enabled = "enabled": Bool,
        Domain = "domain": Text,
        ApplicationProtocol = "applicationProtocol": Text,
        ApplicationPort = "applicationPort": Number,
        MicrotenantId = "microtenantId": Number,
        MicrotenantName = "microtenantName": Text,
    }
}

/// One `field OP value` clause.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Clause<F> {
    /// The field compared.
    pub field: F,
    /// The comparison.
    pub op: Op,
    /// The value, as written in the expression.
    pub value: String,
}

/// A search expression over the fields `F`: clauses joined with `AND`.
///
/// ```
/// use zpa::{ConnectorField, Filter, Op, ZpaDuration};
/// let filter = Filter::new()
///     .and(ConnectorField::ControlChannelStatus, Op::Eq, "ZPN_STATUS_DISCONNECTED")
///     .and(ConnectorField::LastBrokerDisconnectTimeDuration, Op::Gt, ZpaDuration::days(15));
/// assert_eq!(
///     filter.to_string(),
///     "controlChannelStatus EQ ZPN_STATUS_DISCONNECTED AND lastBrokerDisconnectTimeDuration GT 15d"
/// );
/// assert_eq!(Filter::<ConnectorField>::parse(&filter.to_string())?, filter);
/// # Ok::<(), zpa::InvalidSearch>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Filter<F> {
    clauses: Vec<Clause<F>>,
}

/// Why a search text was rejected, with the character position of the problem.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("invalid search at character {position}: {reason}")]
pub struct InvalidSearch {
    /// Position (in characters, from 0) where the problem starts.
    pub position: usize,
    /// What is wrong there.
    pub reason: String,
}

/// The separator between clauses.
const AND: &str = " AND ";

/// The longest duration a search takes: a century is longer than any
/// connector has existed, and a saturated `ZpaDuration::days(u64::MAX)`
/// reached the server as `213503982334601d 7h 15s`, which it refused.
const LONGEST_DURATION: ZpaDuration = ZpaDuration::days(36_500);

impl<F: Field> Default for Filter<F> {
    fn default() -> Self {
        Filter {
            clauses: Vec::new(),
        }
    }
}

impl<F: Field> Filter<F> {
    /// An empty filter, which matches everything.
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds the clause `field op value`. A value that cannot be sent is
    /// reported by [`Filter::validate`], which every list call runs first.
    pub fn and(mut self, field: F, op: Op, value: impl fmt::Display) -> Self {
        self.clauses.push(Clause {
            field,
            op,
            value: value.to_string(),
        });
        self
    }

    /// The clauses, in order.
    pub fn clauses(&self) -> &[Clause<F>] {
        &self.clauses
    }

    /// Whether the filter has no clause.
    pub fn is_empty(&self) -> bool {
        self.clauses.is_empty()
    }

    /// Checks each value against its field, so that the API never receives
    /// an expression it would reject or read differently. The position is
    /// that of the value in the printed expression.
    pub fn validate(&self) -> Result<(), InvalidSearch> {
        let mut position = 0;
        for (i, clause) in self.clauses.iter().enumerate() {
            if i > 0 {
                position += AND.len();
            }
            position += clause.field.name().len() + clause.op.as_str().len() + 2;
            check_value(clause.field, &clause.value)
                .map_err(|reason| InvalidSearch { position, reason })?;
            position += clause.value.chars().count();
        }
        Ok(())
    }

    /// Parses the text form, such as
    /// `controlChannelStatus EQ ZPN_STATUS_DISCONNECTED AND lastBrokerDisconnectTimeDuration GT 15d`.
    /// A value runs to the next ` AND ` or the end, so it may contain spaces.
    pub fn parse(text: &str) -> Result<Self, InvalidSearch> {
        let at = |byte: usize, reason: String| InvalidSearch {
            position: text[..byte].chars().count(),
            reason,
        };
        let mut filter = Filter::new();
        let mut start = 0;
        while start <= text.len() {
            let end = text[start..].find(AND).map_or(text.len(), |i| start + i);
            let clause = &text[start..end];
            let (field_text, rest) = split_word(clause);
            let field = F::from_name(field_text).ok_or_else(|| {
                let reason = if field_text.is_empty() {
                    "expected a field name".to_owned()
                } else {
                    format!("unknown field {field_text:?}")
                };
                at(start, reason)
            })?;
            let op_start = end - rest.len();
            let (op_text, value) = split_word(rest);
            let op = Op::from_name(op_text).ok_or_else(|| {
                let reason = if op_text.is_empty() {
                    format!("expected an operator after {field_text:?}")
                } else {
                    format!("unknown operator {op_text:?}")
                };
                at(op_start, reason)
            })?;
            let value_start = end - value.len();
            check_value(field, value).map_err(|reason| at(value_start, reason))?;
            filter = filter.and(field, op, value);
            start = end + AND.len();
        }
        Ok(filter)
    }
}

impl<F: Field> fmt::Display for Filter<F> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, clause) in self.clauses.iter().enumerate() {
            if i > 0 {
                f.write_str(AND)?;
            }
            write!(
                f,
                "{} {} {}",
                clause.field.name(),
                clause.op.as_str(),
                clause.value
            )?;
        }
        Ok(())
    }
}

impl<F: Field> std::str::FromStr for Filter<F> {
    type Err = InvalidSearch;
    fn from_str(text: &str) -> Result<Self, Self::Err> {
        Filter::parse(text)
    }
}

/// Splits at the first space: (`word`, rest after the space).
fn split_word(text: &str) -> (&str, &str) {
    match text.split_once(' ') {
        Some((word, rest)) => (word, rest),
        None => (text, ""),
    }
}

fn check_value<F: Field>(field: F, value: &str) -> Result<(), String> {
    if value.is_empty() {
        return Err(format!("expected a value for {}", field.name()));
    }
    if value.trim() != value {
        return Err("a value cannot start or end with a space".to_owned());
    }
    // Padded, so that a value starting or ending with the word AND is caught too.
    if format!(" {value} ").contains(AND) {
        return Err("a value cannot contain the word AND between spaces".to_owned());
    }
    if value.chars().any(char::is_control) {
        return Err("a value cannot contain control characters".to_owned());
    }
    match field.kind() {
        FieldKind::Text => Ok(()),
        FieldKind::Number => value
            .parse::<i64>()
            .map(drop)
            .map_err(|_| format!("{value:?} is not an integer")),
        FieldKind::Bool => match value {
            "true" | "false" => Ok(()),
            _ => Err(format!("{value:?} is not true or false")),
        },
        FieldKind::Duration => match value.parse::<ZpaDuration>() {
            Ok(duration) if duration > LONGEST_DURATION => Err(format!(
                "{value} is longer than {LONGEST_DURATION} (100 years), the most a search compares"
            )),
            Ok(_) => Ok(()),
            Err(error) => Err(error.to_string()),
        },
    }
}

#[cfg(test)]
mod tests {
    // The same tests run under wasm-bindgen-test in Node for wasm32.
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    use super::*;

    #[test]
    fn parses_the_seed_example() {
        let text = "controlChannelStatus EQ ZPN_STATUS_DISCONNECTED AND lastBrokerDisconnectTimeDuration GT 15d";
        let filter = Filter::<ConnectorField>::parse(text).unwrap();
        assert_eq!(
            filter.clauses(),
            &[
                Clause {
                    field: ConnectorField::ControlChannelStatus,
                    op: Op::Eq,
                    value: "ZPN_STATUS_DISCONNECTED".into()
                },
                Clause {
                    field: ConnectorField::LastBrokerDisconnectTimeDuration,
                    op: Op::Gt,
                    value: "15d".into()
                },
            ]
        );
        assert_eq!(filter.to_string(), text);
    }

    #[test]
    fn values_keep_spaces_and_special_characters() {
        let text = "name EQ *Do not Delete* Lanukcorp & AWS / x+y \"q\" Ünï AND enabled EQ true";
        let filter = Filter::<ConnectorField>::parse(text).unwrap();
        assert_eq!(
            filter.clauses()[0].value,
            "*Do not Delete* Lanukcorp & AWS / x+y \"q\" Ünï"
        );
        assert_eq!(filter.to_string(), text);
    }

    #[test]
    fn errors_name_the_position() {
        let cases = [
            ("nmae EQ x", 0, "unknown field \"nmae\""),
            ("name EQUALS x", 5, "unknown operator \"EQUALS\""),
            (
                "name EQ x AND enabled EQ maybe",
                25,
                "\"maybe\" is not true or false",
            ),
            (
                "lastBrokerConnectTimeDuration LT 15 days",
                33,
                "invalid duration \"15 days\" at character 2: expected a unit: d, h, m or s",
            ),
            ("name", 4, "expected an operator after \"name\""),
            ("name EQ", 7, "expected a value for name"),
            ("name EQ ", 8, "expected a value for name"),
            ("Ünï EQ x", 0, "unknown field \"Ünï\""),
            (
                "name EQ é AND",
                8,
                "a value cannot contain the word AND between spaces",
            ),
            ("", 0, "expected a field name"),
        ];
        for (text, position, reason) in cases {
            let error = Filter::<ConnectorField>::parse(text).unwrap_err();
            assert_eq!(
                (error.position, error.reason.as_str()),
                (position, reason),
                "{text}"
            );
        }
    }

    #[test]
    fn built_values_are_validated() {
        let filter = Filter::new()
            .and(ApprovalField::Status, Op::Eq, "ACTIVE")
            .and(ApprovalField::StartTime, Op::Gt, "soon");
        assert_eq!(
            filter.validate().unwrap_err().to_string(),
            "invalid search at character 34: \"soon\" is not an integer"
        );
        let filter = Filter::new().and(ApprovalField::EmailIds, Op::Eq, "a AND b");
        assert!(filter.validate().is_err());
        assert!(
            Filter::new()
                .and(ApprovalField::Status, Op::Eq, "ACTIVE")
                .validate()
                .is_ok()
        );
    }
}
