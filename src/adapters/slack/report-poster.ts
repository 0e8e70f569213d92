// Messages into Slack channels (scheduled reports; the same blocks as answers), through the one Slack
// sender. Each report carries its slot
// in the message metadata, so a replica taking over a slot can see in the channel whether it went out.
import type { Message } from "../../bot/message.ts";
import type { Logger } from "../../log/logger.ts";
import { sharedLogger } from "../../log/pino-logger.ts";
import type { DeliveryMark, PostedRef, ReportPoster } from "../../schedules/poster.ts";
import type { Target } from "../../schedules/schedule.ts";
import { renderBlockKit } from "./render-blockkit.ts";
import type { SlackSender } from "./sender.ts";

/** The metadata event type of scheduled reports. */
export const REPORT_EVENT_TYPE = "aoai_report";

export class SlackReportPoster implements ReportPoster {
  private readonly sender: SlackSender;
  private readonly logger: Logger;

  constructor(sender: SlackSender, logger: Logger = sharedLogger()) {
    this.sender = sender;
    this.logger = logger;
  }

  async post(target: Target, message: Message, mark?: DeliveryMark): Promise<PostedRef> {
    const channel = channelOf(target);
    const metadata = mark ? { event_type: REPORT_EVENT_TYPE, event_payload: { slot: mark.slot, part: mark.part, kind: message.kind } } : undefined;
    const posted = await this.sender.post(channel, { ...renderBlockKit(message), ...(metadata ? { metadata } : {}) });
    return { target, id: posted.ts };
  }

  async update(ref: PostedRef, message: Message): Promise<void> {
    await this.sender.update(channelOf(ref.target), ref.id, renderBlockKit(message));
  }

  async reply(ref: PostedRef, message: Message): Promise<PostedRef> {
    const posted = await this.sender.post(channelOf(ref.target), renderBlockKit(message), ref.id);
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
      this.logger.warn({ channel, slot: mark.slot, err }, "cannot read the channel history to check whether the slot was posted");
      return undefined;
    }
  }
}

function channelOf(t: Target): string {
  if (t.platform !== "slack") throw new Error(`not a Slack target: ${t.platform}`);
  return t.channel;
}
