// From the activity log's EventData records to the changes people ask about. One ARM write leaves
// several records (Started, then Accepted / Succeeded / Failed) that share a correlation id: they
// become one event with the final status, the caller, and what the bodies say changed. Records on
// other resources of the group (the read may be group-wide) and operations that are not changes
// (policy audits, key reads) are dropped.
import type { EventData } from "@azure/arm-monitor";
import { DETAILS, deploymentState, parseBody, type DeploymentState } from "./activity-details.ts";
import { isListed, operationEntry, operationLabel, type WriteOutcome } from "./activity-operations.ts";
import type { ActivityEvent } from "./arm-readers.ts";
import { iso } from "./time-window.ts";

/** Statuses that end an operation; anything else (Started, Accepted, In Progress) means it may still run. */
const FINAL = new Set(["succeeded", "failed", "canceled", "cancelled"]);

/** properties.statusCode / subStatus of the final record: what a PUT did. */
const OUTCOME_BY_STATUS_CODE: Readonly<Record<string, WriteOutcome>> = { created: "created", ok: "updated" };

export function activityEvents(records: readonly EventData[], accountId: string, range: { readonly start: Date; readonly end: Date }): ActivityEvent[] {
  const account = accountId.toLowerCase();
  const kept = records.filter((r) => {
    const t = r.eventTimestamp?.getTime();
    const id = (r.resourceId ?? "").toLowerCase();
    const op = r.operationName?.value ?? "";
    return t !== undefined && t >= range.start.getTime() && t < range.end.getTime() && (id === account || id.startsWith(`${account}/`)) && op !== "" && isListed(op);
  });
  const groups = new Map<string, EventData[]>();
  kept.forEach((r, i) => {
    const key = r.correlationId ? `${r.correlationId}\n${(r.operationName?.value ?? "").toLowerCase()}\n${(r.resourceId ?? "").toLowerCase()}` : `#${i}`;
    groups.set(key, [...(groups.get(key) ?? []), r]);
  });
  const merged = [...groups.values()].map((g) => [...g].sort((a, b) => time(a) - time(b))).sort((a, b) => time(final(a)) - time(final(b)));
  const states = new Map<string, DeploymentState>();
  return merged.map((group) => toEvent(group, accountId, states));
}

function toEvent(group: readonly EventData[], accountId: string, states: Map<string, DeploymentState>): ActivityEvent {
  const last = final(group);
  const operation = last.operationName?.value ?? "";
  const resourceId = last.resourceId ?? accountId;
  const body = bodyOf(group);
  const deployment = deploymentOf(resourceId, accountId, body);
  const entry = operationEntry(operation);
  const key = deployment?.toLowerCase();
  const outcome = outcomeOf(last);
  const detail = entry?.detail === undefined ? undefined : DETAILS[entry.detail]({ body, resourceId, created: outcome === "created", ...(key !== undefined && states.has(key) ? { previous: states.get(key)! } : {}) });
  if (key !== undefined && entry?.detail === "deployment" && statusOf(last).toLowerCase() === "succeeded") states.set(key, { ...states.get(key), ...deploymentState(body) });
  const caller = group.map((r) => r.caller).find((c) => c !== undefined && c !== "");
  return {
    time: iso(last.eventTimestamp!),
    operation,
    label: operationLabel(operation, outcome),
    status: statusOf(last),
    caller: caller ?? "unknown caller",
    resourceId,
    ...(deployment === undefined ? {} : { deployment }),
    ...(last.correlationId ? { correlationId: last.correlationId } : {}),
    ...(detail === undefined ? {} : { detail }),
  };
}

/** The record that ended the operation, else the latest one. */
function final(group: readonly EventData[]): EventData {
  return [...group].reverse().find((r) => FINAL.has(statusOf(r).toLowerCase())) ?? group[group.length - 1]!;
}

function outcomeOf(r: EventData): WriteOutcome {
  const code = (prop(r, "statusCode") ?? r.subStatus?.value ?? "").toLowerCase();
  return OUTCOME_BY_STATUS_CODE[code] ?? "either";
}

/** The result as the final record returned it, else the request as sent. */
function bodyOf(group: readonly EventData[]): unknown {
  for (const name of ["responseBody", "requestbody"]) {
    for (const r of [...group].reverse()) {
      const body = parseBody(prop(r, name));
      if (body !== undefined) return body;
    }
  }
  return undefined;
}

/**
 * The deployment an event is on. Resource Manager sometimes logs ids upper-cased: the name as the
 * response body spells it wins, else an all-capitals id is read in lower case (ARM names are
 * case-insensitive; deployments are almost always named in lower case).
 */
function deploymentOf(resourceId: string, accountId: string, body: unknown): string | undefined {
  const segment = /^\/deployments\/([^/]+)$/i.exec(resourceId.slice(accountId.length))?.[1];
  if (segment === undefined) return undefined;
  const named = typeof body === "object" && body !== null ? (body as { name?: unknown }).name : undefined;
  if (typeof named === "string" && named.toLowerCase() === segment.toLowerCase()) return named;
  return resourceId === resourceId.toUpperCase() ? segment.toLowerCase() : segment;
}

function statusOf(r: EventData): string {
  return r.status?.value ?? "";
}

/** properties keys vary in case between providers (requestbody, responseBody, statusCode). */
function prop(r: EventData, name: string): string | undefined {
  const props = r.properties ?? {};
  const key = Object.keys(props).find((k) => k.toLowerCase() === name.toLowerCase());
  return key === undefined ? undefined : props[key];
}

function time(r: EventData): number {
  return r.eventTimestamp?.getTime() ?? 0;
}
