// Verifying the context's token: Ed25519 keys and tokens made here with node:crypto (not with
// the SDK), checked by the SDK with WebCrypto. A real token is accepted; forged ones (unsigned,
// expired, wrong audience, wrong key, wrong issuer, payload changed after signing) are refused.

import assert from "node:assert/strict";
import { test } from "node:test";

import { canonicalize, connect, dataHash, verifyContext } from "../../sdk/v1/dashboard-app.js";
import { APP_ORIGIN, DASHBOARD, contextData, frame, jwksFetch, settle, signingKey, token, until } from "./harness.mjs";

const key = signingKey();
const options = (extra = {}) => ({ issuer: DASHBOARD, audience: APP_ORIGIN, fetch: jwksFetch([key]), ...extra });

test("canonical JSON (RFC 8785) and its hash", async () => {
  assert.equal(canonicalize({ b: 1, a: [1, "x", null, true, { d: 2, c: 1.5 }], "é": "ü", Z: -0 }), '{"Z":0,"a":[1,"x",null,true,{"c":1.5,"d":2}],"b":1,"é":"ü"}');
  // Keys sort by UTF-16 code units: "\u{10000}" (a surrogate pair, 0xD800…) before "\uFFFF".
  assert.equal(canonicalize({ "\uFFFF": 1, "\u{10000}": 2, a: 3 }), '{"a":3,"\u{10000}":2,"\uFFFF":1}');
  assert.equal(await dataHash({}), "RBNvo1WzZ4oRRq0W9-hknpT7T8If536DEMBg9hyq_4o");
});

test("a real token is accepted, and its claims returned", async () => {
  const data = contextData();
  const claims = await verifyContext({ data, token: token(key, data) }, options());
  assert.equal(claims.iss, DASHBOARD);
  assert.equal(claims.conversation_id, 7);
  assert.deepEqual(claims.aud, [APP_ORIGIN]);
  // A trailing slash on the trusted URL, and a list of trusted installs, are fine.
  await verifyContext({ data, token: token(key, data) }, options({ issuer: ["https://other.example", `${DASHBOARD}/`] }));
});

test("forged contexts are refused, each with its reason", async () => {
  const data = contextData();
  const other = signingKey(key.kid); // another key claiming the same kid
  const stranger = signingKey(); // a key the install never published
  const now = Math.floor(Date.now() / 1000);
  const changed = structuredClone(data);
  changed.contact.email = "mallory@example.com";
  const [head, body] = token(key, data).split(".");
  const cases = [
    ["no token at all", { data }, "unsigned"],
    ["an empty token", { data, token: "" }, "unsigned"],
    ["no signature", { data, token: `${head}.${body}.` }, "unsigned"],
    ["alg none", { data, token: `${Buffer.from('{"alg":"none"}').toString("base64url")}.${body}.x` }, "unsigned"],
    ["not a JWS", { data, token: "hello" }, "malformed"],
    ["garbage parts", { data, token: "!!.??.**" }, "malformed"],
    ["another algorithm", { data, token: token(key, data, { header: { alg: "HS256" } }) }, "algorithm"],
    ["expired", { data, token: token(key, data, { now: now - 600 }) }, "expired"],
    ["issued in the future", { data, token: token(key, data, { now: now + 600 }) }, "future"],
    ["for another app", { data, token: token(key, data, { claims: { aud: ["https://evil.example"] } }) }, "audience"],
    ["a lone string audience, not ours", { data, token: token(key, data, { claims: { aud: "https://evil.example" } }) }, "audience"],
    ["from an install not trusted", { data, token: token(key, data, { claims: { iss: "https://evil.example" } }) }, "issuer"],
    ["signed with another key under the same kid", { data, token: token(other, data) }, "signature"],
    ["signed with an unknown key", { data, token: token(stranger, data) }, "unknown_key"],
    ["payload changed after signing", { data: changed, token: token(key, data) }, "data_hash"],
    ["theme changed after signing", { data: { ...data, theme: "dark" }, token: token(key, data) }, "data_hash"],
    ["claims changed after signing", { data, token: `${head}.${Buffer.from(JSON.stringify({ ...JSON.parse(Buffer.from(body, "base64url")), conversation_id: 8 })).toString("base64url")}.${token(key, data).split(".")[2]}` }, "signature"],
  ];
  for (const [what, context, code] of cases) {
    await assert.rejects(verifyContext(context, options()), (error) => {
      assert.equal(error.code, code, `${what}: ${error.message}`);
      return true;
    }, what);
  }
  // The JWK set is fetched from the trusted issuer only, never from a URL in the token.
  const fetch = jwksFetch([key]);
  await assert.rejects(verifyContext({ data, token: token(key, data, { claims: { iss: "https://evil.example" } }) }, options({ fetch })), { code: "issuer" });
  assert.deepEqual(fetch.calls, []);
  await assert.rejects(verifyContext({ data, token: token(key, data) }, { audience: APP_ORIGIN }), TypeError, "no issuer: a programming error");
});

test("a rotated key: an unknown kid fetches the set again", async () => {
  const issuer = "https://rotating.example";
  const first = signingKey();
  const next = signingKey();
  let published = [first];
  const calls = [];
  const fetch = async (url) => (calls.push(url), { json: async () => ({ keys: published.map((k) => k.jwk) }) });
  const data = contextData();
  const sign = (k) => token(k, data, { claims: { iss: issuer } });
  const opts = { issuer, audience: APP_ORIGIN, fetch };
  await verifyContext({ data, token: sign(first) }, opts);
  published = [next, first];
  await verifyContext({ data, token: sign(next) }, opts);
  await verifyContext({ data, token: sign(first) }, opts);
  assert.equal(calls.length, 2, "fetched once, then again for the new kid only");
});

test("connect with an issuer verifies the first context and every update", async () => {
  const { app: win, host } = frame();
  const data = contextData();
  let fresh = token(key, data);
  const answering = (to) => (m) => {
    if (m?.method === "connect") {
      to.respond(m.id, { version: 1, app: { id: 3, title: "Orders" }, placement: "conversation_tab", scopes: [], withheld: [], context: { data, token: fresh }, visible: true });
    }
  };
  host.handle = answering(host);
  const app = await connect({ window: win, seeds: false, issuer: DASHBOARD, fetch: jwksFetch([key]) });
  assert.equal(app.claims.conversation_id, 7);
  assert.equal(app.claims.aud[0], win.location.origin, "the audience is the app's own origin");
  assert.equal((await app.verify()).jti, app.claims.jti);

  const contexts = [];
  const errors = [];
  app.on("context", (c, info) => contexts.push([c.conversation.status, info.claims?.conversation_id]));
  app.on("error", (e) => errors.push(e.code));
  const resolved = contextData();
  resolved.conversation.status = "resolved";
  const forged = structuredClone(resolved);
  forged.conversation.status = "pending";
  host.event("context.updated", { data: forged, token: token(key, resolved) }); // payload changed
  host.event("context.updated", { data: resolved, token: token(signingKey(), resolved) }); // unknown key
  host.event("context.updated", { data: resolved, token: token(key, resolved) });
  await until(() => errors.length >= 2 && contexts.length >= 1);
  await settle(40); // and nothing more arrives
  assert.deepEqual(errors, ["data_hash", "unknown_key"]);
  assert.deepEqual(contexts, [["resolved", 7]]);
  assert.equal(app.context.conversation.status, "resolved");
  app.close();

  // A forged first context: connect refuses.
  fresh = token(key, data, { claims: { aud: ["https://evil.example"] } });
  const second = frame();
  second.host.handle = answering(second.host);
  await assert.rejects(connect({ window: second.app, seeds: false, issuer: DASHBOARD, fetch: jwksFetch([key]) }), { code: "audience" });
  assert.equal(second.app.listeners.size, 0);
});

test("app.verify checks a token against the current data", async () => {
  const { app: win, host } = frame();
  const data = contextData();
  host.handle = (m) => m?.method === "connect" && host.respond(m.id, { version: 1, app: { id: 3, title: "Orders" }, placement: "conversation_tab", scopes: [], withheld: [], context: { data, token: "x.y.z" }, visible: true });
  const app = await connect({ window: win, seeds: false });
  assert.equal(app.claims, null, "no issuer: nothing verified by itself");
  await assert.rejects(app.verify(undefined, { issuer: DASHBOARD, fetch: jwksFetch([key]) }), { code: "malformed" });
  const claims = await app.verify(token(key, data), { issuer: DASHBOARD, fetch: jwksFetch([key]) });
  assert.equal(claims.contact_id, 3);
  await assert.rejects(app.verify(token(key, contextData({ theme: "dark" })), { issuer: DASHBOARD, fetch: jwksFetch([key]) }), { code: "data_hash" });
  app.close();
});
