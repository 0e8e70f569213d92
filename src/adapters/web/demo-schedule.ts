// The report a newcomer sees in the playground's channel pane within minutes of `npm start` on the
// demo: the daily summary every two minutes. A summary always has content; a condition such as
// "429s > 50 over 5m for gpt-4o-mini" would post only during the demo's throttling hour.
import type { Schedule } from "../../schedules/schedule.ts";

export const PLAYGROUND_DEMO_SCHEDULE_NAME = "playground-demo";

export function playgroundDemoSchedule(timezone: string): Schedule {
  return { name: PLAYGROUND_DEMO_SCHEDULE_NAME, cron: "*/2 * * * *", timezone, report: { kind: "summary" }, post: [{ platform: "web" }], paused: false, origin: "config" };
}
