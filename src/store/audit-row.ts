// One audit log row: who asked what, where, what it planned and how it ended (src/audit records
// them). Both stores keep every row the same way: text that PostgreSQL would refuse (NUL) or that
// could grow a table without bound (a pasted 10 KB question) is made storable here, before SQL.

export interface AuditRow {
  /** Epoch ms the turn finished. */
  readonly at: number;
  readonly requestId?: string;
  /** "say" (typed) or "press" (a button). */
  readonly kind: string;
  readonly platform: string;
  /** Slack workspace, Teams tenant. */
  readonly workspace?: string;
  /** The asker's own organisation when it differs from the workspace (Slack Connect). */
  readonly org?: string;
  readonly team?: string;
  readonly channel?: string;
  /** The platform's user id. */
  readonly user?: string;
  /** The command row that ran ("ask", "schedule", "kql", "audit", …). */
  readonly command: string;
  /** The question or command as typed, nothing else of the conversation. */
  readonly question: string;
  /** "answered", "help", or an error code ("not_understood", "access_denied", "internal", …). */
  readonly outcome: string;
  /** The rule (or default policy) that decided a denial. */
  readonly decidedBy?: string;
  /** An internal failure's reference, as the log has it. */
  readonly reference?: string;
  /** The planned Azure requests, one short line each. */
  readonly requests: readonly string[];
  readonly durationMs: number;
}

/** Longest question kept (the rest is cut, marked with …). */
export const AUDIT_QUESTION_CHARS = 500;
/**
 * Longest planned-request line, and most lines, kept per row: a live window merged with its
 * baseline, filtered, sent as metrics:getBatch is about 330 characters and must keep its windows.
 */
export const AUDIT_REQUEST_CHARS = 400;
export const AUDIT_MAX_REQUESTS = 40;
/** Ids, names and codes: generous for any platform's ids, small enough for a table. */
const SHORT_CHARS = 200;

/** The row as both stores keep it: no NUL anywhere, every text within its length. */
export function storableAudit(row: AuditRow): AuditRow {
  const short = (v: string | undefined) => (v === undefined ? undefined : clipText(v, SHORT_CHARS));
  const requests = row.requests.slice(0, AUDIT_MAX_REQUESTS).map((r) => clipText(r, AUDIT_REQUEST_CHARS));
  const left = row.requests.length - requests.length;
  return dropUndefined({
    at: Math.trunc(row.at),
    requestId: short(row.requestId),
    kind: clipText(row.kind, SHORT_CHARS),
    platform: clipText(row.platform, SHORT_CHARS),
    workspace: short(row.workspace),
    org: short(row.org),
    team: short(row.team),
    channel: short(row.channel),
    user: short(row.user),
    command: clipText(row.command, SHORT_CHARS),
    question: clipText(row.question, AUDIT_QUESTION_CHARS),
    outcome: clipText(row.outcome, SHORT_CHARS),
    decidedBy: short(row.decidedBy),
    reference: short(row.reference),
    requests: left > 0 ? [...requests, `… and ${String(left)} more`] : requests,
    durationMs: Number.isFinite(row.durationMs) ? Math.max(0, Math.round(row.durationMs)) : 0,
  });
}

/** `text` without NUL (PostgreSQL refuses it in text), cut to `max` characters (whole code points) with a trailing …. */
export function clipText(text: string, max: number): string {
  const plain = text.replaceAll("\0", "");
  if (plain.length <= max) return plain;
  // a code point is at most two UTF-16 units: the first 2·max units hold the first max points
  const head = plain.slice(0, max * 2);
  const points = Array.from(head);
  if (points.length <= max && head.length === plain.length) return plain;
  return `${points.slice(0, max - 1).join("")}…`;
}

function dropUndefined(row: { [K in keyof AuditRow]: AuditRow[K] | undefined }): AuditRow {
  return Object.fromEntries(Object.entries(row).filter(([, v]) => v !== undefined)) as unknown as AuditRow;
}

/** The columns, in the order the SQL below names them. */
export const AUDIT_COLUMNS = ["at", "request_id", "kind", "platform", "workspace", "org", "team", "channel", "user_id", "command", "question", "outcome", "decided_by", "reference", "requests", "duration_ms"] as const;

/** The row's values in AUDIT_COLUMNS order (requests as a JSON array; absent parts as NULL). */
export function auditValues(row: AuditRow): (string | number | null)[] {
  return [row.at, row.requestId ?? null, row.kind, row.platform, row.workspace ?? null, row.org ?? null, row.team ?? null, row.channel ?? null, row.user ?? null, row.command, row.question, row.outcome, row.decidedBy ?? null, row.reference ?? null, JSON.stringify(row.requests), row.durationMs];
}

/** A row read back from either store. */
export function toAuditRow(r: Record<string, unknown>): AuditRow {
  const text = (v: unknown) => (typeof v === "string" ? v : undefined);
  let requests: string[] = [];
  try {
    const parsed: unknown = JSON.parse(String(r.requests));
    if (Array.isArray(parsed)) requests = parsed.map(String);
  } catch {
    // a row written by hand or cut short still lists
  }
  return dropUndefined({
    at: Number(r.at),
    requestId: text(r.request_id),
    kind: String(r.kind),
    platform: String(r.platform),
    workspace: text(r.workspace),
    org: text(r.org),
    team: text(r.team),
    channel: text(r.channel),
    user: text(r.user_id),
    command: String(r.command),
    question: String(r.question),
    outcome: String(r.outcome),
    decidedBy: text(r.decided_by),
    reference: text(r.reference),
    requests,
    durationMs: Number(r.duration_ms),
  });
}
