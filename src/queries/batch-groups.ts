// Which Metrics - List requests the metrics batch API (metrics:getBatch) may answer together: the
// same request for several accounts of one subscription and region, at most 50 accounts a call.
// Every parameter Azure answers by is part of the group (metrics-cache.ts keys by the same ones),
// so a batch answers exactly what each account's own request would have asked.
import type { MetricsRequest } from "./plan.ts";

/** The service's limit of unique resource ids per metrics:getBatch call. */
export const MAX_BATCH_RESOURCES = 50;

/** What one batch call sends besides the resource ids. */
export interface BatchShape {
  readonly subscriptionId: string;
  readonly region: string;
  readonly metricnames: string;
  readonly aggregation: string;
  readonly interval: string;
  readonly startTime: Date;
  readonly endTime: Date;
  readonly filter?: string;
  readonly top?: number;
  readonly orderby?: string;
}

export interface BatchGroup<T> {
  readonly shape: BatchShape;
  readonly members: readonly T[];
}

/** The subscription id in an account id, lower-cased (Azure compares ids without case). */
export function subscriptionOf(resourceId: string): string | undefined {
  return /^\/subscriptions\/([^/]+)\//i.exec(resourceId)?.[1]?.toLowerCase();
}

/**
 * The batch's start and end for a request's `start/end` timespan; undefined for a span the batch
 * API cannot say (a bare duration: it takes starttime/endtime only).
 */
export function batchSpan(timespan: string): { readonly startTime: Date; readonly endTime: Date } | undefined {
  const [start, end, extra] = timespan.split("/");
  if (start === undefined || end === undefined || extra !== undefined) return undefined;
  const startTime = new Date(start);
  const endTime = new Date(end);
  return Number.isNaN(startTime.getTime()) || Number.isNaN(endTime.getTime()) ? undefined : { startTime, endTime };
}

/** A request's batch shape when its account's region is known, else undefined (it goes as its own Metrics - List call). */
export function shapeOf(req: MetricsRequest, region: string | undefined): BatchShape | undefined {
  const subscriptionId = subscriptionOf(req.resourceId);
  const span = batchSpan(req.timespan);
  if (region === undefined || subscriptionId === undefined || span === undefined) return undefined;
  return {
    subscriptionId,
    region,
    metricnames: req.metricnames,
    aggregation: req.aggregation,
    interval: req.interval,
    ...span,
    ...(req.filter === undefined ? {} : { filter: req.filter }),
    ...(req.top === undefined ? {} : { top: req.top }),
    ...(req.orderby === undefined ? {} : { orderby: req.orderby }),
  };
}

function shapeKey(s: BatchShape): string {
  return JSON.stringify([s.subscriptionId, s.region, s.metricnames, s.aggregation, s.interval, s.startTime.getTime(), s.endTime.getTime(), s.filter ?? null, s.top ?? null, s.orderby ?? null]);
}

/**
 * `items` grouped by shape, in first-seen order, each group cut into calls of at most `max` distinct
 * accounts; items without a shape, and groups of one account (its own Metrics - List call needs
 * only a role on the account), come back in `alone`.
 */
export function groupForBatch<T>(items: readonly T[], shape: (item: T) => BatchShape | undefined, resourceOf: (item: T) => string, max: number = MAX_BATCH_RESOURCES): { groups: BatchGroup<T>[]; alone: T[] } {
  const byKey = new Map<string, { shape: BatchShape; members: T[] }>();
  const alone: T[] = [];
  for (const item of items) {
    const s = shape(item);
    if (s === undefined) {
      alone.push(item);
      continue;
    }
    const key = shapeKey(s);
    const group = byKey.get(key) ?? { shape: s, members: [] };
    group.members.push(item);
    byKey.set(key, group);
  }
  const groups: BatchGroup<T>[] = [];
  for (const g of byKey.values()) {
    const accounts = new Set(g.members.map((m) => resourceOf(m).toLowerCase()));
    if (accounts.size < 2) {
      alone.push(...g.members);
      continue;
    }
    let call: T[] = [];
    let inCall = new Set<string>();
    for (const m of g.members) {
      const id = resourceOf(m).toLowerCase();
      if (!inCall.has(id) && inCall.size === max) {
        groups.push({ shape: g.shape, members: call });
        call = [];
        inCall = new Set();
      }
      inCall.add(id);
      call.push(m);
    }
    if (call.length > 0) groups.push({ shape: g.shape, members: call });
  }
  return { groups, alone };
}
