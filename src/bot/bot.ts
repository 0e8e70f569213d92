// Questions about the deployments: text in, Reply out (the "ask" command behind the one conversation
// entry, conversation.ts). It never throws: people get an answer, a clear error, or (for our own
// bugs) an apology with a reference to find the log line.
import { randomUUID } from "node:crypto";
import { NotUnderstoodError, PercentileNotAvailableError, UserError } from "../queries/errors.ts";
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
import type { ErrorReply, Reply } from "./reply.ts";
import type { Logger } from "../log/logger.ts";
import { sharedLogger } from "../log/pino-logger.ts";

/** What a person asked, who asked, and the resources (with deployments) it was understood against. */
export interface Understood {
  readonly question: Question;
  readonly asker?: Asker;
  /** Planning reuses these, so a question looks deployments up once. */
  readonly resources: readonly Resource[];
}

export class Bot {
  private readonly queries: QueryService;
  private readonly logger: Logger;
  private readonly verdict: VerdictThresholds;

  /** `verdict`: the configuration's thresholds for health questions' verdict line. */
  constructor(queries: QueryService, logger: Logger = sharedLogger(), options: { readonly verdict?: VerdictThresholds } = {}) {
    this.queries = queries;
    this.logger = logger;
    this.verdict = options.verdict ?? DEFAULT_VERDICT;
  }

  /** Text → what the person asked, or the reply explaining why it can't be asked. */
  async understand(text: string, asker?: Asker): Promise<Understood | { reply: Reply }> {
    // help and questions refused on their wording must not wait for (or fail on) Azure
    let unreachable: unknown;
    const resources = await this.queries.resources().catch((err: unknown) => {
      unreachable = err;
      return [];
    });
    const deployments = await this.queries.deployments(resources);
    try {
      const parsed = parse(text, { deployments, facts: resources.flatMap((r) => r.facts ?? []) });
      if (parsed.kind === "help") return { reply: { kind: "help", examples: EXAMPLES, deployments } };
      // a percentile question is answered with its log query, which needs no Azure call
      if (unreachable !== undefined) return { reply: this.failure(parsed.question.percentiles ? this.queries.percentileRefusal(parsed.question) : unreachable, text) };
      return { question: parsed.question, ...(asker ? { asker } : {}), resources };
    } catch (err) {
      return { reply: this.failure(unreachable !== undefined && !(err instanceof PercentileNotAvailableError) && !(err instanceof NotUnderstoodError) && !(err instanceof CannotAnswerYetError) && !(err instanceof UnreadTimeError) ? unreachable : err, text) };
    }
  }

  /** The resources and deployment names questions are read against (a follow-up's parts are read against the same); none when Azure can't be reached. */
  async vocabulary(): Promise<{ readonly resources: readonly Resource[]; readonly context: ParseContext }> {
    const resources = await this.queries.resources().catch((): Resource[] => []);
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
    return this.answer({ ...understood.question, ...(change.window ? { window: change.window } : {}), ...(change.splitBy ? { splitBy: change.splitBy } : {}) }, now, understood.resources);
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
  async answer(question: Question, now?: Date, resources?: readonly Resource[]): Promise<Reply> {
    try {
      const answer = await this.queries.answer(question, now, undefined, resources);
      return { kind: "answer", question, answer, ...verdictFor(question, answer, resources, this.verdict) };
    } catch (err) {
      return this.failure(err, question.topic);
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
