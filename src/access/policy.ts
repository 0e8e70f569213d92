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
/**
 * Chat platforms whose people belong to organisations (a Slack workspace, a Teams tenant): the only
 * ones rules can name. Any other surface (the console, a platform row an embedder adds) has no
 * organisation to tell strangers by, so it is treated as reached from this machine.
 */
export const ORG_PLATFORMS: ReadonlySet<string> = new Set(["slack", "teams"]);

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
  /**
   * Every surface counts as this machine's (local default everywhere): a conversation wired without
   * access configuration, as tests and embedders build one. The bot process never sets it.
   */
  readonly localEverywhere?: boolean;
}

export class AccessPolicy {
  readonly contact: string | undefined;
  private readonly rules: readonly AccessRule[];
  /** `kql.allowedUsers`, for the denial that says whom to add. */
  readonly kqlUsers: readonly string[];
  private readonly kqlUserSet: ReadonlySet<string>;
  private readonly localEverywhere: boolean;
  /** Each chat platform's own organisation (Slack: the team of the bot's token; Teams: the configured tenant). */
  private readonly homes = new Map<string, string>();
  /** Platforms where everyone counts as home (Teams without an app id: reachable from this machine only). */
  private readonly localOnly = new Set<string>();

  constructor(options: AccessPolicyOptions = {}) {
    this.rules = options.rules ?? [];
    this.contact = options.contact;
    this.kqlUsers = options.kqlUsers ?? [];
    this.kqlUserSet = new Set(this.kqlUsers);
    this.localEverywhere = options.localEverywhere ?? false;
  }

  /** How many rules configuration gave (the start banner says it). */
  get ruleCount(): number {
    return this.rules.length;
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

  isLocalOnly(platform: string): boolean {
    return this.localOnly.has(platform);
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

  private isLocal(platform: string): boolean {
    return this.localEverywhere || LOCAL_PLATFORMS.has(platform) || this.localOnly.has(platform) || !ORG_PLATFORMS.has(platform);
  }

  private isHome(place: Place): boolean {
    if (this.isLocal(place.platform)) return true;
    const home = this.homes.get(place.platform);
    const org = orgOf(place);
    return home !== undefined && org !== undefined && home === org;
  }

  private defaultGrant(place: Place): Grant {
    if (this.isLocal(place.platform)) {
      return { decidedBy: "the default policy (this machine's console and playground)", allows: new Set(LOCAL_DEFAULT), scope: EVERYTHING };
    }
    const org = place.platform === "teams" ? "this Teams tenant" : place.platform === "slack" ? "this Slack workspace" : `this ${place.platform} organisation`;
    if (this.isHome(place)) return { decidedBy: `the default policy (people of ${org} may ask)`, allows: new Set(HOME_DEFAULT), scope: EVERYTHING };
    return { decidedBy: `the default policy (only people of ${org} may ask)`, allows: new Set(), scope: EVERYTHING };
  }

  private withKql(grant: Grant, place: Place): Grant {
    if (grant.allows.has("kql") || grant.allows.size === 0) return grant;
    const user = place.user;
    // surfaces without users (console, cli) are listed by their name
    const listed = user === undefined ? this.kqlUserSet.has(place.platform) : this.kqlUserSet.has(user) || this.kqlUserSet.has(`${place.platform}:${user}`);
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
