// What /readyz answers: whether this process can do its work right now. Each check is a real round
// trip (the store answers a query, Azure issued a token), bounded by a short timeout so a stalled
// dependency reads as "not ready" instead of hanging the probe, and shared by concurrent probes.

export interface CheckResult {
  readonly ok: boolean;
  readonly detail: string;
}

export interface ReadinessReport {
  readonly ready: boolean;
  readonly checks: Readonly<Record<string, CheckResult>>;
  /** One line per failed check, for the 503 body and the operator. */
  readonly reasons: readonly string[];
}

/** A named probe: resolves with a short description when healthy, rejects otherwise. */
export type Probe = () => Promise<string>;

export const READINESS_TIMEOUT_MS = 2_000;

export class Readiness {
  private readonly probes: ReadonlyMap<string, Probe>;
  private readonly timeoutMs: number;
  private readonly inFlight = new Map<string, Promise<CheckResult>>();

  constructor(probes: Readonly<Record<string, Probe>>, timeoutMs = READINESS_TIMEOUT_MS) {
    this.probes = new Map(Object.entries(probes));
    this.timeoutMs = timeoutMs;
  }

  async report(): Promise<ReadinessReport> {
    const names = [...this.probes.keys()];
    const results = await Promise.all(names.map((name) => this.check(name)));
    const checks = Object.fromEntries(names.map((name, i) => [name, results[i] ?? { ok: false, detail: "not checked" }]));
    const reasons = names.flatMap((name) => (checks[name]?.ok === false ? [`${name}: ${checks[name].detail}`] : []));
    return { ready: reasons.length === 0, checks, reasons };
  }

  private check(name: string): Promise<CheckResult> {
    const running = this.inFlight.get(name);
    if (running) return running;
    const probe = this.probes.get(name);
    if (!probe) return Promise.resolve({ ok: false, detail: "no such check" });
    const result = withTimeout(probe(), this.timeoutMs).then(
      (detail): CheckResult => ({ ok: true, detail }),
      (err: unknown): CheckResult => ({ ok: false, detail: err instanceof Error ? err.message.split("\n")[0] || err.name : String(err) }),
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
