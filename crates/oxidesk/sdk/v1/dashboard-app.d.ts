// Types of the Oxidesk Dashboard App SDK (/sdk/v1/dashboard-app.js), protocol version 1.
// Guide: docs/dashboard-apps.md, "SDK". Message schemas: /sdk/v1/schemas/protocol.schema.json.

/** The protocol versions this SDK speaks. */
export declare const VERSIONS: number[];

/** Error codes: the dashboard's, the SDK's own, and those of a refused token. */
export type ErrorCode =
  | "not_connected" | "unsupported_version" | "unknown_method" | "missing_scope" | "invalid_params"
  | "forbidden" | "not_found" | "unavailable"
  | "timeout" | "unsupported" | "not_embedded" | "closed" | "invalid_message"
  | "unsigned" | "malformed" | "algorithm" | "issuer" | "unknown_key" | "signature" | "audience"
  | "expired" | "future" | "data_hash"
  | (string & {});

export declare class AppError extends Error {
  readonly name: "AppError";
  readonly code: ErrorCode;
  /** The parameter at fault, for `invalid_params` (e.g. `labels[1]`). */
  readonly field?: string;
  constructor(code: ErrorCode, message?: string, field?: string);
}

export type Scope =
  | "reply.insert" | "note.create" | "labels.write" | "status.write"
  | "conversation_attributes.write" | "contact_attributes.write";
export type Withheld = "message_content" | "contact_email" | "contact_phone";
export type Placement = "conversation_tab" | "conversation_sidebar" | "contact_tab";
export type ConversationStatus = "open" | "resolved" | "pending" | "snoozed";

/** What the dashboard sends about the conversation (docs/dashboard-apps.md, "The payload"). */
export interface Context {
  conversation: Conversation;
  contact: Contact;
  currentAgent: { id: number; name: string; email: string };
  customAttributes: Array<Record<string, unknown>>;
  theme: "light" | "dark";
  [key: string]: unknown;
}

export interface Conversation {
  id: number;
  account_id: number;
  inbox_id: number;
  status: ConversationStatus;
  labels: string[];
  custom_attributes: Record<string, unknown>;
  messages: Message[];
  meta: { sender: Contact; assignee?: Record<string, unknown>; team?: Record<string, unknown>; channel: string; [key: string]: unknown };
  [key: string]: unknown;
}

export interface Message {
  id: number;
  /** Absent when the administrator withholds message bodies. */
  content?: string | null;
  message_type: 0 | 1 | 2 | 3;
  private: boolean;
  created_at: number;
  [key: string]: unknown;
}

export interface Contact {
  id: number;
  name: string;
  /** Absent when withheld. */
  email?: string | null;
  /** Absent when withheld. */
  phone_number?: string | null;
  identifier?: string | null;
  additional_attributes: Record<string, unknown>;
  custom_attributes: Record<string, unknown>;
  [key: string]: unknown;
}

/** The claims of a verified context token. */
export interface Claims {
  iss: string;
  aud: string[];
  app_id: number;
  account_id: number;
  agent_id: number;
  conversation_id: number;
  contact_id: number;
  iat: number;
  exp: number;
  jti: string;
  data_sha256: string;
  [key: string]: unknown;
}

export interface SignedContext {
  data: Context;
  token: string | null;
}

export interface ConnectOptions {
  /** The Oxidesk install(s) you trust (their public URL). When set, every context is verified
   * before you see it: `connect` rejects a forged first context, and a forged update is dropped
   * and reported on "error". */
  issuer?: string | string[];
  /** The origin the token must be addressed to; default `location.origin`. */
  audience?: string;
  /** How long a request (and the handshake) may take, in ms; default 10 000. */
  timeoutMs?: number;
  /** Fall back to the seeds' protocol (`appContext` strings) when the dashboard does not answer
   * the handshake; default true. */
  seeds?: boolean;
  /** After how long without an answer to the handshake the seeds' protocol is tried; default 1 500 ms. */
  seedsAfterMs?: number;
  /** The fetch used for the JWK set; default the global `fetch`. */
  fetch?: (url: string) => Promise<{ json(): Promise<unknown> }>;
}

export interface VerifyOptions {
  issuer?: string | string[];
  audience?: string;
  /** Unix seconds; default now. */
  now?: number;
  /** Allowed clock difference, seconds; default 60. */
  leeway?: number;
  fetch?: ConnectOptions["fetch"];
}

export interface ContextInfo {
  token: string | null;
  /** The verified claims, when `connect` was given an `issuer`. */
  claims: Claims | null;
}

export interface App {
  /** 1 with the Oxidesk protocol, 0 with the seeds' protocol. */
  readonly version: number;
  readonly protocol: "oxidesk" | "seeds";
  /** The latest context (data). */
  readonly context: Context;
  /** Its signed token. */
  readonly token: string | null;
  /** Its verified claims, when `connect` was given an `issuer`. */
  readonly claims: Claims | null;
  readonly scopes: Scope[];
  readonly withheld: Withheld[];
  readonly placement: Placement;
  readonly app: { id: number; title: string } | null;
  readonly visible: boolean;
  /** The dashboard's origin (null with the seeds' protocol). */
  readonly origin: string | null;

  on(event: "context", listener: (context: Context, info: ContextInfo) => void): () => void;
  on(event: "shown" | "hidden", listener: (data: { placement: Placement }) => void): () => void;
  on(event: "error", listener: (error: AppError) => void): () => void;
  off(event: "context" | "shown" | "hidden" | "error", listener: (...args: any[]) => void): void;
  hasScope(scope: Scope): boolean;

  /** Asks for the current context, freshly signed; also announced on "context". */
  refresh(): Promise<Context>;
  /** Verifies a context (default: the current one) or a token for the current data. */
  verify(context?: SignedContext | string, options?: VerifyOptions): Promise<Claims>;
  /** A raw request (`method` from the protocol's table). */
  request<T = unknown>(method: string, params?: Record<string, unknown>): Promise<T>;

  reply: { insert(text: string): Promise<{ inserted: true }> };
  notes: { create(content: string): Promise<{ message: Record<string, unknown> }> };
  labels: {
    add(labels: string[]): Promise<{ labels: string[] }>;
    remove(labels: string[]): Promise<{ labels: string[] }>;
  };
  status: {
    set(status: ConversationStatus, options?: { snoozedUntil?: Date | number }): Promise<{ status: ConversationStatus }>;
  };
  conversation: { setAttributes(attributes: Record<string, unknown>): Promise<{ custom_attributes: Record<string, unknown> }> };
  contact: { setAttributes(attributes: Record<string, unknown>): Promise<{ custom_attributes: Record<string, unknown> }> };
  /** Stops listening; pending requests fail with `closed`. */
  close(): void;
}

export declare function connect(options?: ConnectOptions): Promise<App>;
export declare function verifyContext(context: SignedContext, options: VerifyOptions): Promise<Claims>;
export declare function canonicalize(value: unknown): string;
export declare function dataHash(data: unknown): Promise<string>;
