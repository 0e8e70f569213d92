// Counts what the bot sends to Teams, from one place: an adapter middleware that watches every
// turn's sends and updates, the turns Teams starts and the proactive ones (scheduled reports,
// answers finished after their turn) alike. Typing indicators, traces and invoke responses (which
// ride on the HTTP response) are not deliveries.
import { ActivityTypes, type Activity } from "@microsoft/agents-activity";
import type { Middleware } from "@microsoft/agents-hosting";
import type { Logger } from "../../log/logger.ts";
import { failedOutcome, type DeliveryObserver, type DeliveryOutcome } from "../delivery-observer.ts";
import { teamsDeliveryError } from "./sender.ts";

const NOT_DELIVERIES: ReadonlySet<string> = new Set([ActivityTypes.Typing, ActivityTypes.Trace, ActivityTypes.InvokeResponse]);

export function countDeliveries(observe: DeliveryObserver, log: Logger): Middleware {
  const counted = async <T>(activities: readonly Activity[], send: () => Promise<T>): Promise<T> => {
    const n = activities.filter((a) => !NOT_DELIVERIES.has(a.type)).length;
    const tell = (outcome: DeliveryOutcome) => {
      for (let i = 0; i < n; i++) observe({ platform: "teams", outcome });
      // failures are logged where they are handled; this line ties a send to its request id
      if (n > 0) log.debug({ outcome, activities: n }, "teams send");
    };
    try {
      const sent = await send();
      tell("delivered");
      return sent;
    } catch (err) {
      tell(failedOutcome(teamsDeliveryError(err)));
      throw err;
    }
  };
  return {
    onTurn: async (context, next) => {
      context.onSendActivities((_ctx, activities, send) => counted(activities, send));
      context.onUpdateActivity((_ctx, activity, send) => counted([activity], send));
      await next();
    },
  };
}
