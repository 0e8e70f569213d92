// Scheduled reports on the console (stdout), for the embedded demo and `post: [console: true]`.
import type { Writable } from "node:stream";
import type { PostedRef, ReportPoster } from "../../schedules/poster.ts";
import type { Report } from "../../schedules/report.ts";
import { renderReportText } from "../../schedules/report-text.ts";
import type { Target } from "../../schedules/schedule.ts";

export class ConsoleReportPoster implements ReportPoster {
  private readonly out: Writable;
  private n = 0;

  constructor(out: Writable) {
    this.out = out;
  }

  post(target: Target, report: Report): Promise<PostedRef> {
    this.out.write(`${renderReportText(report)}\n`);
    return Promise.resolve({ target, id: `console-${++this.n}` });
  }

  update(ref: PostedRef, report: Report): Promise<void> {
    this.out.write(`(update to ${ref.id})\n${renderReportText(report)}\n`);
    return Promise.resolve();
  }

  reply(ref: PostedRef, report: Report): Promise<PostedRef> {
    this.out.write(`(reply to ${ref.id})\n${renderReportText(report)}\n`);
    return Promise.resolve({ target: ref.target, id: `console-${++this.n}` });
  }
}
