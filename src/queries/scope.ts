// What one asker may see of the configured resources: a subset of resources and of their
// deployments. The query layer applies it without knowing who asked or why (the access rules in
// src/access decide that); a restricted Resource carries `visible`, and planning keeps every request
// to those deployments, so a hidden one is never counted in a total, a split row or a suggestion.
import { NothingVisibleError } from "./errors.ts";
import { buildFilter, type FilterClause } from "./filter.ts";
import type { Resource } from "./resources.ts";

export interface AccessScope {
  /** Resource names (the account name) or ids, `*` globs allowed; absent: every configured resource. */
  readonly resources?: readonly string[];
  /** Deployment names, `*` globs allowed; absent: every deployment. */
  readonly deployments?: readonly string[];
}

/** Everything configured: what the console and an unrestricted rule see. */
export const EVERYTHING: AccessScope = {};

/** Matches `value` against a pattern where `*` is any run of characters; without case, as Azure compares names. */
export function globMatch(pattern: string, value: string): boolean {
  const p = pattern.toLowerCase();
  const v = value.toLowerCase();
  if (!p.includes("*")) return p === v;
  const parts = p.split("*");
  let at = 0;
  for (let i = 0; i < parts.length; i++) {
    const part = parts[i]!;
    if (i === 0) {
      if (!v.startsWith(part)) return false;
      at = part.length;
      continue;
    }
    if (i === parts.length - 1) return v.length - at >= part.length && v.endsWith(part);
    const found = v.indexOf(part, at);
    if (found < 0) return false;
    at = found + part.length;
  }
  return true;
}

export function resourceInScope(scope: AccessScope, resource: { readonly id: string; readonly name: string }): boolean {
  return scope.resources === undefined || scope.resources.some((p) => globMatch(p, resource.name) || globMatch(p, resource.id));
}

export function deploymentInScope(scope: AccessScope, deployment: string): boolean {
  return scope.deployments === undefined || scope.deployments.some((p) => globMatch(p, deployment));
}

/**
 * The resources `scope` lets its asker see, each with only its visible deployments; a resource
 * whose deployments are restricted carries `visible` (the names kept), so planning filters requests
 * to them even when the question names none.
 */
export function restrictResources(resources: readonly Resource[], scope: AccessScope): Resource[] {
  return resources
    .filter((r) => resourceInScope(scope, r))
    .map((r) => {
      if (scope.deployments === undefined) return r;
      const visible = r.deployments.filter((d) => deploymentInScope(scope, d));
      return { ...r, deployments: visible, ...(r.facts ? { facts: r.facts.filter((f) => visible.includes(f.name)) } : {}), visible };
    });
}

/** Whether planning must keep this resource's requests to `visible` (an access rule named deployments). */
export function isRestricted(resource: Resource): resource is Resource & { readonly visible: readonly string[] } {
  return resource.visible !== undefined;
}

/** The deployments some restricted resource lets its asker see (names as reported); undefined when none is restricted. */
export function visibleNames(resources: readonly Resource[]): string[] | undefined {
  const restricted = resources.filter(isRestricted);
  if (restricted.length === 0) return undefined;
  return [...new Set(restricted.flatMap((r) => r.visible))].sort();
}

/** Said when an access rule leaves none of a resource's deployments: the resource and its deployments stay unnamed. */
export function nothingVisible(): NothingVisibleError {
  return new NothingVisibleError("You may not query any deployment of this resource here.", {
    hint: "Your access rule allows no deployment there; ask whoever manages the bot's access rules.",
  });
}

/**
 * The resources a question can be asked of: a restricted resource with nothing visible is left out,
 * and when that leaves none, the question is refused without naming what was left out.
 */
export function queryable(resources: readonly Resource[]): readonly Resource[] {
  if (!resources.some((r) => isRestricted(r) && r.visible.length === 0)) return resources;
  const kept = resources.filter((r) => !isRestricted(r) || r.visible.length > 0);
  if (kept.length === 0) throw nothingVisible();
  return kept;
}

/** The $filter clause keeping a restricted resource's request to its visible deployments; undefined when unrestricted. */
export function visibleClause(resource: Resource): FilterClause | undefined {
  if (!isRestricted(resource)) return undefined;
  if (resource.visible.length === 0) throw nothingVisible();
  return { dimension: "ModelDeploymentName", values: resource.visible };
}

/** `filter` with the resource's visible deployments and-ed on (a split `eq '*'` stays; Azure then returns only those series). */
export function scopedFilter(filter: string | undefined, resource: Resource): string | undefined {
  const clause = visibleClause(resource);
  if (clause === undefined) return filter;
  const visible = buildFilter([clause])!;
  return filter === undefined ? visible : `${filter} and ${visible}`;
}

/** Whether a deployment name (as a series or an event names it) is one the resource lets its asker see. */
export function showsDeployment(resource: Resource, deployment: string): boolean {
  if (!isRestricted(resource)) return true;
  const d = deployment.toLowerCase();
  return resource.visible.some((v) => v.toLowerCase() === d);
}
