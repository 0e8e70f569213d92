// One Message as the playground shows it: the text the console prints, the Block Kit Slack gets
// (and its HTML) with the pictures Slack would get uploaded beside it, and the Adaptive Card Teams
// gets (its chart elements carrying the picture as their fallback, which the page's adaptivecards
// library draws). The platforms' own renderers, unchanged: what the page shows is what they send.
import type { Message } from "../../bot/message.ts";
import { renderText } from "../../bot/render-text.ts";
import type { Logger } from "../../log/logger.ts";
import { renderBlockKit, type SlackMessage } from "../slack/render-blockkit.ts";
import { TeamsCards } from "../teams/card-activity.ts";
import type { AdaptiveCard } from "../teams/render-adaptive-card.ts";
import { blockKitHtml } from "./blockkit-html.ts";
import type { ChartPicture, ChartPictures } from "./chart-pictures.ts";

export interface Renderings {
  readonly text: string;
  /** The Block Kit payload (blocks, fallback text, the charts and attachment Slack would get as files). */
  readonly slack: SlackMessage;
  /** The blocks laid out as Slack shows them. */
  readonly slackHtml: string;
  /** The card JSON; the page renders it with the adaptivecards library. */
  readonly teams: AdaptiveCard;
  /** The charts as pictures (Slack's uploads), at this server's chart route. */
  readonly charts: readonly ChartPicture[];
}

export class Renderer {
  readonly pictures: ChartPictures;
  private readonly logger: Logger;

  constructor(pictures: ChartPictures, logger: Logger) {
    this.pictures = pictures;
    this.logger = logger;
  }

  async render(m: Message): Promise<Renderings> {
    const slack = renderBlockKit(m);
    const drawn = await this.pictures.draw(m.charts ?? []);
    // each chart drawn once: Teams' card-sized picture is made from the same PNG
    const teams = await new TeamsCards({ render: drawn.png }, this.logger).card(m);
    return { text: renderText(m), slack, slackHtml: blockKitHtml(slack.blocks), teams, charts: drawn.pictures };
  }
}
