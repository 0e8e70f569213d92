// One Message as the playground shows it: the text the console prints, the Block Kit Slack gets
// (and its HTML), the Adaptive Card Teams gets, and the chart pictures. The platforms' own
// renderers, unchanged: what the page shows is what Slack and Teams would be sent.
import type { Message } from "../../bot/message.ts";
import { renderText } from "../../bot/render-text.ts";
import { renderBlockKit, type SlackMessage } from "../slack/render-blockkit.ts";
import { renderAdaptiveCard, type AdaptiveCard } from "../teams/render-adaptive-card.ts";
import { blockKitHtml } from "./blockkit-html.ts";
import type { ChartPicture, ChartPictures } from "./chart-pictures.ts";

export interface Renderings {
  readonly text: string;
  /** The Block Kit payload (blocks, fallback text, the attachment Slack would get as a file). */
  readonly slack: SlackMessage;
  /** The blocks laid out as Slack shows them. */
  readonly slackHtml: string;
  /** The card JSON; the page renders it with the adaptivecards library. */
  readonly teams: AdaptiveCard;
  readonly charts: readonly ChartPicture[];
}

export async function renderings(m: Message, pictures: ChartPictures): Promise<Renderings> {
  const slack = renderBlockKit(m);
  return { text: renderText(m), slack, slackHtml: blockKitHtml(slack.blocks), teams: renderAdaptiveCard(m), charts: await pictures.add(m.charts ?? []) };
}
