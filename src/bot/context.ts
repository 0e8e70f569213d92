// What a conversation last asked, so "what about yesterday?" changes that question instead of being
// read from scratch. Kept in the store, so a follow-up answered by another replica still has it.
//
// Scope: one person in one conversation: a Slack thread, a Slack DM or slash-command channel, a Teams
// chat or channel reply chain, a console session. Per person, because two people asking in the same
// thread at once must not turn each other's "now 7d" into a question about something else.
import type { Question } from "../queries/question.ts";
import type { Logger } from "../log/logger.ts";
import { keys } from "../store/keys.ts";
import type { Store } from "../store/store.ts";
import type { Place } from "./asker.ts";
import { readQuestion } from "./context-question.ts";

/**
 * A follow-up comes while the earlier answer is still on screen; after half an hour "what about
 * yesterday?" more likely starts something new, and answering it about a forgotten question would
 * be a silent substitute. Past this, the follow-up gets "ask a full question first".
 */
export const CONTEXT_TTL_MS = 30 * 60_000;
/**
 * How long an answer waits for its context to be written: long enough that the next message finds
 * it (a healthy store writes in milliseconds), short enough that a stalled store does not hold the
 * answer up; a slower write finishes (or fails, logged) on its own.
 */
export const CONTEXT_WRITE_WAIT_MS = 250;
/** Bumped when the record's shape changes: older records are then ignored, not misread. */
const RECORD_VERSION = 1;
/** Every this many remembered questions, expired records are deleted (the store's values never expire by themselves). */
const SWEEP_EVERY = 200;
/** At most this many records are read per sweep, so a sweep stays a small, bounded cost. */
const SWEEP_LIMIT = 500;

interface ContextRecord {
  readonly v: number;
  /** Epoch ms when it was written. */
  readonly at: number;
  readonly question: Question;
}

export interface ContextOptions {
  readonly ttlMs?: number;
  /** Epoch ms; tests move it on. */
  readonly clock?: () => number;
  readonly logger?: Logger;
}

export class ConversationContexts {
  private readonly store: Store;
  private readonly ttlMs: number;
  private readonly clock: () => number;
  private readonly logger: Logger | undefined;
  private remembered = 0;

  constructor(store: Store, options: ContextOptions = {}) {
    this.store = store;
    this.ttlMs = options.ttlMs ?? CONTEXT_TTL_MS;
    this.clock = options.clock ?? Date.now;
    this.logger = options.logger;
  }

  /** The place's last question, unless there is none, it expired, or the record does not read as one. */
  async recall(place: Place): Promise<Question | undefined> {
    const key = contextKey(place);
    if (key === undefined) return undefined;
    let raw: string | undefined;
    try {
      raw = await this.store.get(key);
    } catch (err) {
      // without the store a follow-up is answered as "ask a full question", not as an error
      this.logger?.warn({ err }, "store unavailable, follow-up context not read");
      return undefined;
    }
    return raw === undefined ? undefined : this.read(raw);
  }

  /** Makes `question` the place's context; a store failure only costs the next follow-up its context. */
  async remember(place: Place, question: Question): Promise<void> {
    const key = contextKey(place);
    if (key === undefined) return;
    const record: ContextRecord = { v: RECORD_VERSION, at: this.clock(), question };
    const written = this.write(key, JSON.stringify(record));
    let timer: NodeJS.Timeout | undefined;
    const waited = new Promise<void>((resolve) => (timer = setTimeout(resolve, CONTEXT_WRITE_WAIT_MS)));
    await Promise.race([written, waited]);
    clearTimeout(timer);
  }

  /** Never rejects: the outcome is logged. */
  private async write(key: string, value: string): Promise<void> {
    try {
      await this.store.put(key, value);
      if (++this.remembered % SWEEP_EVERY === 0) await this.sweep();
    } catch (err) {
      this.logger?.warn({ err }, "store unavailable, follow-up context not kept");
    }
  }

  /** Deletes expired and unreadable records (bounded, best effort). */
  async sweep(): Promise<number> {
    let deleted = 0;
    for (const key of (await this.store.keys(keys.conversationContextPrefix)).slice(0, SWEEP_LIMIT)) {
      const raw = await this.store.get(key);
      if (raw !== undefined && this.read(raw) !== undefined) continue;
      await this.store.delete(key);
      deleted++;
    }
    return deleted;
  }

  private read(raw: string): Question | undefined {
    let record: unknown;
    try {
      record = JSON.parse(raw);
    } catch {
      return undefined;
    }
    if (typeof record !== "object" || record === null) return undefined;
    const { v, at, question } = record as Partial<Record<keyof ContextRecord, unknown>>;
    if (v !== RECORD_VERSION || typeof at !== "number" || !Number.isFinite(at)) return undefined;
    const age = this.clock() - at;
    // a record from the future (a clock skewed between replicas by more than the TTL) is as stale as an old one
    if (age >= this.ttlMs || age < -this.ttlMs) return undefined;
    return readQuestion(question);
  }
}

/**
 * The store key of a place's context; undefined where there is no conversation to follow (the `aoai`
 * CLI asks one question per run, scheduled reports ask none).
 */
export function contextKey(place: Place): string | undefined {
  if (place.channel === undefined && place.thread === undefined) return undefined;
  return keys.conversationContext(place.platform, place.workspace ?? "", place.channel ?? "", place.thread ?? "", place.user ?? "");
}
