// The bot process's Prometheus metrics (prom-client), served on GET /metrics (metrics-route.ts).
// One Registry per process, never prom-client's global one: tests run several bot processes in one
// worker, and each must count only its own. Label values come from fixed sets (platforms, command
// rows, error codes, API names, HTTP statuses): never a user, a channel or a question.
import { collectDefaultMetrics, Counter, Histogram, Registry } from "prom-client";
import type { Delivery } from "../adapters/delivery-observer.ts";
import type { AzureRequest } from "../app/azure-requests.ts";
import type { Turn } from "../bot/conversation.ts";
import type { RunOutcome } from "../schedules/runner.ts";
import type { Schedule } from "../schedules/schedule.ts";

/** Seconds; a question waits on Azure (a few hundred ms to tens of seconds), a request is one round trip. */
const QUESTION_BUCKETS = [0.1, 0.25, 0.5, 1, 2, 3, 5, 10, 20, 30, 60];
const REQUEST_BUCKETS = [0.025, 0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 20];

export class BotMetrics {
  readonly registry = new Registry();
  private readonly questions: Counter<"platform" | "command" | "outcome">;
  private readonly questionSeconds: Histogram<"platform" | "command">;
  private readonly azureRequests: Counter<"api" | "status">;
  private readonly azureSeconds: Histogram<"api">;
  private readonly deliveries: Counter<"platform" | "outcome">;
  private readonly scheduleRuns: Counter<"schedule_kind" | "outcome">;
  private readonly cacheHits: Counter<"cache">;

  constructor() {
    const registers = [this.registry];
    collectDefaultMetrics({ register: this.registry });
    this.questions = new Counter({ name: "aoai_questions_total", help: "Turns answered (questions, commands, button presses), by platform, command and outcome (answered, help, or the error's code).", labelNames: ["platform", "command", "outcome"], registers });
    this.questionSeconds = new Histogram({ name: "aoai_question_duration_seconds", help: "Time from a turn's text to its message, by platform and command.", labelNames: ["platform", "command"], buckets: QUESTION_BUCKETS, registers });
    this.azureRequests = new Counter({ name: "aoai_azure_requests_total", help: "HTTP requests to Azure, by API and HTTP status (\"error\": no answer); api=\"token\" counts token requests, status \"ok\" or \"error\".", labelNames: ["api", "status"], registers });
    this.azureSeconds = new Histogram({ name: "aoai_azure_request_duration_seconds", help: "Time of one Azure request, by API.", labelNames: ["api"], buckets: REQUEST_BUCKETS, registers });
    this.deliveries = new Counter({ name: "aoai_deliveries_total", help: "Sends to chat platforms (posts, updates, uploads, replies; retries included), by platform and outcome.", labelNames: ["platform", "outcome"], registers });
    this.scheduleRuns = new Counter({ name: "aoai_schedule_runs_total", help: "Scheduled report runs, by report kind and outcome.", labelNames: ["schedule_kind", "outcome"], registers });
    this.cacheHits = new Counter({ name: "aoai_cache_hits_total", help: "Azure reads answered from this process's cache (or shared with an identical one in flight) instead of a new request, by cache: metrics, definitions, deployments, dimension-values.", labelNames: ["cache"], registers });
  }

  /** A Conversation TurnObserver. */
  readonly turn = (turn: Turn): void => {
    const { platform } = turn.place;
    this.questions.inc({ platform, command: turn.command, outcome: turn.message.trace?.outcome ?? turn.message.kind });
    this.questionSeconds.observe({ platform, command: turn.command }, turn.durationMs / 1000);
  };

  readonly azureRequest = (request: AzureRequest): void => {
    this.azureRequests.inc({ api: request.api, status: request.status });
    this.azureSeconds.observe({ api: request.api }, request.seconds);
  };

  readonly delivery = (delivery: Delivery): void => {
    this.deliveries.inc({ platform: delivery.platform, outcome: delivery.outcome });
  };

  readonly scheduleRun = (schedule: Schedule, outcome: RunOutcome): void => {
    this.scheduleRuns.inc({ schedule_kind: schedule.report.kind, outcome: outcome.status });
  };

  /** The query layer's caches report here (AzureMetrics' `cache.onHit`). */
  readonly cacheHit = (cache: string): void => {
    this.cacheHits.inc({ cache });
  };

  /** The Prometheus text exposition of every metric. */
  text(): Promise<string> {
    return this.registry.metrics();
  }

  get contentType(): string {
    return this.registry.contentType;
  }
}
