// What /readyz answers: whether this process can do its work right now. Each check is a real round
// trip (the store answers a query, Azure issued a token), bounded by a short timeout so a stalled
// dependency reads as "not ready" instead of hanging the probe, and shared by concurrent probes.
// Once the process starts stopping it is "draining": not ready whatever the probes would say.

export interface CheckResult {
  readonly ok: boolean;
  readonly detail: string;
}

export interface ReadinessReport {
  readonly ready: boolean;
  readonly checks: Readonly<Record<string, CheckResult>>;
  /** One line per failed check, for the 503 body and the operator. */
  readonly reasons: readonly string[];
  /** The process is stopping: it finishes what it accepted and takes nothing new. */
  readonly draining?: boolean;
}

/** A named probe: resolves with a short description when healthy, rejects otherwise. */
export type Probe = () => Promise<string>;
/** A probe of a named thing: its failures (timeouts included) start with `subject`, e.g. "PostgreSQL: …". */
export interface SubjectProbe {
  readonly subject: string;
  readonly probe: Probe;
}

export const READINESS_TIMEOUT_MS = 2_000;

export class Readiness {
  private readonly probes: ReadonlyMap<string, SubjectProbe | Probe>;
  private readonly timeoutMs: number;
  private readonly inFlight = new Map<string, Promise<CheckResult>>();
  /** Set once the process starts stopping: says what it is still finishing. */
  private draining: (() => string) | undefined;

  constructor(probes: Readonly<Record<string, SubjectProbe | Probe>>, timeoutMs = READINESS_TIMEOUT_MS) {
    this.probes = new Map(Object.entries(probes));
    this.timeoutMs = timeoutMs;
  }

  /**
   * From now on not ready, whatever the probes say (they are not run: the store is about to close):
   * the orchestrator sends nothing new while in-flight work finishes. `detail` says what that is.
   */
  drain(detail: () => string): void {
    this.draining = detail;
  }

  async report(): Promise<ReadinessReport> {
    if (this.draining) {
      const detail = `draining: ${this.draining()}`;
      return { ready: false, draining: true, checks: { accepting: { ok: false, detail } }, reasons: [`accepting: ${detail}`] };
    }
    const names = [...this.probes.keys()];
    const results = await Promise.all(names.map((name) => this.check(name)));
    const checks = Object.fromEntries([["accepting", { ok: true, detail: "accepting requests" }], ...names.map((name, i) => [name, results[i] ?? { ok: false, detail: "not checked" }])]) as Record<string, CheckResult>;
    const reasons = names.flatMap((name) => (checks[name]?.ok === false ? [`${name}: ${checks[name].detail}`] : []));
    return { ready: reasons.length === 0, checks, reasons };
  }

  private check(name: string): Promise<CheckResult> {
    const running = this.inFlight.get(name);
    if (running) return running;
    const entry = this.probes.get(name);
    if (!entry) return Promise.resolve({ ok: false, detail: "no such check" });
    const { subject, probe } = typeof entry === "function" ? { subject: undefined, probe: entry } : entry;
    const result = withTimeout(probe(), this.timeoutMs).then(
      (detail): CheckResult => ({ ok: true, detail }),
      (err: unknown): CheckResult => {
        const why = err instanceof Error ? err.message.split("\n")[0] || err.name : String(err);
        return { ok: false, detail: subject === undefined ? why : `${subject}: ${why}` };
      },
    );
    const shared = result.finally(() => {
      this.inFlight.delete(name);
    });
    this.inFlight.set(name, shared);
    return shared;
  }
}

function withTimeout(work: Promise<string>, ms: number): Promise<string> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      reject(new Error(`no answer within ${ms} ms`));
    }, ms);
  });
  return Promise.race([work, timeout]).finally(() => {
    clearTimeout(timer);
  });
}
