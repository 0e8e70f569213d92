// Where reports go. Each chat platform implements this once (Slack, Teams, console); the runner
// never knows which one it is talking to.
import type { Report } from "./report.ts";
import type { Target } from "./schedule.ts";

export interface PostedRef {
  readonly target: Target;
  /** The platform's message id (Slack ts, Teams activity id). */
  readonly id: string;
}

export interface ReportPoster {
  post(target: Target, report: Report): Promise<PostedRef>;
  /** Edits a posted message in place. */
  update(ref: PostedRef, report: Report): Promise<void>;
  /** Answers in the thread of a posted message (or next to it where there are no threads). */
  reply(ref: PostedRef, report: Report): Promise<PostedRef>;
}

export type Posters = Partial<Record<Target["platform"], ReportPoster>>;
