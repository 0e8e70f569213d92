// Messages on the console (stdout): scheduled reports for the embedded demo and `post: [console: true]`.
import type { Writable } from "node:stream";
import type { Message } from "../../bot/message.ts";
import { renderText } from "../../bot/render-text.ts";
import { DeliveryRefusedError } from "../../schedules/delivery-errors.ts";
import type { PostedRef, ReportPoster } from "../../schedules/poster.ts";
import type { Target } from "../../schedules/schedule.ts";

export class ConsoleReportPoster implements ReportPoster {
  private readonly out: Writable;
  private n = 0;

  constructor(out: Writable) {
    this.out = out;
  }

  async post(target: Target, message: Message): Promise<PostedRef> {
    await this.write(`${renderText(message)}\n`);
    return { target, id: `console-${++this.n}` };
  }

  async update(ref: PostedRef, message: Message): Promise<void> {
    await this.write(`(update to ${ref.id})\n${renderText(message)}\n`);
  }

  async reply(ref: PostedRef, message: Message): Promise<PostedRef> {
    await this.write(`(reply to ${ref.id})\n${renderText(message)}\n`);
    return { target: ref.target, id: `console-${++this.n}` };
  }

  /**
   * Resolves once the text is written. A closed output (`aoai report | head` whose reader went away:
   * EPIPE) is a post that did not happen, so the slot is not recorded as posted; showing a console
   * report twice is harmless, losing it is not.
   */
  private write(text: string): Promise<void> {
    return new Promise((resolve, reject) => {
      if (this.out.destroyed || !this.out.writable) {
        reject(new DeliveryRefusedError("connection_refused", "the console output is closed", { platform: "console" }));
        return;
      }
      this.out.write(text, (err) => {
        if (err) reject(new DeliveryRefusedError("connection_refused", `the console output is closed: ${err.message}`, { platform: "console", cause: err }));
        else resolve();
      });
    });
  }
}
