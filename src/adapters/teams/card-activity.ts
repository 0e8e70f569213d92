// A Message as the activity Teams gets: its Adaptive Card, with the card's fallback as the
// notification summary. The card renderer is synchronous; the PNGs that stand in for chart
// elements on clients that can't draw them are rendered first, within TEAMS_CHART_BUDGET_MS: a
// picture not ready by then is left out (the sparkline stands in) and never holds the answer back.
// A data URI counts against the card's 28 KB, so the picture is redrawn card-sized: 480 px wide
// in 16 colours (~6–10 KB, ~8–13 KB as base64, against ~40–100 KB for the full-size PNG).
import { MessageFactory } from "@microsoft/agents-hosting";
import type { Activity } from "@microsoft/agents-activity";
import type { Chart, Message } from "../../bot/message.ts";
import type { Logger } from "../../log/logger.ts";
import { sharedLogger } from "../../log/pino-logger.ts";
import { chartPngs, renderChartPng, shrinkChartPng, type ChartPictureOptions, type ChartRenderer } from "../chart-png.ts";
import { NO_PICTURES, type ChartPictures } from "./chart-element.ts";
import { CARD_CONTENT_TYPE, renderAdaptiveCard, type AdaptiveCard } from "./render-adaptive-card.ts";

/** Teams waits ~15 s for a bot; a picture may add this much to an answer that is otherwise ready. */
export const TEAMS_CHART_BUDGET_MS = 1_500;

export class TeamsCards {
  private readonly options: ChartPictureOptions;
  private readonly log: Logger;

  constructor(options: ChartPictureOptions = {}, log: Logger = sharedLogger()) {
    this.options = options;
    this.log = log;
  }

  async card(m: Message): Promise<AdaptiveCard> {
    return renderAdaptiveCard(m, await this.pictures(m));
  }

  async activity(m: Message): Promise<Activity> {
    const card = await this.card(m);
    const activity = MessageFactory.attachment({ contentType: CARD_CONTENT_TYPE, content: card });
    activity.summary = card.fallbackText;
    return activity;
  }

  private async pictures(m: Message): Promise<ChartPictures> {
    const charts = m.charts ?? [];
    if (charts.length === 0) return NO_PICTURES;
    const pngs = await chartPngs(charts, cardSized(this.options.render ?? renderChartPng), this.options.budgetMs ?? TEAMS_CHART_BUDGET_MS, this.log);
    return new Map(pngs.flatMap((png, i) => (png === undefined ? [] : [[i, `data:image/png;base64,${png.toString("base64")}`] as const])));
  }
}

/** The card's width in Teams is ~500 px: a wider picture only costs bytes. No dithering: flat colours compress best and stay crisp. */
export const CARD_PICTURE = { width: 480, colours: 16 } as const;

function cardSized(render: ChartRenderer): ChartRenderer {
  return async (chart: Chart) => {
    const png = await render(chart);
    if (png === undefined) return undefined;
    // by the chart renderer process, as the chart was: libvips' memory stays out of the bot
    return shrinkChartPng(png, CARD_PICTURE);
  };
}
