// A finished conversation turn as its audit row: who, where, the question as typed (secrets
// scrubbed, cut to length), the outcome and planned requests the message's trace carries. Nothing
// else of the conversation (the answer's text, figures or rows) is kept.
import type { Turn } from "../bot/conversation.ts";
import type { Message } from "../bot/message.ts";
import { scrub } from "../log/redact.ts";
import { AUDIT_QUESTION_CHARS, clipText, type AuditRow } from "../store/audit-row.ts";

/** Outcomes of messages that no Reply made (schedule notices, usage): read from the message itself. */
const OUTCOME_OF_KIND: Readonly<Record<Message["kind"], string>> = { answer: "answered", notice: "answered", report: "answered", working: "answered", help: "help", error: "error" };
/** A notice that warns told the person what was wrong without doing it ("schedule daily 25:00"). */
const DECLINED = "declined";
/** Scrubbed before the cut, so a token straddling the cut is still found; bounded, so a 1 MB paste is not scanned whole. */
const SCRUB_WINDOW = AUDIT_QUESTION_CHARS * 4;

export function auditRowOf(turn: Turn, at: number, secrets: readonly string[] = []): AuditRow {
  const { place, message: m } = turn;
  const trace = m.trace;
  const outcome = trace?.outcome ?? (m.kind === "notice" && m.tone === "warning" ? DECLINED : OUTCOME_OF_KIND[m.kind]);
  return {
    at,
    ...(turn.requestId === undefined ? {} : { requestId: turn.requestId }),
    kind: turn.kind,
    platform: place.platform,
    ...(place.workspace === undefined ? {} : { workspace: place.workspace }),
    ...(place.org === undefined || place.org === place.workspace ? {} : { org: place.org }),
    ...(place.team === undefined ? {} : { team: place.team }),
    ...(place.channel === undefined ? {} : { channel: place.channel }),
    ...(place.user === undefined ? {} : { user: place.user }),
    command: turn.command,
    question: clipText(scrub(turn.text.slice(0, SCRUB_WINDOW), secrets), AUDIT_QUESTION_CHARS),
    outcome,
    // the rule (or default policy) that allowed or refused the turn
    decidedBy: trace?.decidedBy ?? turn.access.decidedBy,
    ...(m.reference === undefined ? {} : { reference: m.reference }),
    requests: (trace?.requests ?? []).map((r) => scrub(r, secrets)),
    durationMs: turn.durationMs,
  };
}
