//! The `appContext` JSON Schema check, shared by the HTTP tests and the browser tests (each
//! includes this file with `#[path]`).

use serde_json::Value;

/// The schema every `appContext` message must satisfy, written from the seeds.
const SCHEMA: &str = include_str!("app_context.schema.json");

/// Checks `message` (a whole `{event, data}` object) against the schema; panics listing every
/// error found.
pub fn assert_app_context(message: &Value) {
    let schema: Value = serde_json::from_str(SCHEMA).expect("the schema is JSON");
    let validator = jsonschema::validator_for(&schema).expect("a valid schema");
    let errors: Vec<String> = validator
        .iter_errors(message)
        .map(|e| format!("{} at {}", e, e.instance_path()))
        .collect();
    assert!(
        errors.is_empty(),
        "appContext does not match the seeds' schema: {errors:#?}"
    );
}
