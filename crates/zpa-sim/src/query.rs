//! Query strings and form bodies, decoded from the raw text so that both
//! `%20` and `+` read as a space while `%2B` stays a literal plus.

use percent_encoding::percent_decode_str;

use crate::errors::ApiError;
use crate::model::DEFAULT_MICROTENANT;
use crate::store::Scope;

#[derive(Debug, Default)]
pub(crate) struct Params(Vec<(String, String)>);

pub(crate) const DEFAULT_PAGE_SIZE: usize = 20;
pub(crate) const MAX_PAGE_SIZE: usize = 500;

impl Params {
    pub(crate) fn parse(raw: Option<&str>) -> Self {
        let pairs = raw
            .unwrap_or("")
            .split('&')
            .filter(|pair| !pair.is_empty())
            .map(|pair| {
                let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
                (decode(key), decode(value))
            })
            .collect();
        Params(pairs)
    }

    /// Keys match case-insensitively: the docs write both `pagesize` and
    /// `pageSize`, `sortdir` and `sortDir`.
    pub(crate) fn get(&self, key: &str) -> Option<&str> {
        self.0
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(key))
            .map(|(_, v)| v.as_str())
    }

    /// 1-based page and page size. Out-of-range values are clamped rather
    /// than refused: page < 1 reads page 1, a size over 500 reads 500 and a
    /// size < 1 reads the default 20.
    pub(crate) fn paging(&self) -> Result<(usize, usize), ApiError> {
        let number = |key: &str| -> Result<Option<i64>, ApiError> {
            match self.get(key).map(str::trim).filter(|v| !v.is_empty()) {
                None => Ok(None),
                Some(v) => v.parse().map(Some).map_err(|_| {
                    ApiError::bad_request(format!("{key} must be an integer.")).with_param(key)
                }),
            }
        };
        let page = number("page")?.unwrap_or(1).max(1) as usize;
        let size = match number("pagesize")? {
            Some(n) if n >= 1 => (n as usize).min(MAX_PAGE_SIZE),
            _ => DEFAULT_PAGE_SIZE,
        };
        Ok((page, size))
    }

    /// `microtenantId` absent: all microtenants for reads, Default for writes.
    pub(crate) fn scope(&self, write: bool) -> Result<Scope, ApiError> {
        Ok(match self.microtenant()? {
            Some(id) => Scope::Only(id),
            None if write => Scope::Only(DEFAULT_MICROTENANT),
            None => Scope::All,
        })
    }

    pub(crate) fn microtenant(&self) -> Result<Option<u64>, ApiError> {
        match self.get("microtenantId").map(str::trim) {
            None | Some("") | Some("null") => Ok(None),
            Some(v) => v.parse().map(Some).map_err(|_| {
                ApiError::bad_request("microtenantId must be a numeric id.")
                    .with_param("microtenantId")
            }),
        }
    }
}

fn decode(text: &str) -> String {
    let spaced = text.replace('+', " ");
    percent_decode_str(&spaced).decode_utf8_lossy().into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plus_and_percent_20_are_spaces() {
        let p = Params::parse(Some("search=name+EQ%20a%2Bb&pageSize=7&x"));
        assert_eq!(p.get("search"), Some("name EQ a+b"));
        assert_eq!(p.get("pagesize"), Some("7"));
        assert_eq!(p.get("x"), Some(""));
    }

    #[test]
    fn paging_is_clamped() {
        assert_eq!(Params::parse(None).paging().unwrap(), (1, 20));
        assert_eq!(
            Params::parse(Some("page=0&pagesize=900")).paging().unwrap(),
            (1, 500)
        );
        assert_eq!(
            Params::parse(Some("page=3&pagesize=0")).paging().unwrap(),
            (3, 20)
        );
        assert!(Params::parse(Some("page=two")).paging().is_err());
    }
}
