// The console's row in the platform table: reports on stdout (`post: [{ console: true }]`), and
// "schedule …" typed at the `aoai>` prompt posts there. The prompt itself is run by main.ts when
// stdin is a terminal (runConsole).
import type { Platform } from "../../app/platform.ts";
import { ConsoleReportPoster } from "./report-poster.ts";
import { consoleTarget } from "./target.ts";

export const consolePlatform: Platform<undefined, { readonly platform: "console" }> = {
  name: "console",
  target: consoleTarget,
  targetFor: () => ({ platform: "console" }),
  configure: ({ options }) =>
    Promise.resolve({
      start: () => Promise.resolve({ handle: undefined, poster: new ConsoleReportPoster(options.consoleOut ?? process.stdout), paths: [], banner: [], stop: () => Promise.resolve() }),
    }),
};
