// Scheduled reports into Slack channels, through the one Slack sender.
import type { PostedRef, ReportPoster } from "../../schedules/poster.ts";
import type { Report } from "../../schedules/report.ts";
import type { Target } from "../../schedules/schedule.ts";
import { renderReportBlocks } from "./render-report.ts";
import type { SlackSender } from "./sender.ts";

export class SlackReportPoster implements ReportPoster {
  private readonly sender: SlackSender;

  constructor(sender: SlackSender) {
    this.sender = sender;
  }

  async post(target: Target, report: Report): Promise<PostedRef> {
    const channel = channelOf(target);
    const posted = await this.sender.post(channel, renderReportBlocks(report));
    return { target, id: posted.ts };
  }

  async update(ref: PostedRef, report: Report): Promise<void> {
    await this.sender.update(channelOf(ref.target), ref.id, renderReportBlocks(report));
  }

  async reply(ref: PostedRef, report: Report): Promise<PostedRef> {
    const posted = await this.sender.post(channelOf(ref.target), renderReportBlocks(report), ref.id);
    return { target: ref.target, id: posted.ts };
  }
}

function channelOf(t: Target): string {
  if (t.platform !== "slack") throw new Error(`not a Slack target: ${t.platform}`);
  return t.channel;
}
