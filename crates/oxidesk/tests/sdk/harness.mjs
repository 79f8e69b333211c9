// The test harness of the SDK's Node tests: a fake dashboard (the app frame's parent window),
// Ed25519 keys and tokens made with node:crypto, independently of the SDK, and a minimal JSON
// Schema validator for the subset the protocol's schema uses.
//
// Run with `node --test crates/oxidesk/tests/sdk/` (the Rust test `sdk` runs it under
// `cargo test`).

import { createHash, generateKeyPairSync, randomUUID, sign } from "node:crypto";
import { readFileSync } from "node:fs";

export const DASHBOARD = "https://support.example.com";
export const APP_ORIGIN = "https://orders.example.com";

const schemaUrl = new URL("../../sdk/v1/schemas/protocol.schema.json", import.meta.url);
export const SCHEMA = JSON.parse(readFileSync(schemaUrl, "utf8"));

// ---------------------------------------------------------------------------------------------
// Windows and messages.

/** A window that records listeners; `deliver` dispatches a MessageEvent-like object to them. */
class FakeWindow {
  constructor(origin) {
    this.origin = origin;
    this.listeners = new Set();
    this.location = { origin };
  }
  addEventListener(type, fn) {
    if (type === "message") this.listeners.add(fn);
  }
  removeEventListener(type, fn) {
    if (type === "message") this.listeners.delete(fn);
  }
  deliver(data, source, origin) {
    // postMessage clones, and delivers in a later task.
    const copy = structuredClone(data);
    setImmediate(() => {
      for (const fn of [...this.listeners]) fn({ data: copy, source, origin });
    });
  }
}

/**
 * The app's window and its parent, the dashboard. `host.sent` records what the app posted
 * ({message, targetOrigin}); `host.handle` (set by a test) answers requests; `host.respond`,
 * `host.event` and `host.post` post to the app as the dashboard would.
 */
export function frame({ origin = DASHBOARD } = {}) {
  const app = new FakeWindow(APP_ORIGIN);
  const host = new FakeWindow(origin);
  host.sent = [];
  host.handle = null;
  host.waiters = [];
  host.postMessage = (message, targetOrigin) => {
    if (targetOrigin !== "*" && targetOrigin !== host.origin) return; // the browser drops it
    const copy = structuredClone(message);
    host.sent.push({ message: copy, targetOrigin });
    setImmediate(() => {
      for (const w of host.waiters.splice(0)) w();
      host.handle?.(copy, targetOrigin);
    });
  };
  host.post = (data, { source = host, from = host.origin } = {}) => app.deliver(data, source, from);
  host.respond = (id, result, options) => host.post({ oxidesk: 1, type: "response", id, ok: true, result }, options);
  host.fail = (id, error, options) => host.post({ oxidesk: 1, type: "response", id, ok: false, error }, options);
  host.event = (event, data, options) => host.post({ oxidesk: 1, type: "event", event, data }, options);
  host.requests = () => host.sent.map((s) => s.message).filter((m) => typeof m === "object" && m.type === "request");
  /** Resolves when the app has posted `count` messages in all. */
  host.untilSent = async (count) => {
    while (host.sent.length < count) await new Promise((resolve) => host.waiters.push(resolve));
  };
  app.parent = host;
  return { app, host };
}

/** Lets every pending postMessage delivery and promise run. */
export async function settle(rounds = 5) {
  for (let i = 0; i < rounds; i += 1) await new Promise((resolve) => setImmediate(resolve));
}

/**
 * Waits until `done()` holds (work that takes real time, such as WebCrypto verification, ends
 * after a number of rounds that depends on the machine's load); fails after `ms`.
 */
export async function until(done, ms = 5000) {
  const deadline = Date.now() + ms;
  while (!done()) {
    if (Date.now() > deadline) throw new Error(`not reached within ${ms} ms`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

// ---------------------------------------------------------------------------------------------
// Context and tokens.

export function contextData(overrides = {}) {
  return {
    conversation: {
      id: 7,
      account_id: 1,
      inbox_id: 1,
      status: "open",
      labels: ["billing"],
      custom_attributes: { order_id: "A-1042" },
      meta: { sender: { id: 3, name: "Alice" }, channel: "Channel::Api" },
      messages: [{ id: 1, content: "Where is my order? ünïcødé 🎁", message_type: 0, private: false, created_at: 1764000000 }],
    },
    contact: { id: 3, name: "Alice", email: "alice@example.com", additional_attributes: {}, custom_attributes: { plan: "pro", "é": 1, Z: 2 } },
    currentAgent: { id: 1, name: "Ada Admin", email: "admin@acme.example" },
    customAttributes: [],
    theme: "light",
    ...overrides,
  };
}

/** RFC 8785 canonical JSON, written here again so the SDK is not checked against itself. */
function jcs(value) {
  if (Array.isArray(value)) return `[${value.map(jcs).join(",")}]`;
  if (value !== null && typeof value === "object") {
    const keys = Object.keys(value).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${keys.map((k) => `${JSON.stringify(k)}:${jcs(value[k])}`).join(",")}}`;
  }
  return JSON.stringify(value);
}

const b64url = (buffer) => Buffer.from(buffer).toString("base64url");

/** An Ed25519 signing key with its JWK (public half) and kid. */
export function signingKey(kid = randomUUID()) {
  const { publicKey, privateKey } = generateKeyPairSync("ed25519");
  const jwk = { ...publicKey.export({ format: "jwk" }), kid, alg: "EdDSA", use: "sig" };
  return { kid, jwk, privateKey };
}

/** A compact JWS over `data`, as Oxidesk makes it; `claims` and `header` override. */
export function token(key, data, { claims = {}, header = {}, now = Math.floor(Date.now() / 1000) } = {}) {
  const head = { alg: "EdDSA", kid: key.kid, typ: "JWT", ...header };
  const body = {
    iss: DASHBOARD,
    aud: [APP_ORIGIN],
    app_id: 3,
    account_id: 1,
    agent_id: 1,
    conversation_id: 7,
    contact_id: 3,
    iat: now,
    exp: now + 300,
    jti: randomUUID(),
    data_sha256: b64url(createHash("sha256").update(jcs(data)).digest()),
    ...claims,
  };
  const input = `${b64url(JSON.stringify(head))}.${b64url(JSON.stringify(body))}`;
  return `${input}.${b64url(sign(null, Buffer.from(input), key.privateKey))}`;
}

/** A fetch that serves the JWK set of `keys` at `{issuer}/.well-known/jwks.json`. */
export function jwksFetch(keys, issuer = DASHBOARD) {
  const calls = [];
  const fetch = async (url) => {
    calls.push(url);
    if (url !== `${issuer}/.well-known/jwks.json`) throw new Error(`unexpected fetch ${url}`);
    return { json: async () => ({ keys: keys.map((k) => k.jwk) }) };
  };
  fetch.calls = calls;
  return fetch;
}

// ---------------------------------------------------------------------------------------------
// A minimal JSON Schema (2020-12) validator: the keywords the protocol's schema uses, and an
// error for any other, so the schema cannot silently grow past what is checked.

const KNOWN = new Set([
  "$schema", "$id", "$ref", "$defs", "title", "description", "type", "const", "enum", "properties",
  "required", "additionalProperties", "items", "minItems", "maxItems", "minLength", "maxLength",
  "pattern", "minimum", "minProperties", "oneOf",
]);

function typeOf(value) {
  if (value === null) return "null";
  if (Array.isArray(value)) return "array";
  if (typeof value === "number") return Number.isInteger(value) ? "integer" : "number";
  return typeof value;
}

function equal(a, b) {
  return JSON.stringify(a) === JSON.stringify(b);
}

/** The errors of `value` against `schema` (a $def name, or the root): [] when it is valid. */
export function validate(value, name, root = SCHEMA) {
  const schema = name ? root.$defs[name] : root;
  if (!schema) throw new Error(`no schema ${name}`);
  const errors = [];
  check(value, schema, "", root, errors);
  return errors;
}

function check(value, schema, path, root, errors) {
  for (const key of Object.keys(schema)) {
    if (!KNOWN.has(key)) throw new Error(`the test validator does not know the keyword ${key}`);
  }
  const fail = (what) => errors.push(`${path || "/"}: ${what}`);
  if (schema.$ref) {
    const name = schema.$ref.replace(/^#\/\$defs\//, "");
    if (!root.$defs[name]) throw new Error(`unresolved ${schema.$ref}`);
    check(value, root.$defs[name], path, root, errors);
  }
  const type = typeOf(value);
  if (schema.type) {
    const types = [].concat(schema.type);
    if (!types.includes(type) && !(type === "integer" && types.includes("number"))) return fail(`${type}, not ${types}`);
  }
  if ("const" in schema && !equal(value, schema.const)) fail(`not ${JSON.stringify(schema.const)}`);
  if (schema.enum && !schema.enum.some((v) => equal(v, value))) fail(`${JSON.stringify(value)} not in ${schema.enum}`);
  if (type === "string") {
    const length = [...value].length;
    if (schema.minLength !== undefined && length < schema.minLength) fail("too short");
    if (schema.maxLength !== undefined && length > schema.maxLength) fail("too long");
    if (schema.pattern && !new RegExp(schema.pattern, "u").test(value)) fail(`does not match ${schema.pattern}`);
  }
  if ((type === "integer" || type === "number") && schema.minimum !== undefined && value < schema.minimum) fail("too small");
  if (type === "array") {
    if (schema.minItems !== undefined && value.length < schema.minItems) fail("too few items");
    if (schema.maxItems !== undefined && value.length > schema.maxItems) fail("too many items");
    if (schema.items) value.forEach((item, i) => check(item, schema.items, `${path}/${i}`, root, errors));
  }
  if (type === "object") {
    const props = schema.properties ?? {};
    for (const key of schema.required ?? []) if (!(key in value)) fail(`missing ${key}`);
    if (schema.minProperties !== undefined && Object.keys(value).length < schema.minProperties) fail("too few properties");
    for (const [key, item] of Object.entries(value)) {
      if (props[key]) check(item, props[key], `${path}/${key}`, root, errors);
      else if (schema.additionalProperties === false) fail(`unexpected ${key}`);
      else if (typeof schema.additionalProperties === "object") check(item, schema.additionalProperties, `${path}/${key}`, root, errors);
    }
  }
  if (schema.oneOf) {
    const passing = schema.oneOf.filter((s) => {
      const sub = [];
      check(value, s, path, root, sub);
      return sub.length === 0;
    }).length;
    if (passing !== 1) fail(`matches ${passing} of oneOf, not exactly 1`);
  }
}
