// The messages between the bot process and its chart renderer process (renderer-process.ts forks
// renderer-entry.ts), sent over IPC with serialization "advanced", so PNG bytes travel as bytes.
import type { Chart } from "../bot/message.ts";
import type { LogFields } from "../log/logger.ts";

export interface ShrinkSize {
  readonly width: number;
  readonly colours: number;
}

/** Draw a chart, or redraw a PNG smaller (Teams cards). */
export type RenderRequest =
  | { readonly id: number; readonly kind: "chart"; readonly chart: Chart }
  | { readonly id: number; readonly kind: "shrink"; readonly png: Uint8Array; readonly size: ShrinkSize };

export type RenderLevel = "debug" | "info" | "warn" | "error";

/** What the renderer says: that it is ready, an answer (no png: nothing drawn, logged), or a log line of a render. */
export type RendererMessage =
  | { readonly kind: "ready"; readonly rss: number }
  | { readonly kind: "done"; readonly id: number; readonly png?: Uint8Array; readonly rss: number }
  | { readonly kind: "log"; readonly level: RenderLevel; readonly fields: LogFields; readonly msg: string };
