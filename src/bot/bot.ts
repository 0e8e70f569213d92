// Questions about the deployments: text in, Reply out (the "ask" command behind the one conversation
// entry, conversation.ts). It never throws: people get an answer, a clear error, or (for our own
// bugs) an apology with a reference to find the log line.
import { randomUUID } from "node:crypto";
import { NotUnderstoodError, PercentileNotAvailableError, UserError } from "../queries/errors.ts";
import type { MetricsRequest } from "../queries/plan.ts";
import type { QueryAnswer } from "../queries/result.ts";
import type { ArmRequest, LogsRequest, TableAnswer } from "../queries/table-answer.ts";
import type { TableQueries } from "../queries/table-queries.ts";
import type { TableQuestion } from "../queries/table-questions.ts";
import type { Dimension } from "../queries/catalog.ts";
import type { Question, WindowSpec } from "../queries/question.ts";
import type { Resource } from "../queries/resources.ts";
import type { QueryService } from "../queries/service.ts";
import type { Asker } from "./asker.ts";
import { EXAMPLES } from "./examples.ts";
import { followUpWindow, type FollowUp } from "./follow-up.ts";
import { parse, type ParseContext } from "./parse.ts";
import { DEFAULT_VERDICT, verdictFor, type VerdictThresholds } from "./verdict.ts";
import { UnreadTimeError } from "./unread-words.ts";
import { CannotAnswerYetError } from "./unsupported.ts";
import type { ActivityMention, ErrorReply, Reply } from "./reply.ts";
import { replyWithin } from "./reply-within.ts";
import { activityLine, sharplyChanged } from "./sharp-change.ts";
import { isTableQuestion } from "./table-parse.ts";
import type { Logger } from "../log/logger.ts";
import { sharedLogger } from "../log/pino-logger.ts";
import { closest } from "../queries/deployments.ts";
import { UnknownDeploymentError } from "../queries/errors.ts";
import { EVERYTHING, restrictResources, type AccessScope } from "../queries/scope.ts";
import { neededFor, type TurnAccess } from "./turn-access.ts";

/** What a person asked (a metric question, or one answered with a table), who asked, and the resources (with deployments) it was understood against. */
export interface Understood {
  readonly question: Question | TableQuestion;
  readonly asker?: Asker;
  /** Planning reuses these, so a question looks deployments up once. */
  readonly resources: readonly Resource[];
}

/** A sharp change's activity-log lookup holds the answer up for at most this long (it is one line, not the answer). */
export const ACTIVITY_WAIT_MS = 3000;

/** Failures of a log question that `doctor` explains: nowhere to read logs from, or no right to read them. */
const PREREQUISITE_FAILURES: ReadonlySet<string> = new Set(["no_log_workspace", "logs_access_denied", "logs_workspace_not_found", "azure_access_denied"]);
/** The automatic prerequisites check holds a failed log answer up for at most this long. */
export const DOCTOR_WAIT_MS = 8000;

/** A table question (logs, activity log, quota, `doctor`) asked of a bot built without them. */
export class TablesNotConfiguredError extends UserError {
  readonly code = "tables_not_configured";

  constructor() {
    super("Logs, the activity log and quota are not configured on this bot.", { hint: "Metric questions still work, e.g. \"latency\" or \"429s by deployment last hour\"; whoever runs the bot can turn the rest on.", examples: ["latency", "429s by deployment last hour", "errors by status code today"] });
  }
}

export interface BotOptions {
  /** The configuration's thresholds for health questions' verdict line (and what a sharp change is). */
  readonly verdict?: VerdictThresholds;
  /** Resource logs, the activity log, quota and `doctor`; without it those questions say they are not configured. */
  readonly tables?: TableQueries;
}

export class Bot {
  private readonly queries: QueryService;
  private readonly logger: Logger;
  private readonly verdict: VerdictThresholds;
  private readonly tables: TableQueries | undefined;
  /** What this view may see and do (Bot.within); absent: everything, as the bot itself. */
  private readonly access: TurnAccess | undefined;

  constructor(queries: QueryService, logger: Logger = sharedLogger(), options: BotOptions = {}, access?: TurnAccess) {
    this.queries = queries;
    this.logger = logger;
    this.verdict = options.verdict ?? DEFAULT_VERDICT;
    this.tables = options.tables;
    this.access = access;
  }

  /**
   * The same bot for one turn of one asker: it reads only the resources and deployments the grant's
   * scope shows (questions, suggestions, help, answers of pressed buttons, doctor) and refuses what
   * the grant does not allow once a question's kind is known.
   */
  within(access: TurnAccess): Bot {
    return new Bot(this.queries, this.logger, { verdict: this.verdict, ...(this.tables ? { tables: this.tables } : {}) }, access);
  }

  /** The scope this view reads with. */
  get scope(): AccessScope {
    return this.access?.grant.scope ?? EVERYTHING;
  }

  /** The configured resources as this view may see them: the only way the bot reads them. */
  async resources(): Promise<Resource[]> {
    const all = await this.queries.resources();
    return this.access ? restrictResources(all, this.access.grant.scope) : all;
  }

  /** Text → what the person asked, or the reply explaining why it can't be asked. */
  async understand(text: string, asker?: Asker): Promise<Understood | { reply: Reply }> {
    // a grant that allows nothing gets nothing, help included (it lists deployments)
    if (this.access?.grant.allows.size === 0) return { reply: this.failure(this.access.deny("ask"), text) };
    // help and questions refused on their wording must not wait for (or fail on) Azure
    let unreachable: unknown;
    const resources = await this.resources().catch((err: unknown) => {
      unreachable = err;
      return [];
    });
    const deployments = await this.queries.deployments(resources);
    try {
      const parsed = parse(text, { deployments, facts: resources.flatMap((r) => r.facts ?? []) });
      if (parsed.kind === "help") return { reply: { kind: "help", examples: EXAMPLES, deployments } };
      const refused = this.refusal(parsed.question);
      if (refused) return { reply: refused };
      if (unreachable !== undefined) return { reply: this.failure(unreachable, text) };
      return { question: parsed.question, ...(asker ? { asker } : {}), resources };
    } catch (err) {
      return { reply: this.failure(unreachable !== undefined && !(err instanceof PercentileNotAvailableError) && !(err instanceof NotUnderstoodError) && !(err instanceof CannotAnswerYetError) && !(err instanceof UnreadTimeError) ? unreachable : err, text) };
    }
  }

  /** The resources and deployment names questions are read against (a follow-up's parts are read against the same); none when Azure can't be reached. */
  async vocabulary(): Promise<{ readonly resources: readonly Resource[]; readonly context: ParseContext }> {
    const resources = await this.resources().catch((): Resource[] => []);
    return { resources, context: { deployments: await this.queries.deployments(resources), facts: resources.flatMap((r) => r.facts ?? []) } };
  }

  async ask(text: string, asker?: Asker, now?: Date): Promise<Reply> {
    const understood = await this.understand(text, asker);
    if ("reply" in understood) return understood.reply;
    return this.answer(understood.question, now, understood.resources);
  }

  /** The same question with another window or split: what the buttons under an answer do. */
  async reask(text: string, change: { readonly window?: WindowSpec; readonly splitBy?: Dimension }, asker?: Asker, now?: Date): Promise<Reply> {
    const understood = await this.understand(text, asker);
    if ("reply" in understood) return understood.reply;
    const q = understood.question;
    // a table has no split: only its window changes
    if (isTableQuestion(q)) return this.answer(change.window ? { ...q, window: change.window } : q, now, understood.resources);
    return this.answer({ ...q, ...(change.window ? { window: change.window } : {}), ...(change.splitBy ? { splitBy: change.splitBy } : {}) }, now, understood.resources);
  }

  /** What a button under an answer asked for. */
  async followUp(f: FollowUp, asker?: Asker): Promise<Reply> {
    switch (f.kind) {
      case "window": {
        let window: WindowSpec;
        try {
          window = followUpWindow(f);
        } catch (err) {
          return this.failure(err, f.text);
        }
        return this.reask(f.text, { window }, asker);
      }
      case "split":
        return this.reask(f.text, { splitBy: "ModelDeploymentName" }, asker);
      case "refresh":
      case "ask":
      case "share":
        return this.ask(f.text, asker);
    }
  }

  /** `resources`: those the question was understood against (see understand), so deployments are not looked up again. */
  async answer(question: Question | TableQuestion, now?: Date, resources?: readonly Resource[]): Promise<Reply> {
    if (isTableQuestion(question)) return this.answerTable(question, now, resources);
    try {
      const refused = this.refusal(question);
      if (refused) return refused;
      // a pressed button carries its question: read against this view's resources, never all of them
      const seen = resources ?? (await this.resources());
      this.checkNamed(question.filters.ModelDeploymentName ?? [], seen);
      this.checkNamed(question.verdict?.focus ?? [], seen);
      const answer = await this.queries.answer(question, now, undefined, seen);
      const activity = await this.activityFor(answer, seen);
      return { kind: "answer", question, answer, ...verdictFor(question, answer, seen, this.verdict), ...(activity ? { activity } : {}) };
    } catch (err) {
      return this.failure(err, question.topic);
    }
  }

  /** Resource logs, raw KQL, the activity log or quota, answered with a table. */
  async answerTable(question: TableQuestion, now?: Date, resources?: readonly Resource[]): Promise<Reply> {
    try {
      const refused = this.refusal(question);
      if (refused) return refused;
      if (!this.tables) throw new TablesNotConfiguredError();
      const seen = resources ?? (await this.resources());
      if (question.kind !== "kql") this.checkNamed(question.deployments, seen);
      const answer = await this.tables.answer(question, seen, now);
      return { kind: "table", question, answer };
    } catch (err) {
      return (await this.withDoctor(err, question)) ?? this.failure(err, question.topic);
    }
  }

  /**
   * A log question that failed because a prerequisite is missing (no workspace, no read access) is
   * answered with what failed and the `doctor` table, so the person sees everything to fix at once.
   */
  private async withDoctor(err: unknown, question: TableQuestion): Promise<Reply | undefined> {
    if (!this.tables || !(err instanceof UserError) || !PREREQUISITE_FAILURES.has(err.code)) return undefined;
    const checked = await replyWithin(this.checkPrerequisites(this.tables).catch(() => undefined), DOCTOR_WAIT_MS);
    if (checked === undefined) return undefined;
    const said = [`⚠️ ${err.message}`, ...(err.hint === undefined ? [] : [err.hint])];
    return { kind: "table", question, answer: { ...checked, topic: `${question.topic}: a prerequisite is missing`, lines: [...said, "`doctor` checked what this bot needs:", ...checked.lines] } };
  }

  /** The requests `answerTable` would send (`aoai ask --plan`); throws what `answerTable` would say. */
  async planTable(question: TableQuestion, now?: Date, resources?: readonly Resource[]): Promise<readonly (LogsRequest | ArmRequest | MetricsRequest)[]> {
    const needed = neededFor(question);
    if (this.access && !this.access.allows(needed)) throw this.access.deny(needed);
    if (!this.tables) throw new TablesNotConfiguredError();
    return this.tables.plan(question, resources ?? (await this.resources()), now);
  }

  /** `doctor`: each configured resource's prerequisites (metrics, diagnostic setting, workspace, activity log, deployments, metric family). */
  async doctor(): Promise<{ readonly kind: "doctor"; readonly answer: TableAnswer } | ErrorReply> {
    try {
      if (!this.tables) throw new TablesNotConfiguredError();
      return { kind: "doctor", answer: await this.checkPrerequisites(this.tables) };
    } catch (err) {
      return this.failure(err, "doctor");
    }
  }

  /** `doctor` over the resources (and deployments) this view sees; unrestricted, every configured resource as before. */
  private async checkPrerequisites(tables: TableQueries): Promise<TableAnswer> {
    const scope = this.scope;
    if (scope.resources === undefined && scope.deployments === undefined) return tables.doctor();
    return tables.doctor(await this.resources());
  }

  /** The refusal when this view's grant does not allow what `question` needs (known only once it is parsed). */
  private refusal(question: Question | TableQuestion): ErrorReply | undefined {
    const needed = neededFor(question);
    if (!this.access || this.access.allows(needed)) return undefined;
    return this.failure(this.access.deny(needed), question.topic);
  }

  /**
   * Deployments a question names (a pressed button's payload, a follow-up) must be ones this view
   * sees: a hidden one is refused exactly like a name that does not exist, suggestions from the visible ones only.
   */
  private checkNamed(named: readonly string[], resources: readonly Resource[]): void {
    const scope = this.scope;
    if (named.length === 0 || (scope.resources === undefined && scope.deployments === undefined)) return;
    const known = [...new Set(resources.flatMap((r) => r.deployments))];
    const lower = new Set(known.map((k) => k.toLowerCase()));
    const hidden = named.find((n) => !lower.has(n.toLowerCase()));
    if (hidden !== undefined) throw new UnknownDeploymentError(hidden, known, closest(hidden, known));
  }

  /** A sharp change in the answer's window: the activity log's events on those resources, in one line; never fails the answer. */
  private async activityFor(answer: QueryAnswer, seen: readonly Resource[]): Promise<ActivityMention | undefined> {
    if (!this.tables) return undefined;
    const ids = sharplyChanged(answer, this.verdict);
    if (ids.length === 0) return undefined;
    try {
      const events = await replyWithin(this.tables.changesDuring(ids, new Date(answer.window.start), new Date(answer.window.end), seen), ACTIVITY_WAIT_MS);
      if (events === undefined) return { kind: "unread", note: `The activity log didn't answer within ${String(ACTIVITY_WAIT_MS / 1000)} s, so changes made in this window aren't shown.` };
      const line = activityLine(events);
      return line === undefined ? undefined : { kind: "events", line };
    } catch (err) {
      this.logger.warn({ err }, "activity log not read for a sharp change");
      return { kind: "unread", note: `The activity log could not be read${err instanceof UserError ? ` (${err.message})` : ""}, so changes made in this window aren't shown.` };
    }
  }

  failure(err: unknown, context: string): ErrorReply {
    if (err instanceof UserError) {
      return { kind: "error", code: err.code, message: err.message, ...(err.hint === undefined ? {} : { hint: err.hint }), examples: err.examples };
    }
    const reference = randomUUID().slice(0, 8);
    // the question is in the log to find the failure again, not whole: a message may be megabytes
    this.logger.error({ reference, context: context.slice(0, 200), err }, "internal error while answering");
    return { kind: "error", code: "internal", message: "Sorry, something went wrong on my side while answering that.", hint: "Try again; if it keeps failing, give the reference to whoever runs the bot.", examples: [], reference };
  }
}
