// npm run teams:package [-- --out <dir>]: the Teams app package, dist/aoai-teams.zip, to upload in
// Teams or the Teams admin centre. teams/manifest.json carries the all-zero placeholder GUID because
// the app id is per installation: it is the Azure Bot's Microsoft App ID, taken from TEAMS_APP_ID,
// else clientId, else MicrosoftAppId (the names the Agents SDK reads it under), and written into
// both `id` and `bots[0].botId`. TEAMS_APP_NAME optionally replaces the short name (e.g. "aoai-staging"
// for a second bot in the same tenant). Everything is checked before the zip is written.
// Exit codes: 0 written, 3 missing or bad app id, bad manifest or icons (each problem on stderr).
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { zipSync, type Zippable } from "fflate";
import { GUID, PLACEHOLDER_ID, checkIcons, checkManifest } from "./manifest-check.ts";

const APP_ID_VARIABLES = ["TEAMS_APP_ID", "clientId", "MicrosoftAppId"] as const;
const TEAMS_DIR = fileURLToPath(new URL(".", import.meta.url));
const DEFAULT_OUT_DIR = fileURLToPath(new URL("../dist/", import.meta.url));
const PACKAGE_FILE = "aoai-teams.zip";
// A fixed timestamp (local 2024-01-01 00:00, as zip stores it) keeps the archive byte-for-byte
// reproducible from the same inputs.
const ZIP_TIME = new Date(2024, 0, 1);

class PackageError extends Error {}

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === "object" && v !== null && !Array.isArray(v);

function appIdFrom(env: NodeJS.ProcessEnv): string {
  const variable = APP_ID_VARIABLES.find((name) => (env[name] ?? "").trim() !== "");
  if (variable === undefined) {
    throw new PackageError(`TEAMS_APP_ID is not set. Set it to the Azure Bot's Microsoft App ID (Azure portal → the Azure Bot → Configuration), a GUID; clientId or MicrosoftAppId are used when TEAMS_APP_ID is absent.`);
  }
  const value = env[variable]!.trim();
  if (!GUID.test(value)) throw new PackageError(`${variable} is "${value}", which is not a GUID: it must be the Azure Bot's Microsoft App ID, like 1b2c3d4e-5f60-7182-93a4-b5c6d7e8f901.`);
  if (value === PLACEHOLDER_ID) throw new PackageError(`${variable} is the placeholder ${PLACEHOLDER_ID}: set it to the Azure Bot's Microsoft App ID.`);
  // Teams and the Bot Connector write app ids in lower case; matching that keeps ids comparable in logs.
  return value.toLowerCase();
}

function readManifest(): Json {
  const file = path.join(TEAMS_DIR, "manifest.json");
  let manifest: unknown;
  try {
    manifest = JSON.parse(readFileSync(file, "utf8"));
  } catch (error) {
    throw new PackageError(`${file}: ${error instanceof Error ? error.message : String(error)}`);
  }
  if (!isObject(manifest)) throw new PackageError(`${file}: must hold a JSON object`);
  return manifest;
}

function personalise(manifest: Json, appId: string, shortName: string | undefined): void {
  manifest.id = appId;
  if (Array.isArray(manifest.bots)) for (const bot of manifest.bots as unknown[]) if (isObject(bot)) bot.botId = appId;
  if (shortName !== undefined && isObject(manifest.name) && typeof manifest.name.short === "string") {
    const { short, full } = manifest.name;
    // "aoai — Azure OpenAI monitoring" becomes "aoai-staging — Azure OpenAI monitoring"
    if (typeof full === "string" && full.startsWith(short)) manifest.name.full = shortName + full.slice(short.length);
    manifest.name.short = shortName;
  }
}

function readIcon(name: string): Uint8Array | undefined {
  try {
    return readFileSync(path.join(TEAMS_DIR, name));
  } catch {
    return undefined;
  }
}

async function build(argv: readonly string[], env: NodeJS.ProcessEnv): Promise<string> {
  let outDir: string;
  try {
    const { values } = parseArgs({ args: [...argv], options: { out: { type: "string" } }, strict: true, allowPositionals: false });
    outDir = path.resolve(values.out ?? DEFAULT_OUT_DIR);
  } catch (error) {
    throw new PackageError(`${error instanceof Error ? error.message : String(error)}\nusage: node teams/package.ts [--out <dir>]`);
  }
  const appId = appIdFrom(env);
  const manifest = readManifest();
  const shortName = env.TEAMS_APP_NAME?.trim();
  personalise(manifest, appId, shortName === "" ? undefined : shortName);

  const { problems, icons } = checkManifest(manifest);
  const files = new Map<string, Uint8Array>();
  for (const name of icons === undefined ? [] : [icons.color, icons.outline]) {
    const png = readIcon(name);
    if (png !== undefined) files.set(name, png);
  }
  const all = [...problems, ...(icons === undefined ? [] : await checkIcons(icons, files))];
  if (all.length > 0) throw new PackageError(`teams/manifest.json is not ready to upload:\n${all.map((p) => `  ${p}`).join("\n")}`);

  const entries = new Map<string, Uint8Array>([["manifest.json", Buffer.from(`${JSON.stringify(manifest, null, 2)}\n`, "utf8")], ...files]);
  const archive: Zippable = {};
  // PNGs are compressed already: deflating them again only costs time, so they are stored
  for (const [name, data] of entries) archive[name] = [data, { level: name.endsWith(".png") ? 0 : 9, mtime: ZIP_TIME }];
  const zip = zipSync(archive);
  mkdirSync(outDir, { recursive: true });
  const file = path.join(outDir, PACKAGE_FILE);
  writeFileSync(file, zip);
  const shown = path.relative(process.cwd(), file);
  return `wrote ${shown.startsWith("..") || path.isAbsolute(shown) ? file : shown} (${zip.length} bytes: ${[...entries.keys()].join(", ")}) for app id ${appId}`;
}

try {
  console.log(await build(process.argv.slice(2), process.env));
} catch (error) {
  if (!(error instanceof PackageError)) throw error;
  console.error(error.message);
  process.exitCode = 3;
}
