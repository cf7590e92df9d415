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

    /// 1-based page and page size (default 20). Out-of-range values are
    /// refused with a 400, as the documented bounds (page from 1, size 1 to
    /// 500) say they are invalid.
    /// A number given more than once, or given empty, is refused too: the
    /// schema makes each an integer.
    pub(crate) fn paging(&self) -> Result<(usize, usize), ApiError> {
        let number = |key: &str| -> Result<Option<i64>, ApiError> {
            let given = self
                .0
                .iter()
                .filter(|(k, _)| k.eq_ignore_ascii_case(key))
                .count();
            match self.get(key).map(str::trim) {
                None => Ok(None),
                Some(v) if given == 1 => v.parse().map(Some).map_err(|_| {
                    ApiError::bad_request(format!("{key} must be an integer.")).with_param(key)
                }),
                Some(_) => {
                    Err(ApiError::bad_request(format!("{key} must be given once.")).with_param(key))
                }
            }
        };
        let page = number("page")?.unwrap_or(1);
        if !(1..=i64::from(i32::MAX)).contains(&page) {
            return Err(
                ApiError::bad_request("page must be between 1 and 2147483647.").with_param("page"),
            );
        }
        let size = number("pagesize")?.unwrap_or(DEFAULT_PAGE_SIZE as i64);
        if !(1..=MAX_PAGE_SIZE as i64).contains(&size) {
            return Err(ApiError::bad_request(format!(
                "pagesize must be between 1 and {MAX_PAGE_SIZE}."
            ))
            .with_param("pagesize"));
        }
        Ok((page as usize, size as usize))
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
            None => Ok(None),
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
    fn paging_bounds() {
        assert_eq!(Params::parse(None).paging().unwrap(), (1, 20));
        assert_eq!(
            Params::parse(Some("page=3&pagesize=500")).paging().unwrap(),
            (3, 500)
        );
        for bad in [
            "page=0",
            "page=2147483648",
            "pagesize=501",
            "page=",
            "page=1&page=2",
            "pagesize=0",
            "page=two",
        ] {
            assert!(Params::parse(Some(bad)).paging().is_err(), "{bad}");
        }
    }

    #[test]
    fn an_empty_microtenant_is_refused() {
        assert_eq!(Params::parse(None).microtenant().unwrap(), None);
        assert_eq!(
            Params::parse(Some("microtenantId=7"))
                .microtenant()
                .unwrap(),
            Some(7)
        );
        assert!(Params::parse(Some("microtenantId=")).microtenant().is_err());
        assert!(
            Params::parse(Some("microtenantId=null"))
                .microtenant()
                .is_err()
        );
    }
}
