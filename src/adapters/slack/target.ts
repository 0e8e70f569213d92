// Where a Slack report goes: a channel id. `post: [{ slack: C0123456789 }]` in configuration.
import { z } from "zod";

declare module "../../schedules/schedule.ts" {
  interface TargetFields {
    slack: { channel: string };
  }
}

export const slackTarget = z
  .strictObject({ slack: z.string().regex(/^[CGD][A-Z0-9]{2,}$/, { error: "must be a Slack channel id such as C0123456789" }) })
  .transform((e) => ({ platform: "slack" as const, channel: e.slack }));
