// `slack.charts` in configuration: how answers' charts reach Slack. Its own light file, so reading
// configuration never loads the Slack SDK or the chart renderer.

/**
 * png: each chart as a picture uploaded beside the answer (filesUploadV2, needs files:write);
 * native: a data_visualization block in the message (Slack's 2026 chart block, rollout unverified),
 * with the PNG when Slack refuses the block or a chart does not fit its limits; off: text only.
 */
export const SLACK_CHART_MODES = ["png", "native", "off"] as const;
export type SlackChartMode = (typeof SLACK_CHART_MODES)[number];
export const DEFAULT_SLACK_CHART_MODE: SlackChartMode = "png";
