// Who may do what, where: the most specific matching rule, else the default policy. Evaluated by the
// conversation entry for every turn (typed, pressed, scheduled); the Grant it returns carries the
// commands allowed, the resources and deployments visible, and which rule decided, for denials and
// the audit log.
import type { Place } from "../bot/asker.ts";
import { EVERYTHING, type AccessScope } from "../queries/scope.ts";
import { HOME_DEFAULT, LOCAL_DEFAULT, type AccessCommand } from "./commands.ts";
import { specificity, type AccessRule } from "./rules.ts";

/** Surfaces that only the operator's own machine reaches (the console, `aoai`, the loopback playground, scheduled reports' own runs). */
export const LOCAL_PLATFORMS: ReadonlySet<string> = new Set(["console", "cli", "web"]);

export interface Grant {
  /** What decided, as a person reads it: `rule "payments"`, `the default policy (people of this Slack workspace)`. */
  readonly decidedBy: string;
  /** The rule's name, absent for the default policy. */
  readonly rule?: string;
  readonly allows: ReadonlySet<AccessCommand>;
  readonly scope: AccessScope;
}

export interface AccessPolicyOptions {
  readonly rules?: readonly AccessRule[];
  /** Whom denied people should ask (`access.contact`). */
  readonly contact?: string;
  /** Users `kql.allowedUsers` lists (an id, `<platform>:<id>`, or `console` / `cli`): raw KQL on top of what they may do otherwise. */
  readonly kqlUsers?: readonly string[];
}

export class AccessPolicy {
  readonly contact: string | undefined;
  private readonly rules: readonly AccessRule[];
  private readonly kqlUsers: ReadonlySet<string>;
  /** Each chat platform's own organisation (Slack: the team of the bot's token; Teams: the configured tenant). */
  private readonly homes = new Map<string, string>();
  /** Platforms where everyone counts as home (Teams without an app id: reachable from this machine only). */
  private readonly localOnly = new Set<string>();

  constructor(options: AccessPolicyOptions = {}) {
    this.rules = options.rules ?? [];
    this.contact = options.contact;
    this.kqlUsers = new Set(options.kqlUsers ?? []);
  }

  /** Called by a platform once it knows its organisation (Slack after auth.test). */
  setHome(platform: string, org: string): void {
    this.homes.set(platform, org);
  }

  home(platform: string): string | undefined {
    return this.homes.get(platform);
  }

  /** A platform only this machine can reach: its people get the local default. */
  setLocalOnly(platform: string): void {
    this.localOnly.add(platform);
  }

  grantFor(place: Place): Grant {
    const grant = this.ruleGrant(place) ?? this.defaultGrant(place);
    return this.withKql(grant, place);
  }

  private ruleGrant(place: Place): Grant | undefined {
    let best: AccessRule | undefined;
    for (const rule of this.rules) {
      if (!this.matches(rule, place)) continue;
      if (best === undefined || specificity(rule) > specificity(best)) best = rule;
    }
    if (!best) return undefined;
    return { decidedBy: `rule "${best.name}"`, rule: best.name, allows: new Set(best.allow), scope: best.scope };
  }

  private matches(rule: AccessRule, place: Place): boolean {
    if (rule.platform !== place.platform) return false;
    const org = orgOf(place);
    // people of another organisation are matched only by a rule that names theirs
    if (rule.org === undefined && !this.isHome(place)) return false;
    return has(rule.org, org) && has(rule.team, place.team) && has(rule.channel, place.channel) && has(rule.user, place.user);
  }

  private isHome(place: Place): boolean {
    if (this.localOnly.has(place.platform)) return true;
    const home = this.homes.get(place.platform);
    const org = orgOf(place);
    return home !== undefined && org !== undefined && home === org;
  }

  private defaultGrant(place: Place): Grant {
    if (LOCAL_PLATFORMS.has(place.platform) || this.localOnly.has(place.platform)) {
      return { decidedBy: "the default policy (this machine's console and playground)", allows: new Set(LOCAL_DEFAULT), scope: EVERYTHING };
    }
    const org = place.platform === "teams" ? "this Teams tenant" : place.platform === "slack" ? "this Slack workspace" : `this ${place.platform} organisation`;
    if (this.isHome(place)) return { decidedBy: `the default policy (people of ${org} may ask)`, allows: new Set(HOME_DEFAULT), scope: EVERYTHING };
    return { decidedBy: `the default policy (only people of ${org} may ask)`, allows: new Set(), scope: EVERYTHING };
  }

  private withKql(grant: Grant, place: Place): Grant {
    if (grant.allows.has("kql") || grant.allows.size === 0) return grant;
    const user = place.user;
    const listed = LOCAL_PLATFORMS.has(place.platform) ? this.kqlUsers.has(place.platform) : user !== undefined && (this.kqlUsers.has(user) || this.kqlUsers.has(`${place.platform}:${user}`));
    return listed ? { ...grant, allows: new Set([...grant.allows, "kql" as const]) } : grant;
  }
}

/** The asker's own organisation: what the adapter read as theirs, else the place's workspace/tenant. */
function orgOf(place: Place): string | undefined {
  return place.org ?? place.workspace;
}

function has(wanted: readonly string[] | undefined, value: string | undefined): boolean {
  if (wanted === undefined) return true;
  return wanted.includes("*") ? value !== undefined : value !== undefined && wanted.includes(value);
}
