// Where messages go: the platform's sender for reports and answers alike. Each chat platform
// implements this once (Slack, Teams, console); the runner never knows which one it is talking to.
import type { Message } from "../bot/message.ts";
import type { Target } from "./schedule.ts";

export interface PostedRef {
  readonly target: Target;
  /** The platform's message id (Slack ts, Teams activity id). */
  readonly id: string;
}

/** Which delivery a message is: the slot's ledger key and the report's place among the slot's reports. */
export interface DeliveryMark {
  readonly slot: string;
  readonly part: number;
}

export interface ReportPoster {
  /** Posts a message; a platform that can label messages attaches `mark`, so findPosted can find it later. */
  post(target: Target, message: Message, mark?: DeliveryMark): Promise<PostedRef>;
  /** Edits a posted message in place. */
  update(ref: PostedRef, message: Message): Promise<void>;
  /** Answers in the thread of a posted message (or next to it where there are no threads). */
  reply(ref: PostedRef, message: Message): Promise<PostedRef>;
  /**
   * Whether the message marked `mark` is in the conversation, looking at messages since `since`: its
   * ref, null when it is certainly not there, undefined when the platform cannot tell. Platforms
   * whose bot cannot read the conversation (Teams) leave it out, which means "cannot tell".
   */
  findPosted?(target: Target, mark: DeliveryMark, since: Date): Promise<PostedRef | null | undefined>;
}

export type Posters = Partial<Record<Target["platform"], ReportPoster>>;
