// Runs one slot of one schedule exactly once: claim the (schedule, slot) row in the ledger, build
// the report from Azure Monitor, post it, record how it went. A replica that dies mid-report leaves
// a claim whose lease runs out; another replica then takes the slot over.
import { randomUUID } from "node:crypto";
import type { QueryService } from "../queries/service.ts";
import type { Store } from "../store/store.ts";
import type { PostedRef, Posters } from "./poster.ts";
import type { Report } from "./report.ts";
import { absenceReport, checkAbsence, withinBusinessHours } from "./reports/absence.ts";
import { conditionReport, evaluateCondition, parseCondition } from "./reports/condition.ts";
import { summaryReport } from "./reports/summary.ts";
import { describeTarget, type Schedule, type Target } from "./schedule.ts";

/** Long enough for a slow report; short enough that a dead replica's slot is taken over soon. */
export const DEFAULT_LEASE_MS = 5 * 60_000;
/** A slot that failed before delivering anything is tried again after this (the ledger caps attempts). */
export const RETRY_FAILED_AFTER_MS = 60_000;

export function ledgerKey(name: string, slot: Date): string {
  return `${name}:${slot.toISOString()}`;
}

export interface RunOutcome {
  /**
   * failed: nothing was delivered (Azure error, rate limits to the end): the slot is tried again later.
   * undelivered: a post failed in a way that may still have reached people: recorded, never replayed.
   */
  readonly status: "posted" | "nothing-to-post" | "skipped" | "failed" | "undelivered";
  readonly detail: string;
  readonly reports: readonly Report[];
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
  readonly posters: Posters;
  /** This replica's name in the ledger. */
  readonly owner?: string;
  readonly leaseMs?: number;
  readonly retryFailedAfterMs?: number;
  readonly log?: (message: string) => void;
}

export class ReportRunner {
  readonly owner: string;
  private readonly opts: RunnerOptions;
  private readonly leaseMs: number;
  private readonly log: (m: string) => void;

  constructor(opts: RunnerOptions) {
    this.opts = opts;
    this.owner = opts.owner ?? `replica-${randomUUID().slice(0, 8)}`;
    this.leaseMs = opts.leaseMs ?? DEFAULT_LEASE_MS;
    this.log = opts.log ?? ((m) => process.stderr.write(`${m}\n`));
  }

  /** Claims the slot in the ledger (unless the scheduler's coordinator already did) and runs it. */
  async runSlot(s: Schedule, slot: Date, options: { alreadyClaimed?: boolean } = {}): Promise<RunOutcome> {
    const key = ledgerKey(s.name, slot);
    if (!options.alreadyClaimed) {
      const claim = await this.claim(key);
      if (!claim) return { status: "skipped", detail: "another replica has (or had) this slot", reports: [] };
    }
    try {
      const outcome = await this.produce(s, slot, false);
      await this.opts.store.finishRun(key, this.owner, outcome.status === "failed" ? "failed" : "done", outcome.detail, this.opts.retryFailedAfterMs ?? RETRY_FAILED_AFTER_MS);
      return outcome;
    } catch (err) {
      const detail = err instanceof Error ? err.message : String(err);
      this.log(`schedule ${s.name} slot ${slot.toISOString()} failed: ${detail}`);
      await this.opts.store.finishRun(key, this.owner, "failed", detail, this.opts.retryFailedAfterMs ?? RETRY_FAILED_AFTER_MS);
      return { status: "failed", detail, reports: [] };
    }
  }

  /** The reports a slot would post, without claiming, posting or changing condition state. */
  async preview(s: Schedule, slot: Date): Promise<Report[]> {
    return [...(await this.produce(s, slot, true)).reports];
  }

  async claim(key: string): Promise<boolean> {
    return (await this.opts.store.claimRun(key, this.owner, this.leaseMs)).claimed;
  }

  /** One note for slots that passed while no replica was running, instead of a backlog of reports. */
  async postMissed(s: Schedule, missed: readonly Date[]): Promise<void> {
    const first = missed[0];
    const last = missed.at(-1);
    if (!first || !last) return;
    const key = `${s.name}:missed:${first.toISOString()}`;
    if (!(await this.claim(key))) return;
    const report: Report = {
      kind: "missed",
      title: `${s.name}: ${missed.length} scheduled report${missed.length === 1 ? "" : "s"} missed while the bot was down`,
      status: "warning",
      lines: [`From ⟦${first.toISOString()}⟧ to ⟦${last.toISOString()}⟧. They are not sent late; the next one runs on schedule.`],
      footnotes: [],
    };
    const posted = await this.postAll(s.post, report);
    await this.opts.store.finishRun(key, this.owner, "done", posted.detail);
  }

  private async produce(s: Schedule, slot: Date, dryRun: boolean): Promise<RunOutcome> {
    const { service } = this.opts;
    switch (s.report.kind) {
      case "summary": {
        const reports: Report[] = [];
        for (const id of service.configuredResourceIds) reports.push(summaryReport(await service.summary(id, slot, s.timezone, s.report.deployments)));
        if (dryRun) return { status: "nothing-to-post", detail: "preview", reports };
        const results = await Promise.all(reports.map((r) => this.postAll(s.post, r)));
        return { status: combined(results), detail: results.map((r) => r.detail).join("; "), reports };
      }
      case "absence": {
        if (!withinBusinessHours(s.report.businessHours, slot, s.timezone)) return { status: "nothing-to-post", detail: "outside business hours", reports: [] };
        const check = await checkAbsence(service, s.report.deployment, s.report.windowMinutes, slot, s.timezone);
        const report = absenceReport(check);
        if (!report) return { status: "nothing-to-post", detail: `${check.deployment} had ${check.successes ?? 0} successful calls`, reports: [] };
        if (dryRun) return { status: "nothing-to-post", detail: "preview", reports: [report] };
        const r = await this.postAll(s.post, report);
        return { status: combined([r]), detail: `${check.state}: ${r.detail}`, reports: [report] };
      }
      case "condition":
        return this.condition(s, s.report.condition, slot, dryRun);
    }
  }

  /** Starts holding → one parent message; keeps holding → the parent is edited; stops → a thread reply and the parent marked resolved. */
  private async condition(s: Schedule, text: string, slot: Date, dryRun: boolean): Promise<RunOutcome> {
    const { service, store } = this.opts;
    const condition = parseCondition(text, await service.deployments());
    const e = await evaluateCondition(condition, service, slot, s.timezone);
    const stateKey = `schedule-state:${s.name}`;
    const saved = JSON.parse((await store.get(stateKey)) ?? '{"state":"ok"}') as ConditionState;
    const state: ConditionState = saved.state === "firing" && (saved.parents ?? []).length === 0 ? { state: "ok" } : saved;
    const now = slot.toISOString();
    if (e.holds === null) return { status: "nothing-to-post", detail: "no data to judge the condition", reports: [] };
    if (e.holds && state.state === "ok") {
      const report = conditionReport(condition, e, "firing", now, 1, slot);
      if (dryRun) return { status: "nothing-to-post", detail: "preview", reports: [report] };
      const r = await this.postAll(s.post, report);
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

  private async postAll(targets: readonly Target[], report: Report): Promise<Delivery> {
    const refs: PostedRef[] = [];
    const notes: string[] = [];
    let ambiguous = false;
    for (const t of targets) {
      const poster = this.poster(t);
      if (!poster) {
        notes.push(`${describeTarget(t)}: not configured`);
        continue;
      }
      try {
        const ref = await poster.post(t, report);
        refs.push(ref);
        notes.push(`${describeTarget(t)}: posted ${ref.id}`);
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
      this.log(`${what} failed: ${err instanceof Error ? err.message : String(err)}`);
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

/** Rate limits and missing Teams conversations are refusals: the message certainly did not go out. */
function surelyUndelivered(err: unknown): boolean {
  if (typeof err !== "object" || err === null) return false;
  const e = err as { code?: unknown; status?: unknown; message?: unknown };
  return e.code === "slack_webapi_rate_limited_error" || e.status === 429 || (typeof e.message === "string" && e.message.startsWith("no stored Teams conversation"));
}
