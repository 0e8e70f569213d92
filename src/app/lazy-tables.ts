// The table services behind the TableQueries interface, loaded by their first use: about 40
// modules (logs, KQL, activity log, quota, doctor, the demo workspace) that `aoai ask "latency"`
// and most chat answers never touch.
import type { ActivityEvent } from "../queries/arm-readers.ts";
import type { LogAbsence } from "../queries/logs/log-absence.ts";
import type { MetricsRequest } from "../queries/plan.ts";
import type { Resource } from "../queries/resources.ts";
import type { ArmRequest, LogsRequest, TableAnswer } from "../queries/table-answer.ts";
import type { TableQueries } from "../queries/table-queries.ts";
import type { TableQuestion } from "../queries/table-questions.ts";
import type { TableParts, TablePartsOptions } from "./table-parts.ts";

export class LazyTables implements TableQueries {
  private readonly options: TablePartsOptions;
  private parts: Promise<TableParts> | undefined;

  constructor(options: TablePartsOptions) {
    this.options = options;
  }

  /** The services themselves (the first call loads them; a failed load is tried again next time). */
  load(): Promise<TableParts> {
    this.parts ??= import("./table-parts.ts").then(
      ({ tableParts }) => tableParts(this.options),
      (err: unknown) => {
        this.parts = undefined;
        throw err;
      },
    );
    return this.parts;
  }

  async absence(): Promise<LogAbsence> {
    return (await this.load()).absence;
  }

  async answer(question: TableQuestion, resources: readonly Resource[], now?: Date): Promise<TableAnswer> {
    return (await this.load()).tables.answer(question, resources, now);
  }

  async plan(question: TableQuestion, resources: readonly Resource[], now?: Date): Promise<readonly (LogsRequest | ArmRequest | MetricsRequest)[]> {
    return (await this.load()).tables.plan(question, resources, now);
  }

  async doctor(resources?: readonly Resource[]): Promise<TableAnswer> {
    return (await this.load()).tables.doctor(resources);
  }

  async changesDuring(resourceIds: readonly string[], start: Date, end: Date, seen?: readonly Resource[]): Promise<readonly ActivityEvent[]> {
    return (await this.load()).tables.changesDuring(resourceIds, start, end, seen);
  }
}
