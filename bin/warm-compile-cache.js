// Run once when the image is built: loads, without starting anything, the modules a server start
// loads (main.ts's imports, the table services, the Slack and Teams adapters), so that their
// compiled code is in Node's compile cache (bin/compile-cache.js) before the first container
// starts. The rest (charts, the playground, what only Azure needs) is cached on its first use.
import { enableCompileCache } from "node:module";

enableCompileCache?.();
const STARTED = [
  "../src/app/bot-process.ts",
  "../src/adapters/console/console.ts",
  "../src/app/table-parts.ts",
  "../src/adapters/slack/slack-app.ts",
  "../src/adapters/slack/report-poster.ts",
  "../src/adapters/teams/settings.ts",
  "../src/adapters/teams/teams-app.ts",
  "../src/adapters/teams/report-poster.ts",
  "../src/adapters/teams/card-activity.ts",
];
for (const module of STARTED) await import(module);
