//! Chatwoot's custom filters: `{payload: [{attribute_key, filter_operator, values,
//! query_operator}]}` read into the store's typed conditions. Standard attributes map to
//! columns, labels or keys of `additional_attributes`; any other key must be a custom attribute
//! definition of the model, whose display type says which operators apply. An unknown key,
//! operator or value is a 422 naming `payload[i].attribute_key`, `.filter_operator` or
//! `.values`.

use oxidesk_domain::{
    AccountId, AttributeDisplayType, AttributeModel, ConversationStatus, Timestamp,
    ValidationErrors, parse_priority,
};
use oxidesk_store::{FilterArg, FilterCondition, FilterField, FilterOp};
use serde::Deserialize;
use serde_json::Value;

use super::{ServiceError, Services};

/// One condition as Chatwoot's clients send it.
#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
pub struct FilterItem {
    /// A standard attribute (`status`, `assignee_id`, `labels`, `email`, …) or a custom
    /// attribute's key.
    pub attribute_key: String,
    /// `equal_to`, `not_equal_to`, `contains`, `does_not_contain`, `is_present`,
    /// `is_not_present`, `is_greater_than`, `is_less_than`, `days_before`.
    pub filter_operator: String,
    /// The values (a single value is taken as a list of one).
    #[serde(default)]
    #[schema(value_type = Vec<Object>)]
    pub values: Value,
    /// `and` (default) or `or`: how this condition joins the next.
    #[serde(default)]
    pub query_operator: Option<String>,
}

/// The kind of an attribute, which says its operators and how its values read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    /// Ids: equal or not, present or not.
    Id,
    /// Ids compared as text too (`display_id`).
    Number,
    /// Text: equal, contains, present.
    Text,
    /// A fixed set of names (`status`, `priority`).
    Choice,
    /// Unix times: greater, less, days before.
    Time,
    /// Labels.
    Labels,
    /// `true`/`false`.
    Bool,
    /// A custom attribute's number.
    CustomNumber,
    /// A custom attribute's date (ISO text).
    CustomDate,
}

impl Kind {
    fn operators(self) -> &'static [&'static str] {
        match self {
            Kind::Id | Kind::Labels => {
                &["equal_to", "not_equal_to", "is_present", "is_not_present"]
            }
            Kind::Number => &["equal_to", "not_equal_to", "contains", "does_not_contain"],
            Kind::Text => &[
                "equal_to",
                "not_equal_to",
                "contains",
                "does_not_contain",
                "is_present",
                "is_not_present",
            ],
            Kind::Choice => &["equal_to", "not_equal_to", "is_present", "is_not_present"],
            Kind::Time => &["is_greater_than", "is_less_than", "days_before"],
            Kind::Bool => &["equal_to", "not_equal_to"],
            Kind::CustomNumber => &[
                "equal_to",
                "not_equal_to",
                "is_greater_than",
                "is_less_than",
                "is_present",
                "is_not_present",
            ],
            Kind::CustomDate => &[
                "equal_to",
                "not_equal_to",
                "is_greater_than",
                "is_less_than",
                "days_before",
                "is_present",
                "is_not_present",
            ],
        }
    }
}

/// The standard attributes of conversations.
const CONVERSATION_ATTRIBUTES: [(&str, Kind); 12] = [
    ("status", Kind::Choice),
    ("priority", Kind::Choice),
    ("assignee_id", Kind::Id),
    ("inbox_id", Kind::Id),
    ("team_id", Kind::Id),
    ("contact_id", Kind::Id),
    ("display_id", Kind::Number),
    ("labels", Kind::Labels),
    ("created_at", Kind::Time),
    ("last_activity_at", Kind::Time),
    ("browser_language", Kind::Text),
    ("referer", Kind::Text),
];

/// The standard attributes of contacts.
const CONTACT_ATTRIBUTES: [(&str, Kind); 11] = [
    ("name", Kind::Text),
    ("email", Kind::Text),
    ("phone_number", Kind::Text),
    ("identifier", Kind::Text),
    ("country_code", Kind::Text),
    ("city", Kind::Text),
    ("company", Kind::Text),
    ("blocked", Kind::Bool),
    ("labels", Kind::Labels),
    ("created_at", Kind::Time),
    ("last_activity_at", Kind::Time),
];

/// Where a standard attribute lives.
fn standard_field(model: AttributeModel, key: &str) -> FilterField {
    let json = |key: &str| FilterField::Json {
        column: "additional_attributes",
        key: key.to_owned(),
    };
    match (model, key) {
        (_, "labels") => FilterField::Labels,
        (_, "created_at") => FilterField::Int("created_at"),
        (_, "last_activity_at") => FilterField::Int("last_activity_at"),
        (AttributeModel::Conversation, "status") => FilterField::Text("status"),
        (AttributeModel::Conversation, "priority") => FilterField::Text("priority"),
        (AttributeModel::Conversation, "browser_language" | "referer") => json(key),
        (AttributeModel::Contact, "name" | "email" | "phone_number" | "identifier") => {
            FilterField::Text(match key {
                "name" => "name",
                "email" => "email",
                "phone_number" => "phone_number",
                _ => "identifier",
            })
        }
        (AttributeModel::Contact, "company") => json("company_name"),
        (AttributeModel::Contact, "country_code" | "city") => json(key),
        (AttributeModel::Contact, _) => FilterField::Bool("blocked"),
        (AttributeModel::Conversation, other) => FilterField::Int(match other {
            "assignee_id" => "assignee_id",
            "inbox_id" => "inbox_id",
            "team_id" => "team_id",
            "contact_id" => "contact_id",
            _ => "display_id",
        }),
    }
}

impl Services {
    /// Reads a filter payload of `model` (conversations or contacts) into conditions.
    pub async fn filter_conditions(
        &self,
        account: AccountId,
        model: AttributeModel,
        items: &[FilterItem],
    ) -> Result<Vec<FilterCondition>, ServiceError> {
        let mut errors = ValidationErrors::new();
        if items.is_empty() {
            errors.push("payload", "needs at least one condition");
            return Err(errors.into());
        }
        let definitions = self.attribute_definitions(account, Some(model)).await?;
        let standard: &[(&str, Kind)] = match model {
            AttributeModel::Conversation => &CONVERSATION_ATTRIBUTES,
            AttributeModel::Contact => &CONTACT_ATTRIBUTES,
        };
        let now = Timestamp::now();
        let mut conditions = Vec::with_capacity(items.len());
        for (i, item) in items.iter().enumerate() {
            let at = |part: &str| format!("payload[{i}].{part}");
            let key = item.attribute_key.trim();
            let (field, kind) = if let Some((_, kind)) = standard.iter().find(|(k, _)| *k == key) {
                (standard_field(model, key), *kind)
            } else if let Some(d) = definitions.iter().find(|d| d.attribute_key == key) {
                let kind = match d.attribute_display_type {
                    AttributeDisplayType::Number
                    | AttributeDisplayType::Currency
                    | AttributeDisplayType::Percent => Kind::CustomNumber,
                    AttributeDisplayType::Date => Kind::CustomDate,
                    AttributeDisplayType::Checkbox => Kind::Bool,
                    _ => Kind::Text,
                };
                let field = FilterField::Json {
                    column: "custom_attributes",
                    key: d.attribute_key.clone(),
                };
                (field, kind)
            } else {
                let names: Vec<&str> = standard.iter().map(|(k, _)| *k).collect();
                errors.push(
                    at("attribute_key"),
                    format!(
                        "is not a standard attribute ({}) or a custom attribute of this account (got '{key}')",
                        names.join(", ")
                    ),
                );
                continue;
            };
            let operator = item.filter_operator.trim();
            if !kind.operators().contains(&operator) {
                errors.push(
                    at("filter_operator"),
                    format!(
                        "must be one of {} for {key} (got '{operator}')",
                        kind.operators().join(", ")
                    ),
                );
                continue;
            }
            let or_next = match item.query_operator.as_deref().map(str::to_ascii_lowercase) {
                None => false,
                Some(op) if op.is_empty() || op == "and" => false,
                Some(op) if op == "or" => true,
                Some(op) => {
                    errors.push(
                        at("query_operator"),
                        format!("must be and or or (got '{op}')"),
                    );
                    continue;
                }
            };
            match condition_op(kind, &field, key, operator, &item.values, now) {
                Ok(op) => conditions.push(FilterCondition { field, op, or_next }),
                Err(message) => errors.push(at("values"), message),
            }
        }
        errors.into_result()?;
        Ok(conditions)
    }
}

/// The values as a list of scalars.
fn value_list(values: &Value) -> Vec<Value> {
    match values {
        Value::Null => Vec::new(),
        Value::Array(items) => items.clone(),
        other => vec![other.clone()],
    }
}

/// A value as text (numbers and booleans as they print).
fn text_of(value: &Value) -> Option<String> {
    match value {
        Value::String(s) => Some(s.trim().to_owned()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        Value::Object(map) => map.get("id").and_then(text_of),
        _ => None,
    }
}

fn condition_op(
    kind: Kind,
    field: &FilterField,
    key: &str,
    operator: &str,
    values: &Value,
    now: Timestamp,
) -> Result<FilterOp, String> {
    match operator {
        "is_present" => return Ok(FilterOp::Present),
        "is_not_present" => return Ok(FilterOp::NotPresent),
        _ => {}
    }
    let texts: Vec<String> = value_list(values).iter().filter_map(text_of).collect();
    let Some(first) = texts.first().cloned() else {
        return Err(format!("needs a value for {operator}"));
    };
    match operator {
        "contains" => return Ok(FilterOp::Contains(first)),
        "does_not_contain" => return Ok(FilterOp::NotContains(first)),
        "days_before" => {
            let days: i64 = first
                .parse()
                .map_err(|_| format!("must be a number of days (got '{first}')"))?;
            let limit = now.plus_secs(-days.saturating_mul(86_400));
            let arg = if kind == Kind::CustomDate {
                FilterArg::Text(limit.to_rfc3339())
            } else {
                FilterArg::Int(limit.secs())
            };
            return Ok(FilterOp::Less(arg));
        }
        _ => {}
    }
    let arg = |text: &str| -> Result<FilterArg, String> {
        match kind {
            Kind::Id | Kind::Number | Kind::Time => {
                if kind == Kind::Time {
                    return parse_time(text).map(FilterArg::Int).ok_or_else(|| {
                        format!("must be a date, an ISO-8601 time or Unix seconds (got '{text}')")
                    });
                }
                text.parse()
                    .map(FilterArg::Int)
                    .map_err(|_| format!("must be ids (got '{text}')"))
            }
            Kind::CustomNumber if operator.starts_with("is_") => text
                .parse()
                .map(FilterArg::Float)
                .map_err(|_| format!("must be a number (got '{text}')")),
            Kind::Bool => match text.to_ascii_lowercase().as_str() {
                "true" | "1" => Ok(bool_arg(field, true)),
                "false" | "0" => Ok(bool_arg(field, false)),
                _ => Err(format!("must be true or false (got '{text}')")),
            },
            Kind::Choice if key == "status" => text
                .parse::<ConversationStatus>()
                .map(|s| FilterArg::Text(s.as_str().to_owned()))
                .map_err(|e| format!("{e}")),
            Kind::Choice => parse_priority(text)
                .map(|p| FilterArg::Text(p.map_or("none", |p| p.as_str()).to_owned()))
                .map_err(|e| format!("{e}")),
            _ => Ok(FilterArg::Text(text.to_owned())),
        }
    };
    let args = texts
        .iter()
        .map(|t| arg(t))
        .collect::<Result<Vec<_>, _>>()?;
    Ok(match operator {
        "equal_to" => FilterOp::Equal(args),
        "not_equal_to" => FilterOp::NotEqual(args),
        "is_greater_than" => FilterOp::Greater(args.into_iter().next().ok_or("needs a value")?),
        _ => FilterOp::Less(args.into_iter().next().ok_or("needs a value")?),
    })
}

/// A boolean for a column, or its text for a JSON key (`true`/`false` on both databases).
fn bool_arg(field: &FilterField, value: bool) -> FilterArg {
    match field {
        FilterField::Bool(_) => FilterArg::Bool(value),
        _ => FilterArg::Text(value.to_string()),
    }
}

/// Unix seconds of `text`: an integer, an instant with an offset, or a civil time or date
/// taken as UTC (how Rails casts a time).
pub(crate) fn parse_time(text: &str) -> Option<i64> {
    if let Ok(secs) = text.parse::<i64>() {
        return Some(secs);
    }
    if let Ok(instant) = text.parse::<jiff::Timestamp>() {
        return Some(instant.as_second());
    }
    if let Ok(civil) = text.parse::<jiff::civil::DateTime>() {
        return civil
            .to_zoned(jiff::tz::TimeZone::UTC)
            .ok()
            .map(|z| z.timestamp().as_second());
    }
    None
}
