//! Chatwoot's OpenAPI document as the fuzzer uses it: where the document is known to describe
//! Chatwoot itself wrongly, it is corrected here, each correction with what Chatwoot really
//! serves, so that Oxidesk is held to Chatwoot's behaviour and not to the document's slips.
//! Anything not listed is checked as the document says.

use serde_json::{Value, json};

#[path = "../shared/chatwoot_swagger.rs"]
mod chatwoot_swagger;

pub use chatwoot_swagger::swagger as chatwoot;

/// The object at `pointer`; panics if the document no longer has it (the correction would be
/// stale).
fn at<'a>(doc: &'a mut Value, pointer: &str) -> &'a mut Value {
    doc.pointer_mut(pointer).unwrap_or_else(|| {
        panic!("Chatwoot's document has no {pointer}: update tests/clients/documents.rs")
    })
}

/// The 200 response schema of `method` on `path`.
fn success<'a>(doc: &'a mut Value, path: &str, method: &str) -> &'a mut Value {
    let path = path.replace('~', "~0").replace('/', "~1");
    at(
        doc,
        &format!("/paths/{path}/{method}/responses/200/content/application~1json/schema"),
    )
}

/// The document with its known mistakes about Chatwoot corrected.
pub fn corrected(mut doc: Value) -> Value {
    // Custom attribute definitions: `attribute_values` is a JSON array in Chatwoot's table (the
    // options of a list attribute), and the regex and default columns are NULL when unset.
    let attribute = at(&mut doc, "/components/schemas/custom_attribute/properties");
    attribute["attribute_values"] = json!({"type": "array", "items": {"type": "string"}});
    for nullable in ["regex_pattern", "regex_cue", "default_value"] {
        attribute[nullable]["type"] = json!(["string", "null"]);
    }

    // Agents: Chatwoot's availability enum is online / busy / offline (the document says
    // "available", which Chatwoot never serves).
    at(
        &mut doc,
        "/components/schemas/agent/properties/availability_status/enum",
    )
    .as_array_mut()
    .expect("an enum")
    .push(json!("online"));

    // Conversations: Chatwoot serves `snoozed`, which the document's status enums omit.
    add_snoozed(&mut doc);

    // Webhooks: Chatwoot's index renders `{payload: {webhooks: [...]}}`, not a bare array.
    *success(&mut doc, "/api/v1/accounts/{account_id}/webhooks", "get") = json!({
        "type": "object",
        "required": ["payload"],
        "properties": {"payload": {
            "type": "object",
            "required": ["webhooks"],
            "properties": {"webhooks": {
                "type": "array",
                "items": {"$ref": "#/components/schemas/webhook"}
            }}
        }}
    });

    // Contact create: Chatwoot renders `{payload: {contact, contact_inbox}}` (the document
    // reuses the search result's `payload: [...]`).
    *success(&mut doc, "/api/v1/accounts/{account_id}/contacts", "post") = json!({
        "type": "object",
        "required": ["payload"],
        "properties": {"payload": {
            "type": "object",
            "required": ["contact"],
            "properties": {"contact": {"type": "object", "required": ["id"]}}
        }}
    });
    doc
}

/// Adds `snoozed` to every conversation status enum (`open`, `resolved`, `pending`) of the
/// document, wherever it is.
fn add_snoozed(value: &mut Value) {
    match value {
        Value::Object(map) => {
            if let Some(Value::Array(values)) = map.get_mut("enum") {
                let is_status = ["open", "resolved", "pending"]
                    .iter()
                    .all(|s| values.contains(&json!(s)));
                if is_status && !values.contains(&json!("snoozed")) {
                    values.push(json!("snoozed"));
                }
            }
            map.values_mut().for_each(add_snoozed);
        }
        Value::Array(items) => items.iter_mut().for_each(add_snoozed),
        _ => {}
    }
}
