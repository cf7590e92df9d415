//! What tools answer: text for an agent, as few tokens as the job allows
//! and nothing altered. A listing is complete (every page, its total said)
//! unless it would pass `maxBytes`, where it ends with a cursor and says so;
//! by default one tab-separated line per object with the columns that matter
//! for the job (the CLI's table columns), or on request each object's JSON
//! exactly as the API sent it, optionally only some of its fields.

use std::collections::{BTreeSet, HashMap};
use std::fmt::Write as _;
use std::hash::{DefaultHasher, Hash, Hasher};

use futures::TryStreamExt;
use rmcp::model::{CallToolResponse, CallToolResult, ContentBlock, InputRequiredResult};
use schemars::JsonSchema;
use serde::Deserialize;
use serde_json::value::RawValue;
use zpa::model::Lossless;
use zpa::{Kind, List, MAX_PAGE_SIZE};

use super::errors::ToolError;
use crate::json_text::one_line;
use crate::output::Row;

/// A tool's answer: text.
#[derive(Debug)]
pub struct Answer(pub String);

impl Answer {
    /// One object, as the API sent it, on one line.
    pub fn object<T>(object: &Lossless<T>) -> Answer {
        Answer(one_line(object.json()).into_owned())
    }
}

/// What a tool call ends with: an answer, or (on the stateless revision)
/// the input it needs first, after which the client calls again.
pub enum Reply {
    Answer(Answer),
    InputRequired(InputRequiredResult),
}

impl From<Answer> for Reply {
    fn from(answer: Answer) -> Self {
        Reply::Answer(answer)
    }
}

impl From<Reply> for CallToolResponse {
    fn from(reply: Reply) -> Self {
        match reply {
            Reply::Answer(Answer(text)) => {
                CallToolResult::success(vec![ContentBlock::text(text)]).into()
            }
            Reply::InputRequired(needed) => CallToolResponse::InputRequired(needed),
        }
    }
}

/// The default cap on an answer: about 25,000 tokens.
const DEFAULT_MAX_BYTES: usize = 100_000;
const MAX_BYTES: std::ops::RangeInclusive<usize> = 1_000..=4_000_000;

/// How a listing is shown.
#[derive(Debug, Default, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct Shown {
    /// Fields to show, by the API's names (id, name, ...); by default the
    /// columns the job needs.
    #[serde(default)]
    fields: Vec<String>,
    /// lines (default): a header, then a tab-separated line per object.
    /// json: a line per object, its JSON as the API sent it.
    #[serde(default)]
    format: Format,
    /// Stop before this many bytes (default 100000) and end with a cursor.
    max_bytes: Option<usize>,
    /// The cursor a capped answer ended with, to go on (same other
    /// arguments).
    cursor: Option<String>,
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
enum Format {
    #[default]
    Lines,
    Json,
}

/// Where a capped answer stopped: the objects shown so far, and which
/// listing (a cursor used with other arguments is refused).
struct Cursor {
    offset: u64,
    listing: u64,
}

impl Cursor {
    fn read(text: &str, listing: u64) -> Result<Cursor, ToolError> {
        let unknown =
            || ToolError::argument("cursor", format!("{text:?} is no cursor this server gave"));
        let (offset, of) = text.split_once('.').ok_or_else(unknown)?;
        let offset = offset.parse().map_err(|_| unknown())?;
        let of = u64::from_str_radix(of, 16).map_err(|_| unknown())?;
        if of != listing {
            return Err(ToolError::argument(
                "cursor",
                "it belongs to a listing with other arguments: give the same ones as the call that returned it",
            ));
        }
        Ok(Cursor { offset, listing })
    }

    fn text(&self) -> String {
        format!("{}.{:x}", self.offset, self.listing)
    }
}

/// A fingerprint of what is listed (its kind, search, scope), for cursors.
pub fn fingerprint(parts: &[&str]) -> u64 {
    let mut hasher = DefaultHasher::new();
    parts.hash(&mut hasher);
    hasher.finish()
}

/// Every item of `list` as `shown` asks, up to its size cap; `what` names
/// the items (`connectors`), `listing` is the listing's [`fingerprint`].
pub async fn listing<K, T>(
    list: List<K>,
    shown: &Shown,
    what: &str,
    listing: u64,
) -> Result<Answer, ToolError>
where
    K: Kind<Item = Lossless<T>>,
    T: Row,
{
    let max_bytes = shown.max_bytes.unwrap_or(DEFAULT_MAX_BYTES);
    if !MAX_BYTES.contains(&max_bytes) {
        return Err(ToolError::argument(
            "maxBytes",
            format!("must be from {} to {}", MAX_BYTES.start(), MAX_BYTES.end()),
        ));
    }
    let start = match &shown.cursor {
        Some(text) => Cursor::read(text, listing)?.offset,
        None => 0,
    };
    let page_size = u64::from(MAX_PAGE_SIZE);
    let first_page = u32::try_from(start / page_size + 1)
        .map_err(|_| ToolError::argument("cursor", "is past any listing"))?;
    let mut skip = start % page_size;
    let mut pages = list
        .page_size(MAX_PAGE_SIZE)
        .starting_at(first_page)
        .pages();

    let mut body = Body::new::<T>(shown);
    let mut total = None;
    let mut capped = false;
    'pages: while let Some(page) = pages
        .try_next()
        .await
        .map_err(|error| ToolError::api(format!("listing {what}"), error))?
    {
        total = total.or(page.total_count);
        for item in &page.items {
            if skip > 0 {
                skip -= 1;
                continue;
            }
            if !body.add(item, max_bytes)? {
                capped = true;
                break 'pages;
            }
        }
    }
    let count = body.count();
    let total = total.unwrap_or(start + count);
    let mut answer = format!("{total} {what}");
    if start > 0 || capped {
        let first = if count == 0 { start } else { start + 1 };
        let _ = write!(answer, "; {first} to {} below", start + count);
    }
    answer.push('\n');
    body.write(&mut answer);
    if capped {
        let cursor = Cursor {
            offset: start + count,
            listing,
        };
        let _ = writeln!(
            answer,
            "(stopped at maxBytes={max_bytes}: call again with cursor \"{}\" for the rest)",
            cursor.text()
        );
    }
    Ok(Answer(answer))
}

/// A listing's answer as it grows.
enum Body<'a> {
    /// A header and one tab-separated line per object.
    Lines {
        titles: Vec<String>,
        /// The columns of `T::cells` shown, when no fields are asked for.
        columns: Vec<usize>,
        fields: &'a [String],
        rows: Vec<Vec<String>>,
        bytes: usize,
        missing: BTreeSet<&'a str>,
    },
    /// One JSON object per line.
    Json {
        fields: &'a [String],
        text: String,
        count: u64,
        missing: BTreeSet<&'a str>,
    },
}

impl<'a> Body<'a> {
    fn new<T: Row>(shown: &'a Shown) -> Body<'a> {
        let missing = shown.fields.iter().map(String::as_str).collect();
        match shown.format {
            Format::Json => Body::Json {
                fields: &shown.fields,
                text: String::new(),
                count: 0,
                missing,
            },
            Format::Lines => {
                let columns: Vec<usize> = (0..T::COLUMNS.len())
                    .filter(|&i| T::brief(T::COLUMNS[i].0))
                    .collect();
                let titles = if shown.fields.is_empty() {
                    columns
                        .iter()
                        .map(|&i| T::COLUMNS[i].0.to_owned())
                        .collect()
                } else {
                    shown.fields.clone()
                };
                Body::Lines {
                    bytes: titles.iter().map(|t| t.len() + 1).sum(),
                    titles,
                    columns,
                    fields: &shown.fields,
                    rows: Vec::new(),
                    missing,
                }
            }
        }
    }

    fn count(&self) -> u64 {
        match self {
            Body::Lines { rows, .. } => rows.len() as u64,
            Body::Json { count, .. } => *count,
        }
    }

    /// Adds `item` unless the answer would pass `max_bytes`.
    fn add<T: Row>(&mut self, item: &Lossless<T>, max_bytes: usize) -> Result<bool, ToolError> {
        match self {
            Body::Lines {
                columns,
                fields,
                rows,
                bytes,
                missing,
                ..
            } => {
                let row: Vec<String> = if fields.is_empty() {
                    let cells = item.cells();
                    columns.iter().map(|&i| cell_text(&cells[i])).collect()
                } else {
                    let values = picked(item, fields, missing)?;
                    values
                        .iter()
                        .map(|value| match value {
                            None => String::new(),
                            Some(value) => match serde_json::from_str::<String>(value.get()) {
                                Ok(text) => cell_text(&text),
                                Err(_) => one_line(value.get()).into_owned(),
                            },
                        })
                        .collect()
                };
                let size: usize = row.iter().map(|cell| cell.len() + 1).sum();
                if *bytes + size > max_bytes {
                    return Ok(false);
                }
                *bytes += size;
                rows.push(row);
            }
            Body::Json {
                fields,
                text,
                count,
                missing,
            } => {
                let mut line = String::new();
                if fields.is_empty() {
                    line.push_str(&one_line(item.json()));
                } else {
                    let values = picked(item, fields, missing)?;
                    line.push('{');
                    let present = fields
                        .iter()
                        .zip(&values)
                        .filter_map(|(f, v)| v.map(|v| (f, v)));
                    for (i, (field, value)) in present.enumerate() {
                        if i > 0 {
                            line.push(',');
                        }
                        line.push_str(&serde_json::to_string(field).unwrap_or_default());
                        line.push(':');
                        line.push_str(&one_line(value.get()));
                    }
                    line.push('}');
                }
                line.push('\n');
                if text.len() + line.len() > max_bytes {
                    return Ok(false);
                }
                text.push_str(&line);
                *count += 1;
            }
        }
        Ok(true)
    }

    /// Writes the body. In lines, a column with one value in every row (of
    /// two or more) is said once, above the header, as `TITLE: value (every
    /// row)`, instead of on each line.
    fn write(self, out: &mut String) {
        let count = self.count();
        let missing = match self {
            Body::Json { text, missing, .. } => {
                out.push_str(&text);
                missing
            }
            Body::Lines {
                titles,
                rows,
                missing,
                ..
            } => {
                let same: Vec<bool> = (0..titles.len())
                    .map(|i| rows.len() > 1 && rows.iter().all(|row| row[i] == rows[0][i]))
                    .collect();
                for (i, title) in titles.iter().enumerate().filter(|(i, _)| same[*i]) {
                    let _ = writeln!(out, "{title}: {} (every row)", rows[0][i]);
                }
                let keep = |cells: &[String]| -> String {
                    cells
                        .iter()
                        .zip(&same)
                        .filter(|(_, same)| !**same)
                        .map(|(cell, _)| cell.as_str())
                        .collect::<Vec<_>>()
                        .join("\t")
                };
                out.push_str(&keep(&titles));
                out.push('\n');
                for row in &rows {
                    out.push_str(&keep(row));
                    out.push('\n');
                }
                missing
            }
        };
        if count > 0 && !missing.is_empty() {
            let missing: Vec<&str> = missing.into_iter().collect();
            let _ = writeln!(out, "(no object has {})", missing.join(", "));
        }
    }
}

/// The values of `fields` in `item`'s JSON, as sent; each field found is
/// struck from `missing`.
fn picked<'j, T>(
    item: &'j Lossless<T>,
    fields: &[String],
    missing: &mut BTreeSet<&str>,
) -> Result<Vec<Option<&'j RawValue>>, ToolError> {
    let object: HashMap<String, &RawValue> =
        serde_json::from_str(item.json()).map_err(|error| {
            ToolError::refused(format!(
                "an object the API sent is not a JSON object: {error}"
            ))
        })?;
    Ok(fields
        .iter()
        .map(|field| {
            let value = object.get(field.as_str()).copied();
            if value.is_some() {
                missing.remove(field.as_str());
            }
            value
        })
        .collect())
}

/// A cell as it is, or as a JSON string when it holds a tab or a line
/// break, which would break the line.
fn cell_text(text: &str) -> String {
    if text.contains(['\t', '\n', '\r']) {
        serde_json::to_string(text).unwrap_or_default()
    } else {
        text.to_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cursors_name_their_listing() {
        let listing = fingerprint(&["connectors", "name EQ a"]);
        let cursor = Cursor {
            offset: 1_500,
            listing,
        };
        assert_eq!(Cursor::read(&cursor.text(), listing).unwrap().offset, 1_500);
        let other = fingerprint(&["connectors", "name EQ b"]);
        assert!(Cursor::read(&cursor.text(), other).is_err());
        assert!(Cursor::read("12", listing).is_err());
    }

    #[test]
    fn cells_keep_their_text_unless_it_breaks_the_line() {
        assert_eq!(
            cell_text("Engineering & R/D <lab>"),
            "Engineering & R/D <lab>"
        );
        assert_eq!(cell_text("a\tb"), "\"a\\tb\"");
    }
}
