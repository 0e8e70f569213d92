#!/usr/bin/env node
// Entry point of the `aoai` command. The code is TypeScript run by Node's type stripping,
// which needs Node >= 22.18; say so plainly instead of failing on syntax.
const [major, minor] = process.versions.node.split(".").map(Number);
if (major < 22 || (major === 22 && minor < 18)) {
  process.stderr.write(`aoai needs Node.js 22.18 or newer (this is ${process.version}). Run it through npm (npx aoai ...), which uses the Node 24 pinned in package.json.\n`);
  process.exit(1);
}
// Node keeps the type-stripped, compiled modules in its compile cache (the OS temp directory):
// every run after the first skips stripping and compiling ~300 files, most of a quick answer's time
const { enableCompileCache } = await import("node:module");
enableCompileCache?.();
const { runCli } = await import("../src/cli/main.ts");
process.exitCode = await runCli(process.argv.slice(2));
