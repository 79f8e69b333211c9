//! The Dashboard App SDK (`crates/oxidesk/sdk/v1/`): its Node tests (`tests/sdk/*.test.mjs`,
//! Node's built-in test runner, no packages) run here so that `cargo test --workspace` runs
//! them, and its JSON Schema is checked with the `jsonschema` crate against the same examples
//! the Node tests' small validator checks (`tests/sdk/messages.json`), so the two agree.
//!
//! Every script Oxidesk serves (the dashboard's and the widget's ES modules, the SDKs, the
//! example apps) is also parsed by Node as a module, so a syntax error (a bad merge, a typo)
//! fails here rather than leaving a page without its script.
//!
//! Without Node the test prints `WARNING: SKIPPED`; under `CI=true` it fails instead.

use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::Value;

fn manifest_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// `node`, or `OXIDESK_NODE`; `None` (after a loud warning) when there is none outside CI.
fn node() -> Option<PathBuf> {
    let node = std::env::var_os("OXIDESK_NODE")
        .filter(|v| !v.is_empty())
        .map_or_else(|| PathBuf::from("node"), PathBuf::from);
    match Command::new(&node).arg("--version").output() {
        Ok(out) if out.status.success() => Some(node),
        _ => {
            let ci = std::env::var("CI").is_ok_and(|v| v == "true" || v == "1");
            assert!(
                !ci,
                "no Node.js ({}) but CI=true: install it (apt-get install nodejs, version 18 or later) or set OXIDESK_NODE",
                node.display()
            );
            eprintln!(
                "\nWARNING: SKIPPED the SDK's Node tests: no Node.js ({}); apt-get install nodejs, or set OXIDESK_NODE\n",
                node.display()
            );
            None
        }
    }
}

#[test]
fn the_sdk_passes_its_node_tests() {
    let Some(node) = node() else { return };
    let dir = manifest_dir();
    let output = Command::new(&node)
        .current_dir(&dir)
        .args(["--test", "--test-reporter=spec"])
        .arg(Path::new("tests").join("sdk"))
        .output()
        .expect("run node --test");
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        output.status.success(),
        "node --test tests/sdk failed ({}):\n{stdout}\n{stderr}",
        output.status
    );
    // Something ran: a runner that found no test files also succeeds.
    assert!(
        stdout.contains("pass") && !stdout.contains("tests 0"),
        "no Node tests ran:\n{stdout}\n{stderr}"
    );
    println!("{stdout}");
}

#[test]
fn the_protocol_schema_accepts_and_refuses_its_examples() {
    let dir = manifest_dir();
    let read = |path: &str| -> Value {
        let text = std::fs::read_to_string(dir.join(path)).expect(path);
        serde_json::from_str(&text).expect(path)
    };
    let schema = read("sdk/v1/schemas/protocol.schema.json");
    let examples = read("tests/sdk/messages.json");
    jsonschema::meta::validate(&schema).expect("a valid draft 2020-12 schema");
    let mut checked = 0;
    for (kind, should_pass) in [("valid", true), ("invalid", false)] {
        for (name, messages) in examples[kind].as_object().expect("an object of lists") {
            // The root, or one of the $defs, as a schema of its own sharing the $defs.
            let mut part = schema.clone();
            if !name.is_empty() {
                part = serde_json::json!({
                    "$schema": schema["$schema"],
                    "$ref": format!("#/$defs/{name}"),
                    "$defs": schema["$defs"],
                });
                assert!(schema["$defs"].get(name).is_some(), "no $defs/{name}");
            }
            let validator = jsonschema::validator_for(&part).expect("compiles");
            for message in messages.as_array().expect("a list") {
                let errors: Vec<String> = validator
                    .iter_errors(message)
                    .map(|e| format!("{e} at {}", e.instance_path()))
                    .collect();
                assert_eq!(
                    errors.is_empty(),
                    should_pass,
                    "{kind} example of {name:?}: {message}\n{errors:#?}"
                );
                checked += 1;
            }
        }
    }
    assert!(checked > 30, "{checked}");
}

/// The `.js` files under `dir`, recursively.
fn scripts(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display())) {
        let path = entry.expect("directory entry").path();
        if path.is_dir() {
            scripts(&path, out);
        } else if path.extension().is_some_and(|e| e == "js") {
            out.push(path);
        }
    }
}

#[test]
fn every_served_script_parses() {
    let Some(node) = node() else { return };
    let dir = manifest_dir();
    let mut files = Vec::new();
    for folder in ["static", "widget", "sdk", "example-apps"] {
        scripts(&dir.join(folder), &mut files);
    }
    assert!(files.len() > 20, "too few scripts found: {files:?}");
    let mut broken = Vec::new();
    for file in &files {
        let source = std::fs::File::open(file).expect("open script");
        let output = Command::new(&node)
            .args(["--input-type=module", "--check"])
            .stdin(source)
            .output()
            .expect("run node --check");
        if !output.status.success() {
            broken.push(format!(
                "{}:\n{}",
                file.display(),
                String::from_utf8_lossy(&output.stderr)
            ));
        }
    }
    assert!(
        broken.is_empty(),
        "scripts that do not parse:\n{}",
        broken.join("\n")
    );
}
