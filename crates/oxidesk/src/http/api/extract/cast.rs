//! Field readers for what Rails casts and serde would refuse: an object sent as its JSON text,
//! a time as Unix seconds or an ISO-8601 string; and a field sent as `null` told from one left
//! out.

use oxidesk_domain::Attributes;
use serde::{Deserialize, Deserializer};
use serde_json::Value;

use crate::service::parse_time;

/// Reads an object field that may also come as JSON text (a multipart client's
/// `content_attributes={"items":[...]}`), as Chatwoot parses it; `null`, `""` or absent is `{}`.
pub fn json_object_or_text<'de, D: Deserializer<'de>>(d: D) -> Result<Attributes, D::Error> {
    match Option::<Value>::deserialize(d)? {
        None | Some(Value::Null) => Ok(Attributes::new()),
        Some(Value::Object(map)) => Ok(map),
        Some(Value::String(text)) if text.trim().is_empty() => Ok(Attributes::new()),
        Some(Value::String(text)) => match serde_json::from_str::<Value>(&text) {
            Ok(Value::Object(map)) => Ok(map),
            _ => Err(serde::de::Error::custom(
                "must be an object (or its JSON text)",
            )),
        },
        Some(_) => Err(serde::de::Error::custom("must be an object")),
    }
}

/// Reads a time as Unix seconds (`1757506877`, also as text) or an ISO-8601 string
/// (`2030-07-21T17:32:28Z`, with an offset, or without one meaning UTC; a bare date is its
/// midnight UTC), as Rails casts it; `null` or `""` is none.
pub fn unix_time<'de, D: Deserializer<'de>>(d: D) -> Result<Option<i64>, D::Error> {
    match Option::<Value>::deserialize(d)? {
        None | Some(Value::Null) => Ok(None),
        Some(Value::Number(n)) => n
            .as_i64()
            .or_else(|| n.as_f64().map(|f| f as i64))
            .map(Some)
            .ok_or_else(|| serde::de::Error::custom("must be Unix seconds")),
        Some(Value::String(text)) if text.trim().is_empty() => Ok(None),
        Some(Value::String(text)) => parse_time(text.trim()).map(Some).ok_or_else(|| {
            serde::de::Error::custom(format!(
                "must be Unix seconds or an ISO-8601 time such as 2030-07-21T17:32:28Z (got '{text}')"
            ))
        }),
        Some(_) => Err(serde::de::Error::custom(
            "must be Unix seconds or an ISO-8601 time",
        )),
    }
}

/// Tells a present `null` from an absent field (with `#[serde(default)]`): `None` when left
/// out, `Some(None)` for `null`, `Some(Some(v))` for a value.
pub fn present<'de, D: Deserializer<'de>, T: Deserialize<'de>>(
    d: D,
) -> Result<Option<Option<T>>, D::Error> {
    Option::<T>::deserialize(d).map(Some)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn times_in_every_spelling() {
        assert_eq!(parse_time("1757506877"), Some(1_757_506_877));
        assert_eq!(parse_time("2030-07-21T17:32:28Z"), Some(1_910_885_548));
        assert_eq!(parse_time("2030-07-21T19:32:28+02:00"), Some(1_910_885_548));
        assert_eq!(parse_time("2030-07-21T17:32:28.000Z"), Some(1_910_885_548));
        assert_eq!(parse_time("2030-07-21 17:32:28"), Some(1_910_885_548));
        assert_eq!(parse_time("2030-07-21"), Some(1_910_822_400));
        assert_eq!(parse_time("next tuesday"), None);
    }
}
