// The shape of a row in the platform table (platforms.ts). A platform is one folder in
// src/adapters/ plus one row: the row says how configuration names its report targets, where a
// "schedule …" typed there posts, and how it starts (its endpoints, its report poster, its banner).
import type { Writable } from "node:stream";
import type { Express } from "express";
import type { AccessPolicy } from "../access/policy.ts";
import type { Place } from "../bot/asker.ts";
import type { Conversation } from "../bot/conversation.ts";
import type { DeliveryObserver } from "../adapters/delivery-observer.ts";
import type { Logger } from "../log/logger.ts";
import type { ReportPoster } from "../schedules/poster.ts";
import type { Schedule, Target, TargetSchema } from "../schedules/schedule.ts";
import type { Store } from "../store/store.ts";
import type { Config } from "./config.ts";

/** What a platform may read to decide whether (and how) it runs: before anything is opened. */
export interface PlatformSetup {
  readonly config: Config;
  readonly env: NodeJS.ProcessEnv;
  readonly options: PlatformOptions;
}

/** Per-platform knobs tests and embedders pass through startBotProcess; each platform reads its own. */
export interface PlatformOptions {
  /** Slack answers quicker than this are posted directly (tests shorten it). */
  readonly inlineWaitMs?: number;
  readonly teams?: {
    /** Instead of the Agents SDK environment variables (tests). */
    readonly authConfig?: import("@microsoft/agents-hosting").AuthConfiguration;
    /** Instead of MSAL for outbound tokens (tests). */
    readonly outboundConnections?: import("@microsoft/agents-hosting").Connections;
    readonly inlineWaitMs?: number;
  };
  /** Where console reports are written (default stdout). */
  readonly consoleOut?: Writable;
  /** Where every component logs (default the shared logger, JSON lines on stderr); tests capture it. */
  readonly logger?: Logger;
  /** How chat platforms render chart pictures and how long they may take (default: in-process PNG; tests shorten or break it). */
  readonly charts?: import("../adapters/chart-png.ts").ChartPictureOptions;
}

/** What a configured platform gets once the store and the HTTP server are up. */
export interface PlatformContext extends PlatformSetup {
  readonly conversation: Conversation;
  readonly store: Store;
  /** The shared HTTP server's app: webhook endpoints mount here. */
  readonly http: Express;
  /** The port that server listens on (for URLs in the banner). */
  readonly port: number;
  /** The access policy: a platform tells it its own organisation (setHome) or that only this machine reaches it (setLocalOnly). */
  readonly access: AccessPolicy;
  /** Told of each send to the platform (the bot process's metrics): senders call it, nothing else. */
  readonly observeDelivery?: DeliveryObserver;
}

export interface RunningPlatform<H = unknown> {
  /** The adapter itself, for tests and embedders (see BotProcess.adapter). */
  readonly handle: H;
  /** Posts scheduled reports to this platform's targets; absent: reports can't go there. */
  readonly poster?: ReportPoster;
  /** HTTP paths it serves, for the banner ("/slack/events"). */
  readonly paths: readonly string[];
  /** Its lines in the start banner. */
  readonly banner: readonly string[];
  /** Ends background work and connections. */
  stop(): Promise<void>;
  /** The drain ran out: gives up what still waits to be sent, each logged and counted dropped; returns how many. */
  abandon?(reason: string): number;
  /** For /readyz: resolves once the platform can work (Slack: its token passed auth.test), rejects saying why; absent: started is ready. */
  readonly ready?: () => Promise<string>;
}

export interface ConfiguredPlatform<H = unknown> {
  /** Chat services must reach the process (Slack over HTTP, Teams with an app id): the server listens on every interface, not only loopback. */
  readonly reachedFromOutside?: boolean;
  /** Schedules it adds when the source is the demo (the playground's report every few minutes); configuration's win a name both use. */
  readonly demoSchedules?: readonly Schedule[];
  start(context: PlatformContext): Promise<RunningPlatform<H>>;
}

export interface Platform<H = unknown, T extends { readonly platform: string } = Target> {
  /** The row's name: Place.platform, Target.platform, the key of its report poster. */
  readonly name: T["platform"];
  /** A `post:` entry in configuration, parsed into this platform's Target. */
  readonly target: TargetSchema<T>;
  /** Where a "schedule …" typed at `place` posts; undefined when this place can't receive reports. */
  targetFor(place: Place): T | undefined;
  /** Reads its settings (a ConfigError when they are wrong); undefined when it is not configured. */
  configure(setup: PlatformSetup): Promise<ConfiguredPlatform<H> | undefined>;
}

/** Any row, whatever its adapter and target types (the table, and rows tests add). */
export type AnyPlatform = Platform<unknown, { readonly platform: string }>;
