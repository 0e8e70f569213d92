// What the bot asks of the query layer for table answers (table-questions.ts): one entry for logs,
// raw KQL, the activity log and quota, plus `doctor`, and the activity-log events a metric answer
// mentions when its window shows a sharp change. app/query-source.ts builds the implementation.
import type { ActivityEvent } from "./arm-readers.ts";
import type { Resource } from "./resources.ts";
import type { MetricsRequest } from "./plan.ts";
import type { ArmRequest, LogsRequest, TableAnswer } from "./table-answer.ts";
import type { TableQuestion } from "./table-questions.ts";

export interface TableQueries {
  /** Plans and runs the question (throws UserErrors for what people can fix). */
  answer(question: TableQuestion, resources: readonly Resource[], now?: Date): Promise<TableAnswer>;
  /** Exactly the requests `answer` would send (shown by `aoai ask --plan`). */
  plan(question: TableQuestion, resources: readonly Resource[], now?: Date): Promise<readonly (LogsRequest | ArmRequest | MetricsRequest)[]>;
  /**
   * Prerequisites per configured resource: metrics, diagnostic setting, workspace, activity log,
   * deployments, metric family. `resources`: only these (an asker's, scope.ts), their deployment
   * rows only of the visible deployments; absent: every configured resource.
   */
  doctor(resources?: readonly Resource[]): Promise<TableAnswer>;
  /** Administrative events on these resources in [start, end), for one line under a sharp change; `seen`: only what these resources show. */
  changesDuring(resourceIds: readonly string[], start: Date, end: Date, seen?: readonly Resource[]): Promise<readonly ActivityEvent[]>;
}
