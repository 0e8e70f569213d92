// Messages on the console (stdout): scheduled reports for the embedded demo and `post: [console: true]`.
import type { Writable } from "node:stream";
import type { Message } from "../../bot/message.ts";
import { renderText } from "../../bot/render-text.ts";
import type { PostedRef, ReportPoster } from "../../schedules/poster.ts";
import type { Target } from "../../schedules/schedule.ts";

export class ConsoleReportPoster implements ReportPoster {
  private readonly out: Writable;
  private n = 0;

  constructor(out: Writable) {
    this.out = out;
  }

  post(target: Target, message: Message): Promise<PostedRef> {
    this.out.write(`${renderText(message)}\n`);
    return Promise.resolve({ target, id: `console-${++this.n}` });
  }

  update(ref: PostedRef, message: Message): Promise<void> {
    this.out.write(`(update to ${ref.id})\n${renderText(message)}\n`);
    return Promise.resolve();
  }

  reply(ref: PostedRef, message: Message): Promise<PostedRef> {
    this.out.write(`(reply to ${ref.id})\n${renderText(message)}\n`);
    return Promise.resolve({ target: ref.target, id: `console-${++this.n}` });
  }
}
