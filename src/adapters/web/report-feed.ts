// The playground's channel: scheduled reports as they are posted, edited (a condition still
// holding) and answered in their thread (resolved), pushed to every open page. The newest events
// are kept, so a page opened later shows the channel's recent history.
import type { Renderings } from "./renderings.ts";

export interface FeedEvent {
  readonly kind: "post" | "update" | "reply";
  /** The posted report's id (an update names the report it replaces). */
  readonly id: string;
  /** A reply's parent report. */
  readonly replyTo?: string;
  readonly at: string;
  readonly message: Renderings;
}

export type FeedListener = (event: FeedEvent) => void;

const KEEP_EVENTS = 100;

export class ReportFeed {
  private readonly events: FeedEvent[] = [];
  private readonly listeners = new Set<FeedListener>();

  /** Replays what is kept, then calls `listener` for every new event until unsubscribed. */
  subscribe(listener: FeedListener): () => void {
    for (const e of this.events) listener(e);
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  publish(event: FeedEvent): void {
    this.events.push(event);
    if (this.events.length > KEEP_EVENTS) this.events.splice(0, this.events.length - KEEP_EVENTS);
    for (const l of this.listeners) l(event);
  }

  get listening(): number {
    return this.listeners.size;
  }
}
