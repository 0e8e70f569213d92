// Scheduled reports into Slack channels, through the one Slack sender. Each report carries its slot
// in the message metadata, so a replica taking over a slot can see in the channel whether it went out.
import type { DeliveryMark, PostedRef, ReportPoster } from "../../schedules/poster.ts";
import type { Report } from "../../schedules/report.ts";
import type { Target } from "../../schedules/schedule.ts";
import { renderReportBlocks } from "./render-report.ts";
import type { SlackSender } from "./sender.ts";

/** The metadata event type of scheduled reports. */
export const REPORT_EVENT_TYPE = "aoai_report";

export class SlackReportPoster implements ReportPoster {
  private readonly sender: SlackSender;
  private readonly log: (m: string) => void;

  constructor(sender: SlackSender, log: (m: string) => void = (m) => process.stderr.write(`${m}\n`)) {
    this.sender = sender;
    this.log = log;
  }

  async post(target: Target, report: Report, mark?: DeliveryMark): Promise<PostedRef> {
    const channel = channelOf(target);
    const metadata = mark ? { event_type: REPORT_EVENT_TYPE, event_payload: { slot: mark.slot, part: mark.part, kind: report.kind } } : undefined;
    const posted = await this.sender.post(channel, { ...renderReportBlocks(report), ...(metadata ? { metadata } : {}) });
    return { target, id: posted.ts };
  }

  async update(ref: PostedRef, report: Report): Promise<void> {
    await this.sender.update(channelOf(ref.target), ref.id, renderReportBlocks(report));
  }

  async reply(ref: PostedRef, report: Report): Promise<PostedRef> {
    const posted = await this.sender.post(channelOf(ref.target), renderReportBlocks(report), ref.id);
    return { target: ref.target, id: posted.ts };
  }

  async findPosted(target: Target, mark: DeliveryMark, since: Date): Promise<PostedRef | null | undefined> {
    const channel = channelOf(target);
    try {
      const { messages, complete } = await this.sender.history(channel, since);
      const found = messages.find((m) => m.metadata?.event_type === REPORT_EVENT_TYPE && m.metadata.event_payload?.slot === mark.slot && Number(m.metadata.event_payload.part ?? 0) === mark.part);
      if (found) return { target, id: found.ts };
      return complete ? null : undefined;
    } catch (err) {
      // e.g. missing_scope (channels:history / groups:history not granted) or not_in_channel
      this.log(`cannot read the history of ${channel} to check slot ${mark.slot}: ${err instanceof Error ? err.message : String(err)}`);
      return undefined;
    }
  }
}

function channelOf(t: Target): string {
  if (t.platform !== "slack") throw new Error(`not a Slack target: ${t.platform}`);
  return t.channel;
}
