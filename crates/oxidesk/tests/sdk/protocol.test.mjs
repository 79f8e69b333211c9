// The SDK against a fake dashboard: handshake, version negotiation, requests and responses,
// errors, timeouts, events, who may speak to the app, the seeds' fallback. Every message the
// SDK posts is checked against the protocol's JSON Schema.

import assert from "node:assert/strict";
import { afterEach, test } from "node:test";

import { AppError, connect } from "../../sdk/v1/dashboard-app.js";
import { DASHBOARD, contextData, frame, settle, validate } from "./harness.mjs";

const CONNECTED = {
  version: 1,
  app: { id: 3, title: "Customer Orders" },
  placement: "conversation_tab",
  scopes: ["note.create", "labels.write"],
  withheld: ["contact_phone"],
  context: { data: contextData(), token: "a.b.c" },
  visible: true,
};

const opened = [];
afterEach(() => {
  for (const app of opened.splice(0)) app.close();
});

/** Connects through a dashboard that answers `connect` with `result` and each other request
 * with `answer(request)` (a result, or {error}). */
async function connected({ result = CONNECTED, answer, ...options } = {}) {
  const { app: win, host } = frame();
  host.handle = (message) => {
    if (message?.type !== "request") return;
    if (message.method === "connect") return host.respond(message.id, result);
    const reply = answer?.(message);
    if (reply === undefined) return;
    if (reply.error) host.fail(message.id, reply.error);
    else host.respond(message.id, reply);
  };
  const app = await connect({ window: win, seeds: false, ...options });
  opened.push(app);
  return { app, host, win };
}

/** Every message the app posted is valid under the schema (requests: per method too). */
function assertValidOutgoing(host) {
  for (const { message } of host.sent) {
    if (typeof message === "string") {
      assert.deepEqual(validate(message, "seeds.fetchInfo"), [], message);
      continue;
    }
    assert.deepEqual(validate(message), [], JSON.stringify(message));
    assert.deepEqual(validate(message, `request.${message.method}`), [], JSON.stringify(message));
  }
}

test("the handshake: connect first, to any origin, then everything to the dashboard's origin", async () => {
  const { app, host } = await connected({ answer: () => ({ message: { id: 9 } }) });
  const [hello] = host.sent;
  assert.equal(hello.targetOrigin, "*");
  assert.deepEqual(hello.message, { oxidesk: 1, type: "request", id: hello.message.id, method: "connect", params: { versions: [1] } });
  assert.equal(app.protocol, "oxidesk");
  assert.equal(app.version, 1);
  assert.equal(app.origin, DASHBOARD);
  assert.deepEqual(app.context, CONNECTED.context.data);
  assert.equal(app.token, "a.b.c");
  assert.deepEqual(app.scopes, ["note.create", "labels.write"]);
  assert.ok(app.hasScope("note.create") && !app.hasScope("status.write"));
  assert.deepEqual(app.withheld, ["contact_phone"]);
  assert.equal(app.placement, "conversation_tab");
  assert.deepEqual(app.app, { id: 3, title: "Customer Orders" });
  assert.equal(app.visible, true);

  const result = await app.notes.create("Order A-1042: refunded");
  assert.deepEqual(result, { message: { id: 9 } });
  const note = host.sent.at(-1);
  assert.equal(note.targetOrigin, DASHBOARD, "after the handshake, never '*'");
  assert.equal(note.message.method, "note.create");
  assert.deepEqual(note.message.params, { content: "Order A-1042: refunded" });
  assert.notEqual(note.message.id, hello.message.id);
  assertValidOutgoing(host);
});

test("every action sends its method and params, valid under the schema", async () => {
  const seen = [];
  const { app, host } = await connected({ answer: (m) => (seen.push([m.method, m.params]), { ok: m.method }) });
  const until = new Date(Date.UTC(2030, 0, 1));
  await app.reply.insert("Hello 👋");
  await app.notes.create("note");
  await app.labels.add(["vip", "billing"]);
  await app.labels.remove(["billing"]);
  await app.status.set("resolved");
  await app.status.set("snoozed", { snoozedUntil: until });
  await app.status.set("snoozed", { snoozedUntil: 1900000000 });
  await app.conversation.setAttributes({ order_id: "A-1042", paid: true });
  await app.contact.setAttributes({ plan: "enterprise", seats: 12, note: null });
  await app.refresh().catch(() => {}); // context.get, answered with a non-context here
  assert.deepEqual(seen, [
    ["reply.insert", { text: "Hello 👋" }],
    ["note.create", { content: "note" }],
    ["labels.add", { labels: ["vip", "billing"] }],
    ["labels.remove", { labels: ["billing"] }],
    ["status.set", { status: "resolved" }],
    ["status.set", { status: "snoozed", snoozed_until: 1893456000 }],
    ["status.set", { status: "snoozed", snoozed_until: 1900000000 }],
    ["conversation.attributes.set", { attributes: { order_id: "A-1042", paid: true } }],
    ["contact.attributes.set", { attributes: { plan: "enterprise", seats: 12, note: null } }],
    ["context.get", {}],
  ]);
  assertValidOutgoing(host);
  const ids = host.requests().map((m) => m.id);
  assert.equal(new Set(ids).size, ids.length, "ids are unique");
});

test("responses are matched by id, in any order", async () => {
  const held = [];
  const { app, host } = await connected({ answer: (m) => void held.push(m) });
  const a = app.labels.add(["a"]);
  const b = app.labels.add(["b"]);
  const c = app.request("labels.remove", { labels: ["c"] });
  await settle();
  assert.equal(held.length, 3);
  for (const m of held.reverse()) host.respond(m.id, { labels: m.params.labels });
  assert.deepEqual(await Promise.all([a, b, c]), [{ labels: ["a"] }, { labels: ["b"] }, { labels: ["c"] }]);
  // A response to no pending request, or a second one for the same id, changes nothing.
  host.respond(held[0].id, { labels: ["again"] });
  host.respond("nope", {});
  await settle();
});

test("errors reject with code, message and field", async () => {
  const { app } = await connected({
    answer: (m) =>
      m.method === "status.set"
        ? { error: { code: "missing_scope", message: "status.write is not granted: Settings > Integrations > Dashboard apps" } }
        : { error: { code: "invalid_params", message: "labels[1] no such label", field: "labels[1]" } },
  });
  await assert.rejects(app.status.set("resolved"), (error) => {
    assert.ok(error instanceof AppError && error instanceof Error);
    assert.equal(error.code, "missing_scope");
    assert.match(error.message, /status\.write/);
    assert.equal(error.field, undefined);
    return true;
  });
  await assert.rejects(app.labels.add(["vip", "nope"]), { code: "invalid_params", field: "labels[1]" });
});

test("a request without an answer times out with the code timeout; a late answer is ignored", async () => {
  const held = [];
  const { app, host } = await connected({ timeoutMs: 80, answer: (m) => void held.push(m) });
  const started = Date.now();
  await assert.rejects(app.reply.insert("hi"), { code: "timeout" });
  assert.ok(Date.now() - started >= 70);
  host.respond(held[0].id, { inserted: true });
  await settle();
});

test("the default timeout is 10 seconds", async (t) => {
  t.mock.timers.enable({ apis: ["setTimeout"] });
  const { app: win, host } = frame();
  host.handle = (m) => m.method === "connect" && host.respond(m.id, CONNECTED);
  const pending = connect({ window: win, seeds: false });
  await settle();
  const app = await pending;
  opened.push(app);
  let outcome = null;
  app.reply.insert("hi").catch((e) => { outcome = e.code; });
  t.mock.timers.tick(9_999);
  await settle();
  assert.equal(outcome, null);
  t.mock.timers.tick(1);
  await settle();
  assert.equal(outcome, "timeout");
});

test("version negotiation: no version in common is an error", async () => {
  for (const reply of [
    { error: { code: "unsupported_version", message: "this dashboard speaks versions 2" } },
    { result: { ...CONNECTED, version: 2 } },
  ]) {
    const { app: win, host } = frame();
    host.handle = (m) => (reply.error ? host.fail(m.id, reply.error) : host.respond(m.id, reply.result));
    await assert.rejects(connect({ window: win, seeds: false }), { code: "unsupported_version" });
    assert.equal(win.listeners.size, 0, "it stops listening");
  }
});

test("connect times out when nobody answers", async () => {
  const { app: win } = frame();
  await assert.rejects(connect({ window: win, timeoutMs: 50, seedsAfterMs: 10 }), { code: "timeout" });
});

test("outside a frame, connect says so at once", async () => {
  const win = { addEventListener() {}, removeEventListener() {} };
  win.parent = win;
  await assert.rejects(connect({ window: win }), { code: "not_embedded" });
});

test("events: context updates, shown and hidden", async () => {
  const { app, host } = await connected();
  const contexts = [];
  const shown = [];
  app.on("context", (context, info) => contexts.push([context.conversation.status, info.token]));
  app.on("shown", (d) => shown.push(["shown", d.placement]));
  const off = app.on("hidden", (d) => shown.push(["hidden", d.placement]));
  const resolved = contextData();
  resolved.conversation.status = "resolved";
  host.event("context.updated", { data: resolved, token: "d.e.f" });
  host.event("app.hidden", { placement: "conversation_tab" });
  await settle();
  assert.equal(app.visible, false);
  host.event("app.shown", { placement: "conversation_tab" });
  await settle();
  assert.equal(app.visible, true);
  assert.deepEqual(contexts, [["resolved", "d.e.f"]]);
  assert.equal(app.context.conversation.status, "resolved");
  assert.equal(app.token, "d.e.f");
  assert.deepEqual(shown, [["hidden", "conversation_tab"], ["shown", "conversation_tab"]]);
  off();
  host.event("app.hidden", { placement: "conversation_tab" });
  await settle();
  assert.equal(shown.length, 2, "unsubscribed");
  assert.throws(() => app.on("nonsense", () => {}), TypeError);
  for (const event of [
    { oxidesk: 1, type: "event", event: "context.updated", data: { data: resolved, token: "a.b.c" } },
    { oxidesk: 1, type: "event", event: "app.shown", data: { placement: "conversation_sidebar" } },
    { oxidesk: 1, type: "response", id: "1", ok: false, error: { code: "forbidden", message: "no" } },
  ]) {
    assert.deepEqual(validate(event), [], JSON.stringify(event));
  }
});

test("refresh asks with context.get and announces the fresh context", async () => {
  const fresh = contextData({ theme: "dark" });
  const { app } = await connected({ answer: (m) => (m.method === "context.get" ? { data: fresh, token: "x.y.z" } : undefined) });
  const announced = [];
  app.on("context", (c) => announced.push(c.theme));
  const context = await app.refresh();
  assert.equal(context.theme, "dark");
  assert.equal(app.token, "x.y.z");
  assert.deepEqual(announced, ["dark"]);
});

test("only the parent window, at the dashboard's origin, is heard", async () => {
  const { app, host } = await connected();
  const contexts = [];
  app.on("context", (c) => contexts.push(c.theme));
  const dark = { data: contextData({ theme: "dark" }), token: "a.b.c" };
  const stranger = { postMessage() {} };
  host.event("context.updated", dark, { source: stranger });
  host.event("context.updated", dark, { from: "https://evil.example" });
  host.post(JSON.stringify({ event: "appContext", data: dark.data })); // seeds' string: not now
  host.post({ oxidesk: 2, type: "event", event: "context.updated", data: dark });
  host.post({ type: "event", event: "context.updated", data: dark });
  host.post(null);
  await settle();
  assert.deepEqual(contexts, []);
  // A response from another origin does not settle a request either.
  const held = [];
  host.handle = (m) => void held.push(m);
  const pending = app.labels.add(["x"]);
  await settle();
  host.respond(held[0].id, { labels: ["forged"] }, { from: "https://evil.example" });
  host.respond(held[0].id, { labels: ["forged"] }, { source: stranger });
  await settle();
  host.respond(held[0].id, { labels: ["x"] });
  assert.deepEqual(await pending, { labels: ["x"] });
});

test("close: pending requests fail and nothing more is heard", async () => {
  const { app, host, win } = await connected({ answer: () => undefined });
  const pending = app.notes.create("x");
  await settle();
  app.close();
  await assert.rejects(pending, { code: "closed" });
  await assert.rejects(app.notes.create("y"), { code: "closed" });
  assert.equal(win.listeners.size, 0);
  host.event("app.hidden", { placement: "conversation_tab" });
  await settle();
  assert.equal(app.visible, true);
});

test("a dashboard that speaks only the seeds' protocol: appContext strings, read-only", async () => {
  const { app: win, host } = frame();
  const seeds = (theme) => JSON.stringify({ event: "appContext", data: contextData({ theme }), token: "s.t.u" });
  // Like an older Oxidesk or Chatwoot: objects ignored, fetch-info answered, pushed at load.
  host.handle = (message) => {
    if (typeof message === "string" && message.endsWith("-dashboard-app:fetch-info")) host.post(seeds("dark"));
  };
  host.post(seeds("light"));
  const app = await connect({ window: win, seedsAfterMs: 30, timeoutMs: 500 });
  opened.push(app);
  assert.equal(app.protocol, "seeds");
  assert.equal(app.version, 0);
  assert.equal(app.context.theme, "light");
  assert.equal(app.token, "s.t.u");
  assert.deepEqual(app.scopes, []);
  await assert.rejects(app.notes.create("x"), { code: "unsupported" });
  const themes = [];
  app.on("context", (c) => themes.push(c.theme));
  assert.equal((await app.refresh()).theme, "dark");
  host.post(seeds("light"));
  await settle();
  assert.deepEqual(themes, ["dark", "light"]);
  const asked = host.sent.filter((s) => typeof s.message === "string");
  assert.ok(asked.length >= 1 && asked.every((s) => s.message === "oxidesk-dashboard-app:fetch-info"));
  assertValidOutgoing(host);
});

test("nothing pushed: the SDK asks with fetch-info after a while", async () => {
  const { app: win, host } = frame();
  host.handle = (message) => {
    if (message === "oxidesk-dashboard-app:fetch-info") host.post(JSON.stringify({ event: "appContext", data: contextData() }));
  };
  const app = await connect({ window: win, seedsAfterMs: 20, timeoutMs: 1000 });
  opened.push(app);
  assert.equal(app.protocol, "seeds");
  assert.equal(app.token, null);
});

test("a dashboard that speaks both answers the handshake: the protocol wins over the seeds' push", async () => {
  const { app: win, host } = frame();
  host.handle = (m) => m?.method === "connect" && setTimeout(() => host.respond(m.id, CONNECTED), 5);
  host.post(JSON.stringify({ event: "appContext", data: contextData({ theme: "dark" }) })); // at load
  const app = await connect({ window: win, seedsAfterMs: 200 });
  opened.push(app);
  assert.equal(app.protocol, "oxidesk");
  assert.equal(app.context.theme, "light");
});

test("a late answer to the handshake upgrades a seeds connection", async () => {
  const { app: win, host } = frame();
  let hello = null;
  host.handle = (m) => { if (m?.method === "connect") hello = m; };
  host.post(JSON.stringify({ event: "appContext", data: contextData({ theme: "dark" }) }));
  const app = await connect({ window: win, seedsAfterMs: 20, timeoutMs: 2000 });
  opened.push(app);
  assert.equal(app.protocol, "seeds");
  const announced = [];
  app.on("context", (c) => announced.push(c.theme));
  host.respond(hello.id, CONNECTED);
  await settle();
  assert.equal(app.protocol, "oxidesk");
  assert.deepEqual(app.scopes, CONNECTED.scopes);
  assert.deepEqual(announced, ["light"]);
});

test("the schema's examples: the test validator accepts the valid ones and refuses the rest", async () => {
  const { readFileSync } = await import("node:fs");
  const examples = JSON.parse(readFileSync(new URL("./messages.json", import.meta.url), "utf8"));
  for (const [name, messages] of Object.entries(examples.valid)) {
    for (const m of messages) assert.deepEqual(validate(m, name || undefined), [], `${name}: ${JSON.stringify(m).slice(0, 200)}`);
  }
  for (const [name, messages] of Object.entries(examples.invalid)) {
    for (const m of messages) assert.notDeepEqual(validate(m, name || undefined), [], `${name}: ${JSON.stringify(m).slice(0, 200)}`);
  }
});
