//! Reading a body's text, JSON or a Rails-style form, into a request type: errors name the
//! field at fault, and a NUL character in a text is refused before anything is written.

use axum::http::StatusCode;
use serde::de::DeserializeOwned;

use super::invalid_param;
use crate::http::ApiError;

/// How deep form keys may nest (`a[b][c][d]`…).
const FORM_DEPTH: usize = 8;

/// A 422 for a NUL character in a text (`\u0000`): no database keeps one in text (PostgreSQL
/// refuses it in `text` and `jsonb`), so it is refused here, naming the field, before anything
/// is written (Chatwoot answers 500).
fn nul_in_json(text: &[u8]) -> Result<(), ApiError> {
    if !text.windows(6).any(|w| w == b"\\u0000") {
        return Ok(());
    }
    let Ok(value) = serde_json::from_slice::<serde_json::Value>(text) else {
        return Ok(()); // the syntax error is reported by the real parse
    };
    match nul_path(&value, String::new()) {
        Some(path) => Err(invalid_field(
            &path,
            "must not contain a NUL character (\\u0000)",
        )),
        None => Ok(()),
    }
}

/// Where in `value` a key or string holds a NUL character (`a.b[2]`, `.` for the root).
fn nul_path(value: &serde_json::Value, at: String) -> Option<String> {
    let here = || {
        if at.is_empty() {
            ".".to_owned()
        } else {
            at.clone()
        }
    };
    match value {
        serde_json::Value::String(s) if s.contains('\0') => Some(here()),
        serde_json::Value::Array(items) => items
            .iter()
            .enumerate()
            .find_map(|(i, v)| nul_path(v, format!("{at}[{i}]"))),
        serde_json::Value::Object(map) => map.iter().find_map(|(k, v)| {
            let path = if at.is_empty() {
                k.clone()
            } else {
                format!("{at}.{k}")
            };
            if k.contains('\0') {
                Some(path)
            } else {
                nul_path(v, path)
            }
        }),
        _ => None,
    }
}

/// Parses JSON into `T`, with errors that name the field (`content[0].url`).
pub fn parse_json<T: DeserializeOwned>(text: &[u8]) -> Result<T, ApiError> {
    nul_in_json(text)?;
    let mut deserializer = serde_json::Deserializer::from_slice(text);
    serde_path_to_error::deserialize(&mut deserializer).map_err(|error| {
        let path = error.path().to_string();
        let inner = error.into_inner();
        if inner.is_syntax() || inner.is_eof() {
            ApiError::new(
                StatusCode::BAD_REQUEST,
                "bad_request",
                format!("The body is not valid JSON: {inner}"),
            )
        } else {
            invalid_field(&path, &strip_position(&inner.to_string()))
        }
    })
}

/// Parses a form (`a[b]=1&c[]=x`) into `T`, casting text where `T` wants numbers or booleans,
/// with errors that name the field.
pub fn parse_form<T: DeserializeOwned>(text: &str) -> Result<T, ApiError> {
    nul_in_pairs(url::form_urlencoded::parse(text.as_bytes()), "body")?;
    let config = serde_qs::Config::new()
        .max_depth(FORM_DEPTH)
        .use_form_encoding(true);
    let deserializer =
        serde_qs::Deserializer::with_config(config, text.as_bytes()).map_err(|e| {
            ApiError::new(
                StatusCode::BAD_REQUEST,
                "bad_request",
                format!("The form is malformed: {e}"),
            )
        })?;
    serde_path_to_error::deserialize(deserializer).map_err(|error| {
        let path = error.path().to_string();
        invalid_field(&path, &error.into_inner().to_string())
    })
}

/// A 422 naming `path` (`.` is the body itself).
fn invalid_field(path: &str, message: &str) -> ApiError {
    invalid_param(if path == "." { "body" } else { path }, message)
}

/// A 422 naming the first key of `pairs` (a form's or a query string's) that holds a NUL
/// character, or whose value does (`whole` names it when the key is nothing but NULs): no
/// database keeps a NUL in text, and PostgreSQL refuses it outright.
pub(super) fn nul_in_pairs<K: AsRef<str>, V: AsRef<str>>(
    pairs: impl IntoIterator<Item = (K, V)>,
    whole: &str,
) -> Result<(), ApiError> {
    let Some((key, _)) = pairs
        .into_iter()
        .find(|(k, v)| k.as_ref().contains('\0') || v.as_ref().contains('\0'))
    else {
        return Ok(());
    };
    let key = key.as_ref().replace('\0', "");
    let name = if key.is_empty() { whole } else { &key };
    Err(invalid_param(
        name,
        "must not contain a NUL character (%00)",
    ))
}

fn strip_position(message: &str) -> String {
    match message.rfind(" at line ") {
        Some(i) => message[..i].to_owned(),
        None => message.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::http::api::extract::json_object_or_text;
    use oxidesk_domain::Attributes;
    use serde::Deserialize;

    #[derive(Deserialize, Debug)]
    struct Message {
        content: String,
        #[serde(default)]
        private: bool,
        inbox_id: Option<i64>,
        #[serde(default)]
        labels: Vec<String>,
        #[serde(default)]
        custom_attributes: Attributes,
        #[serde(default, deserialize_with = "json_object_or_text")]
        content_attributes: Attributes,
    }

    #[test]
    fn forms_nest_and_cast() {
        let m: Message = parse_form(
            "content=Hi+there&private=true&inbox_id=3&labels[]=a&labels%5B%5D=b\
             &custom_attributes[plan]=pro&custom_attributes%5Bseats%5D=4",
        )
        .expect("form");
        assert_eq!(m.content, "Hi there");
        assert!(m.private);
        assert_eq!(m.inbox_id, Some(3));
        assert_eq!(m.labels, vec!["a", "b"]);
        assert_eq!(m.custom_attributes["plan"], "pro");
        assert_eq!(
            m.custom_attributes["seats"], "4",
            "untyped values stay text"
        );
    }

    #[test]
    fn nul_characters_are_refused_naming_the_field() {
        let refused =
            parse_json::<serde_json::Value>(br#"{"name": "a\u0000b"}"#).expect_err("refused");
        assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(refused.message.starts_with("name "), "{}", refused.message);
        let nested = parse_json::<serde_json::Value>(br#"{"a": {"b": ["x", "\u0000"]}}"#)
            .expect_err("refused");
        assert!(nested.message.starts_with("a.b[1] "), "{}", nested.message);
        // An escaped backslash followed by "u0000" is no NUL.
        let fine = parse_json::<serde_json::Value>(br#"{"name": "a\\u0000"}"#).expect("accepted");
        assert_eq!(fine["name"], "a\\u0000");
        let form = parse_form::<serde_json::Value>("name=a%00b").expect_err("refused");
        assert!(form.message.starts_with("name "), "{}", form.message);
    }

    #[test]
    fn form_errors_name_the_field() {
        let err = parse_form::<Message>("content=x&inbox_id=three").expect_err("error");
        assert_eq!(err.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(err.errors.0[0].field, "inbox_id");
        let err = parse_form::<Message>("private=true").expect_err("error");
        assert!(err.message.contains("content"), "{}", err.message);
    }

    #[test]
    fn content_attributes_may_be_json_text() {
        let m: Message =
            parse_form("content=x&content_attributes=%7B%22items%22%3A%5B1%5D%7D").expect("form");
        assert_eq!(m.content_attributes["items"][0], 1);
        let m: Message =
            parse_json(br#"{"content": "x", "content_attributes": {"a": 1}}"#).expect("json");
        assert_eq!(m.content_attributes["a"], 1);
        let err = parse_json::<Message>(br#"{"content": "x", "content_attributes": [1]}"#)
            .expect_err("error");
        assert_eq!(err.errors.0[0].field, "content_attributes");
    }
}
