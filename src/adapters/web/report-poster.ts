// Scheduled reports into the playground's channel pane (`post: [{ web: true }]`): rendered the way
// each platform would show them and pushed to open pages. Nobody watching is not a failure: the
// report is kept in the channel's history for the next page that opens.
import { randomUUID } from "node:crypto";
import type { Message } from "../../bot/message.ts";
import type { PostedRef, ReportPoster } from "../../schedules/poster.ts";
import type { Target } from "../../schedules/schedule.ts";
import type { ReportFeed } from "./report-feed.ts";
import type { Renderer } from "./renderings.ts";

export class WebReportPoster implements ReportPoster {
  private readonly feed: ReportFeed;
  private readonly renderer: Renderer;
  private readonly now: () => Date;
  /** Ids stay unique across restarts: a condition's stored parent names a report of an earlier run. */
  private readonly run = randomUUID().slice(0, 8);
  private n = 0;

  constructor(feed: ReportFeed, renderer: Renderer, now: () => Date = () => new Date()) {
    this.feed = feed;
    this.renderer = renderer;
    this.now = now;
  }

  async post(target: Target, message: Message): Promise<PostedRef> {
    const id = this.nextId();
    this.feed.publish({ kind: "post", id, at: this.now().toISOString(), message: await this.renderer.render(message) });
    return { target, id };
  }

  async update(ref: PostedRef, message: Message): Promise<void> {
    this.feed.publish({ kind: "update", id: ref.id, at: this.now().toISOString(), message: await this.renderer.render(message) });
  }

  async reply(ref: PostedRef, message: Message): Promise<PostedRef> {
    const id = this.nextId();
    this.feed.publish({ kind: "reply", id, replyTo: ref.id, at: this.now().toISOString(), message: await this.renderer.render(message) });
    return { target: ref.target, id };
  }

  private nextId(): string {
    return `web-${this.run}-${++this.n}`;
  }
}
