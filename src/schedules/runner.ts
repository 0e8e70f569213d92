// Runs one slot of one schedule exactly once: claim the (schedule, slot) row in the ledger, build
// the report from Azure Monitor, post it, record how it went. A replica that dies mid-report leaves
// a claim whose lease runs out; another replica then takes the slot over, and checks what the dead
// one may already have posted before posting anything (see delivery.ts).
import { randomUUID } from "node:crypto";
import type { LogAbsence } from "../queries/logs/log-absence.ts";
import type { QueryService } from "../queries/service.ts";
import { ConfigError } from "../app/config-error.ts";
import type { Logger } from "../log/logger.ts";
import { sharedLogger } from "../log/pino-logger.ts";
import { withRequestId } from "../log/request-context.ts";
import { keys } from "../store/keys.ts";
import type { Store } from "../store/store.ts";
import { Deliveries } from "./delivery.ts";
import { surelyUndelivered } from "./delivery-errors.ts";
import { DEFAULT_RECORD_RETRY, keepTrying, type RecordRetry } from "./keep-trying.ts";
import type { DeliveryMark, PostedRef, Posters } from "./poster.ts";
import type { Message } from "../bot/message.ts";
import { absenceReport, checkAbsence, outsideBusinessHours } from "./reports/absence.ts";
import { logAbsenceOutcome } from "./reports/log-absence.ts";
import { conditionReport, evaluateCondition, parseCondition } from "./reports/condition.ts";
import { mayAlreadyBeAbove, missedNote } from "./reports/notes.ts";
import { summaryReport } from "./reports/summary.ts";
import { describeTarget, type Schedule, type Target } from "./schedule.ts";
import type { AccessPolicy } from "../access/policy.ts";
import type { Resource } from "../queries/resources.ts";
import { audienceOf } from "./audience.ts";

/** Long enough for a slow report; short enough that a dead replica's slot is taken over soon. */
export const DEFAULT_LEASE_MS = 5 * 60_000;
/** A slot that failed before delivering anything is tried again after this (the ledger caps attempts). */
export const RETRY_FAILED_AFTER_MS = 60_000;
/** Overrides the lease (milliseconds), e.g. for a quick takeover in tests or drills. */
export const LEASE_ENV = "AOAI_RUN_LEASE_MS";

export function ledgerKey(name: string, slot: Date): string {
  return keys.run(name, slot);
}

export function leaseFromEnv(env: NodeJS.ProcessEnv): number | undefined {
  const raw = env[LEASE_ENV]?.trim();
  if (!raw) return undefined;
  const ms = Number(raw);
  if (!Number.isInteger(ms) || ms < 1) throw new ConfigError(LEASE_ENV, `${LEASE_ENV} must be a whole number of milliseconds, not "${raw}"`);
  return ms;
}

export interface RunOutcome {
  /**
   * failed: nothing was delivered (Azure error, rate limits to the end): the slot is tried again later.
   * undelivered: a post failed in a way that may still have reached people: recorded, never replayed.
   */
  readonly status: "posted" | "nothing-to-post" | "skipped" | "failed" | "undelivered";
  readonly detail: string;
  readonly reports: readonly Message[];
}

interface ConditionState {
  readonly state: "ok" | "firing";
  readonly since?: string;
  readonly checks?: number;
  readonly parents?: readonly PostedRef[];
}

export interface RunnerOptions {
  readonly store: Store;
  readonly service: QueryService;
  /** Request-log checks (log-absence schedules); without it they report that log checks are not configured. */
  readonly logAbsence?: LogAbsence;
  readonly posters: Posters;
  /** This replica's name in the ledger. */
  readonly owner?: string;
  readonly leaseMs?: number;
  readonly retryFailedAfterMs?: number;
  /** How writes of what already happened (outcomes, ledger) are retried; by default for as long as the lease. */
  readonly recordRetry?: Partial<RecordRetry>;
  readonly env?: NodeJS.ProcessEnv;
  readonly logger?: Logger;
  /** Who may read reports where (src/schedules/audience.ts); absent: every target reads everything. */
  readonly access?: AccessPolicy;
  /** Told of each run's outcome (the bot process's metrics); must not throw. */
  readonly onRun?: (schedule: Schedule, outcome: RunOutcome) => void;
}

export class ReportRunner {
  readonly owner: string;
  private readonly opts: RunnerOptions;
  private readonly leaseMs: number;
  private readonly logger: Logger;
  private readonly retry: RecordRetry;
  private readonly deliveries: Deliveries;
  /** Runs this replica claimed that have no outcome yet: a stopping process hands their leases back. */
  private readonly held = new Set<string>();

  constructor(opts: RunnerOptions) {
    this.opts = opts;
    this.owner = opts.owner ?? `replica-${randomUUID().slice(0, 8)}`;
    this.leaseMs = opts.leaseMs ?? leaseFromEnv(opts.env ?? process.env) ?? DEFAULT_LEASE_MS;
    this.logger = (opts.logger ?? sharedLogger()).child({ component: "runner", owner: this.owner });
    this.retry = { ...DEFAULT_RECORD_RETRY, forMs: Math.max(this.leaseMs, 60_000), ...opts.recordRetry };
    this.deliveries = new Deliveries(opts.store, this.owner, this.retry, this.logger);
  }

  /**
   * Claims the slot in the ledger (unless the scheduler's coordinator already did) and runs it. The
   * outcome is recorded with retries: a post that went out is never turned into "failed, try again".
   */
  async runSlot(s: Schedule, slot: Date, options: { alreadyClaimed?: boolean } = {}): Promise<RunOutcome> {
    // each run is a request of its own: its lines share one id, whatever request started the timer it fires from
    return withRequestId(async () => {
      const outcome = await this.runSlotNow(s, slot, options);
      this.opts.onRun?.(s, outcome);
      return outcome;
    });
  }

  private async runSlotNow(s: Schedule, slot: Date, options: { alreadyClaimed?: boolean }): Promise<RunOutcome> {
    const key = ledgerKey(s.name, slot);
    if (!options.alreadyClaimed) {
      const claim = await this.claim(key);
      if (!claim) return { status: "skipped", detail: "another replica has (or had) this slot", reports: [] };
    }
    let outcome: RunOutcome;
    try {
      outcome = await this.produce(s, slot, false, key);
    } catch (err) {
      // produced nothing to post, or stopped before a post whose intent it could not record
      const detail = err instanceof Error ? err.message : String(err);
      this.logger.error({ schedule: s.name, slot: slot.toISOString(), err }, "scheduled run failed before posting");
      outcome = { status: "failed", detail, reports: [] };
    }
    await this.finish(key, outcome.status === "failed" ? "failed" : "done", outcome.detail);
    return outcome;
  }

  /** The reports a slot would post, without claiming, posting or changing condition state; with none, `detail` says why. */
  async preview(s: Schedule, slot: Date): Promise<RunOutcome> {
    return this.produce(s, slot, true);
  }

  async claim(key: string): Promise<boolean> {
    const { claimed } = await this.opts.store.claimRun(key, this.owner, this.leaseMs);
    if (claimed) this.held.add(key);
    return claimed;
  }

  /**
   * Hands back the leases of runs still under way (the process is stopping and will not finish
   * them): another replica takes each slot over at its next check, after looking for what this one
   * may already have posted. Says which slots were released.
   */
  async releaseUnfinished(): Promise<string[]> {
    const released: string[] = [];
    for (const key of [...this.held]) {
      this.held.delete(key);
      if (await this.opts.store.releaseRun(key, this.owner)) released.push(key);
    }
    if (released.length > 0) this.logger.warn({ slots: released }, "stopping before these runs finished; their slots are released for another replica");
    return released;
  }

  /**
   * One note for slots that passed while no replica was running (or the store was down), instead of
   * a backlog of reports. Each slot is first claimed and recorded as missed, so no later catch-up
   * counts it again and no replica runs it late.
   */
  async postMissed(s: Schedule, missed: readonly Date[], why = "while the bot was down"): Promise<void> {
    const won: Date[] = [];
    for (const slot of missed) if (await this.claim(ledgerKey(s.name, slot))) won.push(slot);
    const first = won[0];
    const last = won.at(-1);
    if (!first || !last) return;
    const key = keys.missedRun(s.name, first);
    for (const slot of won) await this.finish(ledgerKey(s.name, slot), "done", `missed ${why}; named in ${key}`);
    if (!(await this.claim(key))) return;
    const report = missedNote(s.name, won.length, first, last, why);
    const posted = await this.postAll(s, report, { slot: key, part: 0 });
    await this.finish(key, "done", posted.detail);
  }

  private async finish(key: string, status: "done" | "failed", detail: string): Promise<void> {
    this.held.delete(key);
    await keepTrying(`record ${key} as ${status}`, () => this.opts.store.finishRun(key, this.owner, status, detail, this.opts.retryFailedAfterMs ?? RETRY_FAILED_AFTER_MS), this.retry, this.logger);
  }

  private async produce(configured: Schedule, slot: Date, dryRun: boolean, key = ledgerKey(configured.name, slot)): Promise<RunOutcome> {
    const { service } = this.opts;
    // each target reads only what its channel may see; a target denied `ask` gets nothing
    const audience = audienceOf(configured, this.opts.access);
    if (audience.refused.length > 0) this.logger.warn({ schedule: configured.name, refused: audience.refused }, "scheduled report not posted where the access rules do not allow it");
    const s = audience.schedule;
    if (s.post.length === 0 && configured.post.length > 0) return { status: "failed", detail: `not posted: ${audience.refused.join("; ")}`, reports: [] };
    const seen = audience.restricted ? await audience.resources(() => service.resources()) : undefined;
    switch (s.report.kind) {
      case "summary": {
        const reports: Message[] = [];
        // a resource showing none of its deployments is left out, unnamed
        const read: readonly (string | Resource)[] = seen?.filter((r) => r.visible === undefined || r.visible.length > 0) ?? service.configuredResourceIds;
        // read together: the same request for several accounts of a region goes as one metrics batch call
        for (const summary of await service.summaries(read, slot, s.timezone, s.report.deployments)) reports.push(summaryReport(summary));
        if (dryRun) return { status: "nothing-to-post", detail: "preview", reports };
        const results = await Promise.all(reports.map((r, part) => this.postAll(s, r, { slot: key, part })));
        return { status: combined(results), detail: results.map((r) => r.detail).join("; "), reports };
      }
      case "absence": {
        const outside = outsideBusinessHours(s.report.businessHours, slot, s.timezone);
        if (outside) return { status: "nothing-to-post", detail: outside, reports: [] };
        const named = s.report.deployment;
        if (seen && !seen.some((r) => r.deployments.some((d) => d.toLowerCase() === named.toLowerCase()))) return { status: "failed", detail: "not posted: the deployment it checks is not one its channels may see", reports: [] };
        const check = await checkAbsence(service, named, s.report.windowMinutes, slot, s.timezone, seen);
        const report = absenceReport(check);
        if (!report) return { status: "nothing-to-post", detail: `${check.deployment} had ${check.successes ?? 0} successful calls`, reports: [] };
        if (dryRun) return { status: "nothing-to-post", detail: "preview", reports: [report] };
        const r = await this.postAll(s, report, { slot: key, part: 0 });
        return { status: combined([r]), detail: `${check.state}: ${r.detail}`, reports: [report] };
      }
      case "log-absence": {
        const outside = outsideBusinessHours(s.report.businessHours, slot, s.timezone);
        if (outside) return { status: "nothing-to-post", detail: outside, reports: [] };
        const visible = seen && new Map(seen.flatMap((r) => (r.visible === undefined ? [] : [[r.id, r.visible] as const])));
        const { report, detail } = await logAbsenceOutcome(this.opts.logAbsence, seen?.map((r) => r.id) ?? service.configuredResourceIds, s.report, slot, s.timezone, s.name, visible);
        if (!report) return { status: "nothing-to-post", detail, reports: [] };
        if (dryRun) return { status: "nothing-to-post", detail: "preview", reports: [report] };
        const r = await this.postAll(s, report, { slot: key, part: 0 });
        return { status: combined([r]), detail: `${detail}: ${r.detail}`, reports: [report] };
      }
      case "condition":
        return this.condition(s, s.report.condition, slot, dryRun, key, seen);
    }
  }

  /** Starts holding → one parent message; keeps holding → the parent is edited; stops → a thread reply and the parent marked resolved. */
  private async condition(s: Schedule, text: string, slot: Date, dryRun: boolean, key: string, seen?: readonly Resource[]): Promise<RunOutcome> {
    const { service, store } = this.opts;
    const condition = parseCondition(text, await service.deployments(seen));
    const e = await evaluateCondition(condition, service, slot, s.timezone, seen);
    const stateKey = keys.scheduleState(s.name);
    const saved = JSON.parse((await store.get(stateKey)) ?? '{"state":"ok"}') as ConditionState;
    const state: ConditionState = saved.state === "firing" && (saved.parents ?? []).length === 0 ? { state: "ok" } : saved;
    const now = slot.toISOString();
    if (e.holds === null) return { status: "nothing-to-post", detail: "no data to judge the condition", reports: [] };
    if (e.holds && state.state === "ok") {
      const report = conditionReport(condition, e, "firing", now, 1, slot);
      if (dryRun) return { status: "nothing-to-post", detail: "preview", reports: [report] };
      const r = await this.postAll(s, report, { slot: key, part: 0 });
      // only a posted parent starts an episode: otherwise the next check posts it again
      if (r.refs.length > 0) await store.put(stateKey, JSON.stringify({ state: "firing", since: now, checks: 1, parents: r.refs } satisfies ConditionState));
      return { status: combined([r]), detail: `started holding: ${r.detail}`, reports: [report] };
    }
    if (e.holds && state.state === "firing") {
      const checks = (state.checks ?? 1) + 1;
      const report = conditionReport(condition, e, "still", state.since ?? now, checks, slot);
      if (dryRun) return { status: "nothing-to-post", detail: "preview", reports: [report] };
      await Promise.all((state.parents ?? []).map((ref) => this.safely(() => this.poster(ref.target)?.update(ref, report), `update ${describeTarget(ref.target)}`)));
      await store.put(stateKey, JSON.stringify({ ...state, checks } satisfies ConditionState));
      return { status: "posted", detail: `still holding (${checks} checks): parent edited`, reports: [report] };
    }
    if (!e.holds && state.state === "firing") {
      const report = conditionReport(condition, e, "resolved", state.since ?? now, state.checks ?? 1, slot);
      if (dryRun) return { status: "nothing-to-post", detail: "preview", reports: [report] };
      for (const ref of state.parents ?? []) {
        await this.safely(() => this.poster(ref.target)?.reply(ref, report), `thread reply ${describeTarget(ref.target)}`);
        await this.safely(() => this.poster(ref.target)?.update(ref, report), `update ${describeTarget(ref.target)}`);
      }
      await store.put(stateKey, JSON.stringify({ state: "ok" } satisfies ConditionState));
      return { status: "posted", detail: "resolved: thread reply and parent edited", reports: [report] };
    }
    return { status: "nothing-to-post", detail: `condition does not hold (${e.value ?? "no data"})`, reports: [] };
  }

  private async postAll(s: Schedule, report: Message, mark: DeliveryMark): Promise<Delivery> {
    const refs: PostedRef[] = [];
    const notes: string[] = [];
    let ambiguous = false;
    for (const t of s.post) {
      const poster = this.poster(t);
      if (!poster) {
        notes.push(`${describeTarget(t)}: not configured`);
        continue;
      }
      try {
        const { ref, how } = await this.deliveries.deliver(poster, t, report, mark, mayAlreadyBeAbove(s, report, slotOf(s, mark)));
        refs.push(ref);
        notes.push(`${describeTarget(t)}: ${HOW[how]} ${ref.id}`);
      } catch (err) {
        // the platform sender already retried what is safe (429s); anything else may have been delivered
        const sure = surelyUndelivered(err);
        ambiguous ||= !sure;
        notes.push(`${describeTarget(t)}: failed (${err instanceof Error ? err.message : String(err)})${sure ? "" : "; not retried, it may have been delivered"}`);
      }
    }
    return { ok: refs.length > 0, ambiguous, refs, detail: notes.join(", ") };
  }

  private poster(t: Target) {
    return this.opts.posters[t.platform];
  }

  private async safely(op: () => Promise<unknown> | undefined, what: string): Promise<void> {
    try {
      await op();
    } catch (err) {
      this.logger.warn({ what, err }, "condition follow-up failed");
    }
  }
}

interface Delivery {
  readonly ok: boolean;
  /** Some post failed in a way that may still have reached people. */
  readonly ambiguous: boolean;
  readonly refs: readonly PostedRef[];
  readonly detail: string;
}

/** Posted somewhere → posted; nothing posted and nothing possibly delivered → failed (tried again); else undelivered. */
function combined(deliveries: readonly Delivery[]): RunOutcome["status"] {
  if (deliveries.some((d) => d.ok)) return "posted";
  return deliveries.some((d) => d.ambiguous) ? "undelivered" : "failed";
}

const HOW = { posted: "posted", "already-recorded": "already posted", "found-in-channel": "already in the channel (found after a takeover):", noted: "may already be above, noted" } as const;

/** The slot a ledger key names ("<schedule>:<ISO>"); undefined for keys that are not a slot. */
function slotOf(s: Schedule, mark: DeliveryMark): Date | undefined {
  const at = keys.slotOfRun(s.name, mark.slot).getTime();
  return Number.isNaN(at) ? undefined : new Date(at);
}
