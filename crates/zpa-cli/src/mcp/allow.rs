//! `--allow-writes`: which write tools the server offers. None by default;
//! patterns name tools, `*` standing for any run of characters
//! (`zpa_update_*`, `*_privileged_approval`, `*`).

use crate::failure::InputError;

/// The write tools the operator allowed.
#[derive(Clone, Debug, Default)]
pub struct Allowed(Vec<String>);

impl Allowed {
    /// Checks `patterns` against the write tools: each must name one, so
    /// that a typo is an error at start-up rather than a tool silently off.
    pub fn new(patterns: Vec<String>, write_tools: &[&str]) -> Result<Allowed, InputError> {
        for pattern in &patterns {
            if !write_tools.iter().any(|tool| matches(pattern, tool)) {
                return Err(InputError(format!(
                    "invalid --allow-writes: {pattern:?} names no write tool; they are {}",
                    write_tools.join(", ")
                )));
            }
        }
        Ok(Allowed(patterns))
    }

    /// Whether the write tool `name` is offered.
    pub fn allows(&self, name: &str) -> bool {
        self.0.iter().any(|pattern| matches(pattern, name))
    }
}

/// Whether `name` is what `pattern` describes.
fn matches(pattern: &str, name: &str) -> bool {
    let mut parts = pattern.split('*');
    let first = parts.next().unwrap_or_default();
    let Some(mut rest) = name.strip_prefix(first) else {
        return false;
    };
    let parts: Vec<&str> = parts.collect();
    let Some((last, middle)) = parts.split_last() else {
        return rest.is_empty();
    };
    for part in middle {
        match rest.find(part) {
            Some(at) => rest = &rest[at + part.len()..],
            None => return false,
        }
    }
    rest.len() >= last.len() && rest.ends_with(last)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn patterns_match_whole_names() {
        assert!(matches(
            "zpa_update_app_connector",
            "zpa_update_app_connector"
        ));
        assert!(!matches("zpa_update_app", "zpa_update_app_connector"));
        assert!(matches("zpa_update_*", "zpa_update_app_connector"));
        assert!(matches(
            "*_privileged_approval",
            "zpa_delete_privileged_approval"
        ));
        assert!(!matches(
            "*_privileged_approval",
            "zpa_delete_expired_privileged_approvals"
        ));
        assert!(matches("zpa_*_app_*", "zpa_delete_app_connector"));
        assert!(matches("*", "anything"));
        assert!(!matches("a*a", "a"));
    }

    #[test]
    fn a_pattern_that_names_nothing_is_refused() {
        let tools = ["zpa_update_app_connector", "zpa_delete_app_connector"];
        assert!(
            Allowed::new(vec!["zpa_update_*".into()], &tools)
                .unwrap()
                .allows(tools[0])
        );
        let error = Allowed::new(vec!["zpa_updte_*".into()], &tools).unwrap_err();
        assert!(error.0.contains("\"zpa_updte_*\" names no write tool"));
    }
}
