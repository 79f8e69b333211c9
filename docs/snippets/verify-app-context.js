// Verifies the token beside an Oxidesk `appContext` message, in the browser, with WebCrypto
// (Ed25519). No dependencies. See docs/dashboard-apps.md, "Verify the context".
//
//   const claims = await verifyAppContext(message, { issuer: "https://support.example.com" });
//
// `message` is the parsed appContext ({event, data, token}); `issuer` is an Oxidesk install YOU
// trust (from your own configuration, never from the message). Throws an Error whose `code` is
// one of: malformed, algorithm, unknown_key, signature, issuer, audience, expired, future,
// data_hash. Resolves to the token's claims.

const keySets = new Map(); // issuer -> Promise of its JWK set

function fail(code, detail) {
  const error = new Error(`appContext token refused: ${code}${detail ? ` (${detail})` : ""}`);
  error.code = code;
  return error;
}

const fromB64url = (text) => Uint8Array.from(atob(text.replace(/-/g, "+").replace(/_/g, "/")), (c) => c.charCodeAt(0));
const toB64url = (bytes) => btoa(String.fromCharCode(...bytes)).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");

// RFC 8785 (JSON Canonicalization Scheme): sorted keys (UTF-16 order, which is what
// Array.prototype.sort does), no whitespace; JSON.stringify already writes strings and numbers
// the way RFC 8785 asks.
export function canonicalize(value) {
  if (value === null || typeof value !== "object") return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(canonicalize).join(",")}]`;
  return `{${Object.keys(value).sort().map((k) => `${JSON.stringify(k)}:${canonicalize(value[k])}`).join(",")}}`;
}

export async function dataHash(data) {
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(canonicalize(data)));
  return toB64url(new Uint8Array(digest));
}

async function findKey(issuer, kid) {
  for (const fresh of [false, true]) {
    if (fresh || !keySets.has(issuer)) {
      // A key we have not seen: fetch the set again (keys rotate), at most once per token.
      keySets.set(issuer, fetch(`${issuer}/.well-known/jwks.json`).then((r) => r.json()).catch(() => ({ keys: [] })));
    }
    const { keys = [] } = await keySets.get(issuer);
    const jwk = keys.find((k) => k.kid === kid && k.kty === "OKP" && k.crv === "Ed25519");
    if (jwk) return crypto.subtle.importKey("jwk", { kty: "OKP", crv: "Ed25519", x: jwk.x }, { name: "Ed25519" }, false, ["verify"]);
  }
  throw fail("unknown_key", kid);
}

export async function verifyAppContext(message, { issuer, audience = location.origin, now = Date.now() / 1000, leeway = 30 } = {}) {
  const parts = typeof message?.token === "string" ? message.token.split(".") : [];
  if (parts.length !== 3) throw fail("malformed");
  let header, claims;
  try {
    header = JSON.parse(new TextDecoder().decode(fromB64url(parts[0])));
    claims = JSON.parse(new TextDecoder().decode(fromB64url(parts[1])));
  } catch {
    throw fail("malformed");
  }
  if (header.alg !== "EdDSA") throw fail("algorithm", header.alg);
  const key = await findKey(issuer, header.kid);
  const signed = new TextEncoder().encode(`${parts[0]}.${parts[1]}`);
  if (!(await crypto.subtle.verify({ name: "Ed25519" }, key, fromB64url(parts[2]), signed))) throw fail("signature");
  if (claims.iss !== issuer) throw fail("issuer", claims.iss);
  if (![].concat(claims.aud).includes(audience)) throw fail("audience");
  if (!(claims.exp > now - leeway)) throw fail("expired");
  if (claims.iat > now + leeway) throw fail("future");
  if (claims.data_sha256 !== (await dataHash(message.data))) throw fail("data_hash");
  return claims;
}
