//! Finding one object by its exact name: connectors and application
//! segments. The server is asked for `name EQ <name>` and only exact,
//! case-sensitive matches are kept, so none, one and several are told apart.

use futures::TryStreamExt;
use zpa_client::types::{ApplicationSegment, Connector};
use zpa_client::wire::Id;

use crate::error::{Candidate, Error, Result};
use crate::input::Input;
use crate::paginate::{Kind, List};
use crate::search::{Filter, Op};

/// The longest name a lookup takes, in characters: with every character
/// percent-encoded (up to 9 bytes each), the request line stays within the
/// 8 KB that servers commonly allow.
pub(crate) const MAX_NAME_CHARS: usize = 512;

/// An object a lookup by name can find and tell apart from others of the
/// same name.
pub(crate) trait Named {
    fn name(&self) -> &str;
    fn candidate(&self) -> Candidate;
}

impl Named for Connector {
    fn name(&self) -> &str {
        &self.name
    }

    fn candidate(&self) -> Candidate {
        Candidate::new(
            self.id.as_str(),
            self.microtenant_id.as_ref().map(Id::as_str),
            self.microtenant_name.as_deref(),
        )
    }
}

impl Named for ApplicationSegment {
    fn name(&self) -> &str {
        self.name.as_deref().unwrap_or_default()
    }

    fn candidate(&self) -> Candidate {
        Candidate::new(
            self.id.as_str(),
            self.microtenant_id.as_ref().map(Id::as_str),
            self.microtenant_name.as_deref(),
        )
    }
}

/// Refuses what no object is named, before any request: nothing but
/// spaces, control characters, or more than [`MAX_NAME_CHARS`].
pub(crate) fn check_name(input: impl Into<Input>, name: &str) -> Result<()> {
    let input = input.into();
    if name.trim().is_empty() {
        return Err(Error::invalid(input, "a name cannot be empty"));
    }
    if name.chars().any(char::is_control) {
        return Err(Error::invalid(
            input,
            format!("{name:?} holds a control character"),
        ));
    }
    let length = name.chars().count();
    if length > MAX_NAME_CHARS {
        return Err(Error::invalid(
            input,
            format!(
                "a name of {length} characters is longer than the {MAX_NAME_CHARS} a lookup takes"
            ),
        ));
    }
    Ok(())
}

/// The object `list` holds named exactly `name`, asking the server for
/// `<field> EQ <name>`. A name the search syntax cannot carry (the word
/// `AND` between spaces, spaces at either end) is found by listing every
/// object instead. `what` names the kind of object in errors.
pub(crate) async fn by_name<K: Kind>(
    list: List<K>,
    field: K::Field,
    name: &str,
    what: &str,
) -> Result<K::Item>
where
    K::Item: Named,
{
    check_name(Input::Name, name)?;
    let filter = Filter::new().and(field, Op::Eq, name);
    let listing = match filter.validate() {
        Ok(()) => list.filter(filter),
        Err(_) => list,
    };
    let found: Vec<K::Item> = listing.items().try_collect().await?;
    pick(found, name, what)
}

/// The one object of `found` named exactly `name`. None is
/// [`Error::NotFound`] (naming any that differ only in case, which a server
/// comparing without case returns); several are [`Error::Ambiguous`].
pub(crate) fn pick<T: Named>(found: Vec<T>, name: &str, what: &str) -> Result<T> {
    let (mut exact, others): (Vec<T>, Vec<T>) =
        found.into_iter().partition(|item| item.name() == name);
    match exact.len() {
        1 => Ok(exact.remove(0)),
        0 => {
            let near: Vec<String> = others
                .iter()
                .filter(|item| item.name().to_lowercase() == name.to_lowercase())
                .map(|item| format!("{:?}", item.name()))
                .collect();
            let hint = match near.as_slice() {
                [] => String::new(),
                near => format!(" (names match case; there is {})", near.join(" and ")),
            };
            Err(Error::NotFound {
                what: format!("{what} named {name:?}{hint}"),
            })
        }
        _ => Err(Error::Ambiguous {
            what: format!("{what} named {name:?}"),
            candidates: exact.iter().map(Named::candidate).collect(),
        }),
    }
}
