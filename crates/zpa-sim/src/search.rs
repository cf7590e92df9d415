//! The `search` parameter: `field OP value`, clauses joined with ` AND `.

use std::cmp::Ordering;

use crate::duration;
use crate::errors::ApiError;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Kind {
    Str,
    Int,
    Dec,
    Bool,
    Duration,
    List,
}

pub(crate) enum Val<'a> {
    Str(&'a str),
    Int(i128),
    Dec(f64),
    Bool(bool),
    Duration(i64),
    List(&'a [String]),
}

/// What a search can look at on one kind of object.
pub(crate) trait Searchable {
    fn kind(field: &str) -> Option<Kind>;
    /// `None` when the object does not carry the field; such objects match
    /// no clause on it, the way SQL treats NULL.
    fn value(&self, field: &str, now: i64) -> Option<Val<'_>>;
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Op {
    Eq,
    Ne,
    Gt,
    Lt,
    GtEq,
    LtEq,
    Contains,
    StartsWith,
    EndsWith,
}

impl Op {
    fn parse(token: &str) -> Option<Op> {
        Some(match token {
            "EQ" => Op::Eq,
            "NE" => Op::Ne,
            "GT" => Op::Gt,
            "LT" => Op::Lt,
            "GTEQ" => Op::GtEq,
            "LTEQ" => Op::LtEq,
            "CONTAINS" => Op::Contains,
            "STARTSWITH" => Op::StartsWith,
            "ENDSWITH" => Op::EndsWith,
            _ => return None,
        })
    }

    fn is_text(self) -> bool {
        matches!(self, Op::Contains | Op::StartsWith | Op::EndsWith)
    }

    fn accepts(self, ordering: Ordering) -> bool {
        match self {
            Op::Eq => ordering.is_eq(),
            Op::Ne => ordering.is_ne(),
            Op::Gt => ordering.is_gt(),
            Op::Lt => ordering.is_lt(),
            Op::GtEq => ordering.is_ge(),
            Op::LtEq => ordering.is_le(),
            Op::Contains | Op::StartsWith | Op::EndsWith => false,
        }
    }
}

#[derive(Debug)]
enum Operand {
    Text(String),
    Int(i128),
    Dec(f64),
    Bool(bool),
    Duration(i64),
}

#[derive(Debug)]
struct Clause {
    field: String,
    op: Op,
    operand: Operand,
}

#[derive(Debug)]
pub(crate) struct Filter {
    clauses: Vec<Clause>,
}

impl Filter {
    pub(crate) fn parse<T: Searchable>(expression: &str) -> Result<Filter, ApiError> {
        let invalid = |why: String| {
            ApiError::invalid_search(format!("Invalid search expression: {why}"))
                .with_param(expression)
        };
        let mut clauses = Vec::new();
        let plus_form = plus_separated::<T>(expression.trim());
        let mut rest = plus_form.as_deref().unwrap_or(expression).trim();
        if rest.is_empty() {
            return Ok(Filter { clauses });
        }
        while !rest.is_empty() {
            let (field, after_field) = split_token(rest);
            let (op_token, after_op) = split_token(after_field);
            let kind = T::kind(field).ok_or_else(|| invalid(format!("unknown field {field:?}")))?;
            let op = Op::parse(op_token)
                .ok_or_else(|| invalid(format!("unknown operator {op_token:?} after {field:?}")))?;
            let (value, next) = split_value(after_op);
            if value.is_empty() {
                return Err(invalid(format!("missing value for {field:?}")));
            }
            let operand = operand(kind, op, value).ok_or_else(|| {
                invalid(format!(
                    "{value:?} is not a valid value for {field} {op_token}"
                ))
            })?;
            clauses.push(Clause {
                field: field.to_owned(),
                op,
                operand,
            });
            rest = next;
        }
        Ok(Filter { clauses })
    }

    pub(crate) fn is_empty(&self) -> bool {
        self.clauses.is_empty()
    }

    pub(crate) fn matches<T: Searchable>(&self, item: &T, now: i64) -> bool {
        self.clauses.iter().all(|clause| {
            item.value(&clause.field, now)
                .is_some_and(|value| clause_matches(clause, &value))
        })
    }
}

/// The official Python SDK's form of a clause, `name+EQ+value`: it writes
/// the plus signs itself and `requests` sends them as `%2B`, so the server
/// reads them literally. The live API answers it with the exact matches, in
/// every interaction recorded (zscaler-sdk-python
/// tests/integration/zpa/cassettes: TestApplicationSegment.yaml
/// `GET /application?search=name%2BEQ%2Btests-appsegment-vcr0006...`, one
/// item; TestEnrolmentCertificate.yaml `name%2BEQ%2BService+Edge`, the
/// value's space sent as `+`). The value is all after the second plus, its
/// own plus signs included. Only an expression whose first word is not a
/// field is read this way.
fn plus_separated<T: Searchable>(expression: &str) -> Option<String> {
    let (first, _) = split_token(expression);
    if T::kind(first).is_some() {
        return None;
    }
    let (field, rest) = expression.split_once('+')?;
    let (op, value) = rest.split_once('+')?;
    (T::kind(field).is_some() && Op::parse(op).is_some()).then(|| format!("{field} {op} {value}"))
}

fn split_token(text: &str) -> (&str, &str) {
    match text.find(' ') {
        Some(i) => (&text[..i], text[i + 1..].trim_start()),
        None => (text, ""),
    }
}

/// A value runs to the next ` AND ` that starts a well-formed clause, so
/// values may themselves contain spaces and even the word AND.
fn split_value(text: &str) -> (&str, &str) {
    let mut from = 0;
    while let Some(i) = text[from..].find(" AND ") {
        let at = from + i;
        let candidate = text[at + 5..].trim_start();
        let (field, after) = split_token(candidate);
        let (op, _) = split_token(after);
        if !field.is_empty() && Op::parse(op).is_some() {
            return (text[..at].trim_end(), candidate);
        }
        from = at + 1;
    }
    (text.trim_end(), "")
}

fn operand(kind: Kind, op: Op, value: &str) -> Option<Operand> {
    if op.is_text() || matches!(kind, Kind::Str | Kind::List) {
        return match kind {
            Kind::Bool | Kind::Duration if op.is_text() => None,
            _ => Some(Operand::Text(value.to_lowercase())),
        };
    }
    match kind {
        Kind::Int => value.parse().ok().map(Operand::Int),
        Kind::Dec => value
            .parse()
            .ok()
            .filter(|v: &f64| v.is_finite())
            .map(Operand::Dec),
        Kind::Bool if matches!(op, Op::Eq | Op::Ne) => match value.to_ascii_lowercase().as_str() {
            "true" => Some(Operand::Bool(true)),
            "false" => Some(Operand::Bool(false)),
            _ => None,
        },
        Kind::Duration => duration::parse(value).map(Operand::Duration),
        _ => None,
    }
}

fn clause_matches(clause: &Clause, value: &Val<'_>) -> bool {
    let op = clause.op;
    match (value, &clause.operand) {
        (Val::Str(s), Operand::Text(t)) => text_matches(op, s, t),
        (Val::List(items), Operand::Text(t)) => items.iter().any(|s| text_matches(op, s, t)),
        (Val::Int(v), Operand::Text(t)) => text_matches(op, &v.to_string(), t),
        (Val::Dec(v), Operand::Text(t)) => text_matches(op, &v.to_string(), t),
        (Val::Int(v), Operand::Int(w)) => op.accepts(v.cmp(w)),
        (Val::Dec(v), Operand::Dec(w)) => v.partial_cmp(w).is_some_and(|o| op.accepts(o)),
        (Val::Bool(v), Operand::Bool(w)) => op.accepts(v.cmp(w)),
        (Val::Duration(v), Operand::Duration(w)) => op.accepts(v.cmp(w)),
        _ => false,
    }
}

fn text_matches(op: Op, value: &str, operand: &str) -> bool {
    let value = value.to_lowercase();
    match op {
        Op::Contains => value.contains(operand),
        Op::StartsWith => value.starts_with(operand),
        Op::EndsWith => value.ends_with(operand),
        _ => op.accepts(natural_cmp(&value, operand)),
    }
}

/// Orders digit runs by number so that versions compare sensibly
/// (`22.9.1` < `22.73.4`).
pub(crate) fn natural_cmp(a: &str, b: &str) -> Ordering {
    let (mut a, mut b) = (a, b);
    loop {
        match (a.chars().next(), b.chars().next()) {
            (None, None) => return Ordering::Equal,
            (None, Some(_)) => return Ordering::Less,
            (Some(_), None) => return Ordering::Greater,
            (Some(x), Some(y)) if x.is_ascii_digit() && y.is_ascii_digit() => {
                let (da, ra) = split_digits(a);
                let (db, rb) = split_digits(b);
                let (ta, tb) = (da.trim_start_matches('0'), db.trim_start_matches('0'));
                let ordering = ta.len().cmp(&tb.len()).then_with(|| ta.cmp(tb));
                if ordering.is_ne() {
                    return ordering;
                }
                (a, b) = (ra, rb);
            }
            (Some(x), Some(y)) => {
                if x != y {
                    return x.cmp(&y);
                }
                (a, b) = (&a[x.len_utf8()..], &b[y.len_utf8()..]);
            }
        }
    }
}

fn split_digits(s: &str) -> (&str, &str) {
    let end = s.find(|c: char| !c.is_ascii_digit()).unwrap_or(s.len());
    s.split_at(end)
}

#[cfg(test)]
mod tests {
    use super::*;

    struct Item {
        name: &'static str,
        n: i128,
        up: i64,
    }

    impl Searchable for Item {
        fn kind(field: &str) -> Option<Kind> {
            Some(match field {
                "name" => Kind::Str,
                "n" => Kind::Int,
                "up" => Kind::Duration,
                _ => return None,
            })
        }
        fn value(&self, field: &str, _now: i64) -> Option<Val<'_>> {
            Some(match field {
                "name" => Val::Str(self.name),
                "n" => Val::Int(self.n),
                _ => Val::Duration(self.up),
            })
        }
    }

    fn hits(expr: &str) -> Vec<&'static str> {
        let items = [
            Item {
                name: "Sales AND Marketing",
                n: 5,
                up: 3600,
            },
            Item {
                name: "R&D / Lab+1",
                n: 217246660303024871,
                up: 20 * 86400,
            },
        ];
        let filter = Filter::parse::<Item>(expr).unwrap();
        items
            .iter()
            .filter(|i| filter.matches(*i, 0))
            .map(|i| i.name)
            .collect()
    }

    #[test]
    fn values_may_contain_spaces_and_and() {
        assert_eq!(hits("name EQ Sales AND Marketing"), ["Sales AND Marketing"]);
        assert_eq!(hits("name EQ r&d / lab+1 AND n GT 6"), ["R&D / Lab+1"]);
        assert_eq!(hits("n EQ 217246660303024871"), ["R&D / Lab+1"]);
        assert_eq!(hits("up GT 15d"), ["R&D / Lab+1"]);
        assert_eq!(hits("up LTEQ 1h"), ["Sales AND Marketing"]);
        assert_eq!(hits("name CONTAINS and"), ["Sales AND Marketing"]);
    }

    #[test]
    fn the_python_sdks_plus_form_reads_as_the_live_api_reads_it() {
        assert_eq!(hits("name+EQ+R&D / Lab+1"), ["R&D / Lab+1"]);
        assert_eq!(hits("name+EQ+Sales AND Marketing"), ["Sales AND Marketing"]);
        assert_eq!(hits("n+GT+6"), ["R&D / Lab+1"]);
        assert!(hits("name+EQ+Sales").is_empty(), "exact, not a prefix");
        // Written the documented way, a plus sign is the value's own.
        assert!(hits("name EQ R&D / Lab 1").is_empty());
        assert!(Filter::parse::<Item>("nope+EQ+1").is_err());
    }

    #[test]
    fn malformed_expressions_are_refused() {
        for expr in [
            "nope EQ 1",
            "name EQUALS x",
            "name EQ",
            "n GT x",
            "up GT 15",
            "name",
        ] {
            let err = Filter::parse::<Item>(expr).unwrap_err();
            assert_eq!(err.id, "filtering.input.invalid.operand", "{expr}");
        }
    }

    #[test]
    fn natural_order() {
        assert_eq!(natural_cmp("22.9.1", "22.73.4"), Ordering::Less);
        assert_eq!(natural_cmp("b", "a10"), Ordering::Greater);
    }
}
