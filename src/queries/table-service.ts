// The query layer's front door for table answers (table-queries.ts): each question kind goes to the
// service that knows it — log templates and raw KQL to LogQueries, the absence template to
// LogAbsence, the activity log to ActivityQueries, quota to QuotaQueries — and `doctor` to the
// prerequisite checks. Built once per process by app/query-source.ts, for Azure or the demo alike.
import type { MetricsRequest } from "./plan.ts";
import { logLinks } from "./portal-links.ts";
import type { ActivityQueries } from "./activity-log.ts";
import type { ActivityEvent } from "./arm-readers.ts";
import type { LogAbsence } from "./logs/log-absence.ts";
import type { LogQueries } from "./logs/log-queries.ts";
import type { QuotaQueries } from "./quota.ts";
import type { Resource } from "./resources.ts";
import type { ArmRequest, LogsRequest, TableAnswer } from "./table-answer.ts";
import type { TableQueries } from "./table-queries.ts";
import type { TableQuestion } from "./table-questions.ts";

export interface TableServiceParts {
  readonly logs: LogQueries;
  readonly absence: LogAbsence;
  readonly activity: ActivityQueries;
  readonly quota: QuotaQueries;
  /** `resources`: only these, as TableQueries.doctor says; absent: every configured resource. */
  readonly doctor: (resources?: readonly Resource[]) => Promise<TableAnswer>;
  /** The cloud's portal origin (portal-hosts.ts): log answers link to the same query in it. */
  readonly portal?: string;
}

export class TableService implements TableQueries {
  private readonly parts: TableServiceParts;

  constructor(parts: TableServiceParts) {
    this.parts = parts;
  }

  async answer(question: TableQuestion, resources: readonly Resource[], now?: Date): Promise<TableAnswer> {
    const answer = await this.answerOf(question, resources, now);
    const portal = this.parts.portal;
    return portal === undefined || (answer.kind !== "logs" && answer.kind !== "kql") ? answer : { ...answer, links: logLinks(answer, portal) };
  }

  private answerOf(question: TableQuestion, resources: readonly Resource[], now?: Date): Promise<TableAnswer> {
    switch (question.kind) {
      case "logs":
        return question.template === "absence" ? this.parts.absence.answer(question, resources, now) : this.parts.logs.answer(question, resources, now);
      case "kql":
        return this.parts.logs.answer(question, resources, now);
      case "activity":
        return this.parts.activity.answer(question, resources, now);
      case "quota":
        return this.parts.quota.answer(question, resources, now);
    }
  }

  async plan(question: TableQuestion, resources: readonly Resource[], now?: Date): Promise<readonly (LogsRequest | ArmRequest | MetricsRequest)[]> {
    switch (question.kind) {
      case "logs":
        return question.template === "absence" ? this.parts.absence.plan(question, resources, now) : this.parts.logs.plan(question, resources, now);
      case "kql":
        return this.parts.logs.plan(question, resources, now);
      case "activity":
        return this.parts.activity.plan(question, resources, now);
      case "quota":
        return this.parts.quota.plan(question, resources, now);
    }
  }

  doctor(resources?: readonly Resource[]): Promise<TableAnswer> {
    return resources === undefined ? this.parts.doctor() : this.parts.doctor(resources);
  }

  changesDuring(resourceIds: readonly string[], start: Date, end: Date, seen?: readonly Resource[]): Promise<readonly ActivityEvent[]> {
    return this.parts.activity.changesDuring(resourceIds, start, end, seen);
  }
}
