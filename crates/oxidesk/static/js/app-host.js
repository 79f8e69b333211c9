// The dashboard's side of the Oxidesk app protocol (docs/dashboard-apps.md, "The two-way
// protocol"), for one app frame. The page that holds the frames (apps.js, the simulator) gives
// each frame an AppLink and hands it the protocol messages that came from that frame's window
// and from one of the app's origins; the link answers them and, once the app has connected,
// sends it events.
//
// Until the app sends `connect`, the link posts nothing at all: an app that speaks only the
// seeds' protocol never receives anything but `appContext` strings.

export const VERSIONS = [1];
const ID = /^.{1,100}$/s;

// Whether `data` is a message of the protocol (an object with `oxidesk: 1`), as opposed to the
// seeds' strings.
export function isProtocolMessage(data) {
  return data !== null && typeof data === "object" && !Array.isArray(data) && data.oxidesk === 1;
}

export class AppLink {
  // target: the frame's window. placement: where the frame is. describe(): {app, scopes,
  // withheld}. context(): a promise of {data, token} (theme included). act(method, params): a
  // promise of the result, or a rejection with {code, message, field}. visible(): whether the
  // frame is shown now. log(direction, message): optional, for the simulator.
  constructor({ target, placement, describe, context, act, visible, log }) {
    Object.assign(this, { target, placement, describe, context, act, visible, log });
    this.origin = null; // where the app connected from: responses and events go there only
    this.version = 0;
  }

  get connected() {
    return this.version > 0;
  }

  // The frame loaded a new document: it must connect again.
  reset() {
    this.origin = null;
    this.version = 0;
  }

  post(message, origin) {
    this.log?.("out", message);
    this.target?.postMessage(message, origin);
  }

  respond(origin, id, outcome) {
    this.post({ oxidesk: 1, type: "response", id, ...outcome }, origin);
  }

  // Handles one protocol message from the app at `origin` (already checked to be the app's).
  async handle(message, origin) {
    this.log?.("in", message);
    if (message.type !== "request" || typeof message.id !== "string" || !ID.test(message.id)) return;
    if (typeof message.method !== "string") return;
    const { id, method } = message;
    const params = message.params ?? {};
    const fail = (code, text, field) =>
      this.respond(origin, id, { ok: false, error: { code, message: text, ...(field ? { field } : {}) } });
    if (method === "connect") return this.connect(origin, id, params, fail);
    if (!this.connected || origin !== this.origin) {
      return fail("not_connected", "Send connect first: {method: \"connect\", params: {versions: [1]}}");
    }
    if (params === null || typeof params !== "object" || Array.isArray(params)) {
      return fail("invalid_params", "params must be an object", "params");
    }
    try {
      const result = method === "context.get" ? await this.context() : await this.act(method, params);
      this.respond(origin, id, { ok: true, result });
    } catch (error) {
      fail(error?.code ?? "unavailable", error?.message ?? String(error), error?.field);
    }
  }

  async connect(origin, id, params, fail) {
    const asked = Array.isArray(params?.versions) ? params.versions : [];
    const common = VERSIONS.filter((v) => asked.includes(v));
    if (common.length === 0) {
      return fail(
        "unsupported_version",
        `This dashboard speaks protocol versions ${VERSIONS.join(", ")}; the app offered ${JSON.stringify(asked).slice(0, 100)}`,
        "versions",
      );
    }
    this.origin = origin;
    this.version = Math.max(...common);
    let context;
    try {
      context = await this.context();
    } catch (error) {
      this.reset();
      return fail("unavailable", `The context could not be loaded: ${error?.message ?? error}`);
    }
    this.respond(origin, id, {
      ok: true,
      result: {
        version: this.version,
        ...this.describe(),
        placement: this.placement,
        context,
        visible: Boolean(this.visible?.()),
      },
    });
  }

  // Sends an event, if the app connected.
  emit(event, data) {
    if (!this.connected) return;
    this.post({ oxidesk: 1, type: "event", event, data }, this.origin);
  }
}
