// What one turn may do and see: the Grant the access policy gave its Place, whom to ask when it
// is not enough, and what was refused (for the turn's observers: the audit log). The conversation
// makes one per turn and hands it to the Bot view that answers the turn (Bot.within).
import type { AccessCommand } from "../access/commands.ts";
import type { Grant } from "../access/policy.ts";
import { UserError } from "../queries/errors.ts";
import type { Question } from "../queries/question.ts";
import type { TableQuestion } from "../queries/table-questions.ts";
import type { Place } from "./asker.ts";
import { notAllowed } from "./commands/kql.ts";

/** A turn asked for something its place's grant does not allow. Names the command and the rule, never a resource. */
export class AccessDeniedError extends UserError {
  readonly code = "access_denied";
  readonly command: AccessCommand;
  readonly decidedBy: string;

  constructor(command: AccessCommand, grant: Grant, contact: string | undefined) {
    const allowed = [...grant.allows];
    super(`You can't use \`${command}\` here: ${grant.decidedBy} allows ${allowed.length === 0 ? "nothing" : allowed.join(", ")}.`, {
      hint: `Ask ${contact ?? "whoever runs this bot"} to change the access rules (access: in aoai.config.yaml).`,
    });
    this.command = command;
    this.decidedBy = grant.decidedBy;
  }
}

/** What a question needs: metric questions and the activity log are `ask`; logs, raw KQL and quota their own. */
const NEEDED_BY_KIND: Readonly<Record<TableQuestion["kind"], AccessCommand>> = { logs: "logs", kql: "kql", activity: "ask", quota: "quota" };

export function neededFor(question: Question | TableQuestion): AccessCommand {
  return "kind" in question ? NEEDED_BY_KIND[question.kind] : "ask";
}

export interface TurnAccessOptions {
  /** `access.contact`: whom denied people should ask. */
  readonly contact?: string;
  /** `kql.allowedUsers`, for the refusal that says which id to add there. */
  readonly kqlUsers?: readonly string[];
}

export class TurnAccess {
  readonly grant: Grant;
  private readonly place: Place;
  private readonly options: TurnAccessOptions;
  private refused: AccessCommand | undefined;

  constructor(grant: Grant, place: Place, options: TurnAccessOptions = {}) {
    this.grant = grant;
    this.place = place;
    this.options = options;
  }

  allows(command: AccessCommand): boolean {
    return this.grant.allows.has(command);
  }

  /**
   * The refusal to answer with, remembered as the turn's denial. Raw KQL refused by the default
   * policy to someone who may otherwise ask says the setting that allows it: `kql.allowedUsers`.
   */
  deny(command: AccessCommand): UserError {
    this.refused ??= command;
    if (command === "kql" && this.grant.rule === undefined && this.grant.allows.size > 0) return notAllowed(this.place, this.options.kqlUsers ?? []);
    return new AccessDeniedError(command, this.grant, this.options.contact);
  }

  /** The first command this turn was refused, if any. */
  get denied(): AccessCommand | undefined {
    return this.refused;
  }
}
