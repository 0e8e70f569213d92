// The playground's channel as a report target: a condition's episode (posted, edited while it
// holds, answered in its thread when it resolves) reaches open pages as post/update/reply events,
// and a page opened later gets the same history.
import { describe, expect, it } from "vitest";
import { ChartPictures } from "../../../src/adapters/web/chart-pictures.ts";
import { ReportFeed, type FeedEvent } from "../../../src/adapters/web/report-feed.ts";
import { WebReportPoster } from "../../../src/adapters/web/report-poster.ts";
import { Renderer } from "../../../src/adapters/web/renderings.ts";
import { message } from "../../../src/bot/message.ts";
import { silentLogger } from "../../../src/log/logger.ts";

describe("reports in the playground's channel", () => {
  it("posts, edits in place and replies in the thread, to pages open now and opened later", async () => {
    const feed = new ReportFeed();
    const poster = new WebReportPoster(feed, new Renderer(new ChartPictures({}, silentLogger), silentLogger), () => new Date("2026-11-29T14:30:00Z"));
    const live: FeedEvent[] = [];
    feed.subscribe((e) => live.push(e));
    const parent = await poster.post({ platform: "web" }, message("report", "firing", "429s > 50 over 5m for gpt-4o-mini"));
    await poster.update(parent, message("report", "firing", "Still holding: 429s > 50 over 5m for gpt-4o-mini"));
    const reply = await poster.reply(parent, message("report", "resolved", "Resolved: 429s > 50 over 5m for gpt-4o-mini"));
    expect(live.map((e) => [e.kind, e.id, e.replyTo])).toEqual([["post", parent.id, undefined], ["update", parent.id, undefined], ["reply", reply.id, parent.id]]);
    expect(live[1]?.message.slackHtml).toContain("Still holding");
    expect(live[2]?.message.teams.body.map((e) => e.text).join(" ")).toContain("Resolved");
    expect(parent.id).not.toBe(reply.id);

    const later: FeedEvent[] = [];
    feed.subscribe((e) => later.push(e));
    expect(later).toEqual(live);
  });
});
