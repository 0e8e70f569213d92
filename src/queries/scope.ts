// What one asker may see of the configured resources: a subset of resources and of their
// deployments. The query layer applies it without knowing who asked or why (the access rules in
// src/access decide that); a restricted Resource carries `visible`, and planning keeps every request
// to those deployments, so a hidden one is never counted in a total, a split row or a suggestion.
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
