// Oxidesk Dashboard App SDK, protocol version 1. A plain ES module, no dependencies.
// Served by every Oxidesk at /sdk/v1/dashboard-app.js (types: /sdk/v1/dashboard-app.d.ts,
// message schemas: /sdk/v1/schemas/protocol.schema.json). Guide: docs/dashboard-apps.md, "SDK".
//
//   import { connect } from "https://support.example.com/sdk/v1/dashboard-app.js";
//   const app = await connect({ issuer: "https://support.example.com" });
//   render(app.context);
//   app.on("context", render);
//   await app.notes.create("Order A-1042 refunded");
//
// With a dashboard that does not speak the Oxidesk app protocol (an older Oxidesk, Chatwoot and
// its family), `connect` falls back to the seeds' protocol: the context arrives as `appContext`
// strings, `refresh()` sends fetch-info, and actions fail with the code `unsupported`.

/** The protocol versions this SDK speaks. */
export const VERSIONS = [1];

const REQUEST_TIMEOUT_MS = 10_000;
const SEEDS_AFTER_MS = 1_500;
const LEEWAY_S = 60;
const FETCH_INFO = "oxidesk-dashboard-app:fetch-info";

/** An error of the SDK or of the dashboard: `code` (see the docs' error table), maybe `field`. */
export class AppError extends Error {
  constructor(code, message, field) {
    super(message || code);
    this.name = "AppError";
    this.code = code;
    if (field !== undefined && field !== null) this.field = field;
  }
}

const isObject = (v) => typeof v === "object" && v !== null && !Array.isArray(v);

/**
 * Opens the protocol with the dashboard (this frame's parent) and resolves to the app once the
 * dashboard has answered. Options: `issuer` (an Oxidesk URL you trust, or a list of them: every
 * context is then verified before you see it), `timeoutMs` (per request, 10 s), `seeds` (fall
 * back to the seeds' protocol, default true), `audience` (default `location.origin`).
 */
export function connect(options = {}) {
  const win = options.window ?? globalThis.window;
  const timeoutMs = options.timeoutMs ?? REQUEST_TIMEOUT_MS;
  const seedsAfterMs = options.seedsAfterMs ?? SEEDS_AFTER_MS;
  if (!win || !win.parent || win.parent === win) {
    return Promise.reject(new AppError("not_embedded", "not in a frame: open this page as a dashboard app"));
  }
  const parent = win.parent;
  const issuers = options.issuer === undefined ? [] : [].concat(options.issuer).map(trimSlash);
  const verifyOptions = { issuer: issuers, audience: options.audience ?? win.location?.origin, fetch: options.fetch, now: options.now };
  const pending = new Map();
  const listeners = { context: new Set(), shown: new Set(), hidden: new Set(), error: new Set() };
  let seq = 0;
  let origin = null; // the dashboard's origin, once it answered the handshake
  let mode = null; // "oxidesk" | "seeds"
  let seedsWaiter = null; // resolves the next appContext string (seeds' refresh)
  let latestSeeds = null; // the last appContext string received, parsed
  let updates = Promise.resolve(); // context updates, applied one after the other
  let closed = false;

  const emit = (name, ...args) => {
    for (const fn of [...listeners[name]]) {
      try {
        fn(...args);
      } catch (error) {
        setTimeout(() => { throw error; });
      }
    }
  };

  const app = {
    version: 0,
    protocol: null,
    context: null,
    token: null,
    claims: null,
    scopes: [],
    withheld: [],
    placement: "conversation_tab",
    app: null,
    visible: true,
    get origin() { return origin; },
    on(name, fn) {
      if (!listeners[name]) throw new TypeError(`unknown event ${name}: context, shown, hidden, error`);
      listeners[name].add(fn);
      return () => listeners[name].delete(fn);
    },
    off(name, fn) { listeners[name]?.delete(fn); },
    hasScope: (scope) => app.scopes.includes(scope),
    request,
    async refresh() {
      if (mode === "seeds") {
        const next = new Promise((resolve, reject) => {
          const timer = setTimeout(() => { seedsWaiter = null; reject(new AppError("timeout", "no appContext within the timeout")); }, timeoutMs);
          seedsWaiter = (ctx) => { clearTimeout(timer); resolve(ctx); };
        });
        parent.postMessage(FETCH_INFO, "*");
        await next;
        await updates;
        return app.context;
      }
      const result = await request("context.get", {});
      await applyContext(result, true);
      return app.context;
    },
    verify(input, opts = {}) {
      const context = typeof input === "string" ? { data: app.context, token: input } : (input ?? { data: app.context, token: app.token });
      return verifyContext(context, { ...verifyOptions, ...opts, issuer: opts.issuer ?? verifyOptions.issuer });
    },
    reply: { insert: (text) => request("reply.insert", { text }) },
    notes: { create: (content) => request("note.create", { content }) },
    labels: {
      add: (labels) => request("labels.add", { labels }),
      remove: (labels) => request("labels.remove", { labels }),
    },
    status: {
      set(status, { snoozedUntil } = {}) {
        const params = { status };
        if (snoozedUntil !== undefined && snoozedUntil !== null) {
          params.snoozed_until = snoozedUntil instanceof Date ? Math.floor(snoozedUntil.getTime() / 1000) : snoozedUntil;
        }
        return request("status.set", params);
      },
    },
    conversation: { setAttributes: (attributes) => request("conversation.attributes.set", { attributes }) },
    contact: { setAttributes: (attributes) => request("contact.attributes.set", { attributes }) },
    close() {
      closed = true;
      win.removeEventListener("message", onMessage);
      for (const [, p] of pending) p.fail(new AppError("closed", "the app closed its connection"));
      pending.clear();
    },
  };

  /** Sends a request and resolves to its result; rejects with an AppError. */
  function request(method, params = {}) {
    if (closed) return Promise.reject(new AppError("closed", "the app closed its connection"));
    if (mode === "seeds") {
      return Promise.reject(new AppError("unsupported", `this dashboard does not speak the Oxidesk app protocol: ${method} is not available`));
    }
    return send(method, params, origin ?? "*");
  }

  function send(method, params, target) {
    seq += 1;
    const id = String(seq);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        pending.delete(id);
        reject(new AppError("timeout", `no answer to ${method} within ${timeoutMs} ms`));
      }, timeoutMs);
      const done = (fn) => (value) => { clearTimeout(timer); pending.delete(id); fn(value); };
      pending.set(id, { method, ok: done(resolve), fail: done(reject) });
      parent.postMessage({ oxidesk: 1, type: "request", id, method, params }, target);
    });
  }

  async function applyContext(context, announce) {
    if (!isObject(context) || !isObject(context.data)) throw new AppError("invalid_message", "a context without data");
    const claims = issuers.length ? await verifyContext(context, verifyOptions) : null;
    app.context = context.data;
    app.token = typeof context.token === "string" ? context.token : null;
    app.claims = claims;
    if (announce) emit("context", app.context, { token: app.token, claims });
  }

  // Context updates are applied in the order they came, each after its verification; one that
  // fails verification is dropped and reported on "error".
  function queueContext(context) {
    updates = updates.then(() => applyContext(context, true)).catch((error) => emit("error", error));
    return updates;
  }

  function onMessage(event) {
    if (event.source !== parent) return;
    const message = event.data;
    if (typeof message === "string") {
      if (mode === "oxidesk") return;
      let parsed;
      try { parsed = JSON.parse(message); } catch { return; }
      if (!isObject(parsed) || parsed.event !== "appContext" || !isObject(parsed.data)) return;
      latestSeeds = { data: parsed.data, token: parsed.token };
      if (mode === "seeds") {
        const waiter = seedsWaiter;
        seedsWaiter = null;
        queueContext(latestSeeds);
        waiter?.(latestSeeds);
      } else {
        maybeSeeds();
      }
      return;
    }
    if (!isObject(message) || message.oxidesk !== 1) return;
    if (origin !== null && event.origin !== origin) return;
    if (message.type === "response" && typeof message.id === "string") {
      const waiting = pending.get(message.id);
      if (!waiting) return;
      if (message.ok === true) waiting.ok(message.result);
      else {
        const error = isObject(message.error) ? message.error : {};
        waiting.fail(new AppError(String(error.code ?? "error"), error.message, error.field));
      }
      if (waiting.method === "connect" && origin === null && message.ok === true) origin = event.origin;
    } else if (message.type === "event" && mode === "oxidesk" && typeof message.event === "string") {
      const data = isObject(message.data) ? message.data : {};
      if (message.event === "context.updated") queueContext(data);
      else if (message.event === "app.shown" || message.event === "app.hidden") {
        app.visible = message.event === "app.shown";
        if (data.placement) app.placement = data.placement;
        emit(app.visible ? "shown" : "hidden", data);
      }
    }
  }

  let started = 0;
  let settle = null;
  function maybeSeeds() {
    if (options.seeds === false) return;
    const wait = started + seedsAfterMs - Date.now();
    if (wait > 0) setTimeout(maybeSeeds, wait);
    else settle?.seeds();
  }

  win.addEventListener("message", onMessage);
  started = Date.now();
  return new Promise((resolve, reject) => {
    let finished = false;
    const finish = (fn, value) => {
      if (finished) return;
      finished = true;
      clearTimeout(askTimer);
      fn(value);
    };
    settle = {
      async seeds() {
        if (finished || mode || !latestSeeds) return;
        mode = "seeds";
        app.protocol = "seeds";
        app.version = 0;
        try {
          await (updates = applyContext(latestSeeds, false));
          finish(resolve, app);
        } catch (error) {
          app.close();
          finish(reject, error);
        }
      },
    };
    // No answer to the handshake for a while: ask the seeds' way as well.
    const askTimer = options.seeds === false ? null : setTimeout(() => {
      if (!mode && !latestSeeds) parent.postMessage(FETCH_INFO, "*");
    }, seedsAfterMs);
    send("connect", { versions: VERSIONS }, "*").then(
      async (result) => {
        if (!isObject(result) || !VERSIONS.includes(result.version)) {
          throw new AppError("unsupported_version", `the dashboard answered with protocol version ${result?.version}`);
        }
        const upgrade = mode === "seeds"; // answered late, after falling back: switch over
        mode = "oxidesk";
        Object.assign(app, {
          protocol: "oxidesk",
          version: result.version,
          scopes: Array.isArray(result.scopes) ? result.scopes : [],
          withheld: Array.isArray(result.withheld) ? result.withheld : [],
          placement: result.placement ?? "conversation_tab",
          app: result.app ?? null,
          visible: result.visible !== false,
        });
        if (upgrade) {
          // Already connected the seeds' way: a refused context is reported, not fatal.
          queueContext(result.context);
          return;
        }
        await (updates = applyContext(result.context, false));
        finish(resolve, app);
      },
    ).catch((error) => {
      if (mode === "seeds" || (error.code === "timeout" && latestSeeds)) return settle.seeds();
      app.close();
      finish(reject, error);
    });
  });
}

// ---------------------------------------------------------------------------------------------
// Verification of the context's token (docs/dashboard-apps.md, "Verify the context").

const keySets = new Map(); // issuer -> Promise of its JWK set

function trimSlash(url) {
  return String(url).replace(/\/+$/, "");
}

function refuse(code, detail) {
  return new AppError(code, `context token refused: ${code}${detail ? ` (${detail})` : ""}`);
}

const fromB64url = (text) => {
  if (!/^[A-Za-z0-9_-]*$/.test(text)) throw new Error("not base64url");
  return Uint8Array.from(atob(text.replace(/-/g, "+").replace(/_/g, "/")), (c) => c.charCodeAt(0));
};
const toB64url = (bytes) => btoa(String.fromCharCode(...bytes)).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");

/** RFC 8785 (JSON Canonicalization Scheme) text of a JSON value. */
export function canonicalize(value) {
  if (value === null || typeof value !== "object") return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(canonicalize).join(",")}]`;
  return `{${Object.keys(value).sort().filter((k) => value[k] !== undefined).map((k) => `${JSON.stringify(k)}:${canonicalize(value[k])}`).join(",")}}`;
}

/** base64url(SHA-256(canonicalize(data))), as in the token's `data_sha256`. */
export async function dataHash(data) {
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(canonicalize(data)));
  return toB64url(new Uint8Array(digest));
}

async function findKey(issuer, kid, fetcher) {
  for (const fresh of [false, true]) {
    if (fresh || !keySets.has(issuer)) {
      // A key not seen yet: fetch the set again (keys rotate), at most once per token.
      keySets.set(issuer, fetcher(`${issuer}/.well-known/jwks.json`).then((r) => r.json()).catch(() => ({ keys: [] })));
    }
    const set = await keySets.get(issuer);
    const keys = Array.isArray(set?.keys) ? set.keys : [];
    const jwk = keys.find((k) => k.kid === kid && k.kty === "OKP" && k.crv === "Ed25519" && typeof k.x === "string");
    if (jwk) return crypto.subtle.importKey("jwk", { kty: "OKP", crv: "Ed25519", x: jwk.x }, { name: "Ed25519" }, false, ["verify"]);
  }
  throw refuse("unknown_key", kid);
}

/**
 * Verifies `{data, token}` (a context as the dashboard sent it) and resolves to the token's
 * claims. `issuer`: the Oxidesk URL(s) you trust, from your own configuration (never from the
 * message). Rejects with an AppError whose code is one of: unsigned, malformed, algorithm,
 * issuer, unknown_key, signature, audience, expired, future, data_hash.
 */
export async function verifyContext(context, { issuer, audience, now, leeway = LEEWAY_S, fetch: fetcher } = {}) {
  const trusted = [].concat(issuer ?? []).map(trimSlash);
  if (trusted.length === 0) throw new TypeError("verify needs the issuer you trust: { issuer: \"https://support.example.com\" }");
  const token = context?.token;
  if (typeof token !== "string" || token === "") throw refuse("unsigned");
  const parts = token.split(".");
  if (parts.length !== 3 || parts[2] === "") throw refuse(parts.length === 3 ? "unsigned" : "malformed");
  let header, claims;
  try {
    header = JSON.parse(new TextDecoder().decode(fromB64url(parts[0])));
    claims = JSON.parse(new TextDecoder().decode(fromB64url(parts[1])));
  } catch {
    throw refuse("malformed");
  }
  if (!isObject(header) || !isObject(claims)) throw refuse("malformed");
  if (header.alg !== "EdDSA") throw refuse(header.alg === "none" ? "unsigned" : "algorithm", header.alg);
  // The claims are not trusted yet: `iss` only picks which of YOUR issuers' keys to try.
  const iss = typeof claims.iss === "string" ? trimSlash(claims.iss) : "";
  if (!trusted.includes(iss)) throw refuse("issuer", claims.iss);
  if (typeof header.kid !== "string") throw refuse("unknown_key");
  const key = await findKey(iss, header.kid, fetcher ?? ((url) => globalThis.fetch(url)));
  let signature;
  try {
    signature = fromB64url(parts[2]);
  } catch {
    throw refuse("malformed");
  }
  const signed = new TextEncoder().encode(`${parts[0]}.${parts[1]}`);
  if (!(await crypto.subtle.verify({ name: "Ed25519" }, key, signature, signed))) throw refuse("signature");
  const expected = audience ?? globalThis.location?.origin;
  if (!expected || !(Array.isArray(claims.aud) ? claims.aud : [claims.aud]).includes(expected)) throw refuse("audience", expected);
  const at = now ?? Date.now() / 1000;
  if (typeof claims.exp !== "number" || !(claims.exp > at - leeway)) throw refuse("expired");
  if (typeof claims.iat !== "number" || claims.iat > at + leeway) throw refuse("future");
  if (claims.data_sha256 !== (await dataHash(context.data))) throw refuse("data_hash");
  return claims;
}
