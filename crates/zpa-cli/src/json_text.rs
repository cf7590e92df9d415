//! Reformatting JSON text without decoding its values, so that what the
//! server sent is printed as it sent it: every key, every number's digits,
//! every escape. Only the whitespace between tokens changes.

use std::borrow::Cow;
use std::io::{self, Write};

/// `json` on one line: whitespace outside strings removed (a line of NDJSON
/// must not break). Text already on one line is returned as it is.
pub fn one_line(json: &str) -> Cow<'_, str> {
    if !json.contains(['\n', '\r']) {
        return Cow::Borrowed(json);
    }
    let mut out = String::with_capacity(json.len());
    for_each_token(json, |token| match token {
        Token::Text(text) => out.push_str(text),
        Token::Byte(byte) => out.push(char::from(byte)),
    });
    Cow::Owned(out)
}

/// Writes `json` indented by two spaces per level, `key: value` as
/// `serde_json`'s pretty printer does.
pub fn write_pretty(out: &mut impl Write, json: &str) -> io::Result<()> {
    let mut text = String::with_capacity(json.len() * 2);
    let mut depth = 0usize;
    // An opening bracket waits for the next token: `{}` and `[]` stay shut.
    let mut opened = false;
    let newline = |text: &mut String, depth: usize| {
        text.push('\n');
        text.extend(std::iter::repeat_n("  ", depth));
    };
    for_each_token(json, |token| {
        let closing = matches!(token, Token::Byte(b'}' | b']'));
        if opened && !closing {
            newline(&mut text, depth);
        }
        if closing {
            depth = depth.saturating_sub(1);
            if !opened {
                newline(&mut text, depth);
            }
        }
        opened = false;
        match token {
            Token::Text(value) => text.push_str(value),
            Token::Byte(byte @ (b'{' | b'[')) => {
                text.push(char::from(byte));
                depth += 1;
                opened = true;
            }
            Token::Byte(b',') => {
                text.push(',');
                newline(&mut text, depth);
            }
            Token::Byte(b':') => text.push_str(": "),
            Token::Byte(byte) => text.push(char::from(byte)),
        }
    });
    text.push('\n');
    out.write_all(text.as_bytes())
}

enum Token<'a> {
    /// A string with its quotes and escapes, or a literal (number, `true`, `null`).
    Text(&'a str),
    /// One of `{ } [ ] , :`.
    Byte(u8),
}

/// Calls `f` for each token of `json`, skipping the whitespace between them.
/// Text that is not JSON goes through token by token all the same.
fn for_each_token<'a>(json: &'a str, mut f: impl FnMut(Token<'a>)) {
    let bytes = json.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b' ' | b'\t' | b'\n' | b'\r' => i += 1,
            byte @ (b'{' | b'}' | b'[' | b']' | b',' | b':') => {
                f(Token::Byte(byte));
                i += 1;
            }
            b'"' => {
                let start = i;
                i += 1;
                while i < bytes.len() && bytes[i] != b'"' {
                    i += if bytes[i] == b'\\' { 2 } else { 1 };
                }
                i = (i + 1).min(bytes.len());
                f(Token::Text(&json[start..i]));
            }
            _ => {
                let start = i;
                while i < bytes.len()
                    && !matches!(
                        bytes[i],
                        b' ' | b'\t'
                            | b'\n'
                            | b'\r'
                            | b'{'
                            | b'}'
                            | b'['
                            | b']'
                            | b','
                            | b':'
                            | b'"'
                    )
                {
                    i += 1;
                }
                f(Token::Text(&json[start..i]));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SENT: &str = r#"{"id":"1","n":18446744073709551616,"d":2.50,"e":"a \"q\" \u00e9\n","o":{},"a":[],"l":[1,{"x":null}]}"#;

    fn pretty(json: &str) -> String {
        let mut out = Vec::new();
        write_pretty(&mut out, json).unwrap();
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn pretty_matches_serde_json_layout_and_keeps_every_token() {
        let value: serde_json::Value =
            serde_json::from_str(r#"{"a":[1,{"b":null}],"c":{},"d":[]}"#).unwrap();
        assert_eq!(
            pretty(r#"{"a":[1,{"b":null}],"c":{},"d":[]}"#),
            serde_json::to_string_pretty(&value).unwrap() + "\n"
        );
        let printed = pretty(SENT);
        assert!(
            printed.contains("\"n\": 18446744073709551616,"),
            "{printed}"
        );
        assert!(printed.contains("\"d\": 2.50,"), "{printed}");
        assert!(printed.contains(r#""e": "a \"q\" \u00e9\n","#), "{printed}");
        assert_eq!(one_line(&printed).trim_end(), SENT);
    }

    #[test]
    fn one_line_only_touches_whitespace_between_tokens() {
        assert!(matches!(one_line(SENT), Cow::Borrowed(_)));
        let spread = "{\n  \"k\" : \"two  spaces\\n\",\r\n  \"v\": [ 1 , 2 ]\n}";
        assert_eq!(one_line(spread), r#"{"k":"two  spaces\n","v":[1,2]}"#);
    }
}
