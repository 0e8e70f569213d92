// A chart renderer that starts and then never answers: what a wedged libvips or an endless layout
// looks like from the bot process (renderer-process.test.ts forks it instead of renderer-entry.ts).
process.send?.({ kind: "ready", rss: process.memoryUsage().rss });
process.on("message", () => undefined);
process.on("disconnect", () => process.exit(0));
