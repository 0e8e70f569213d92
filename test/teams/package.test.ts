import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { crc32, inflateRawSync } from "node:zlib";
import sharp from "sharp";
import { afterAll, describe, expect, it } from "vitest";
import { checkIcons, checkManifest } from "../../teams/manifest-check.ts";

const SCRIPT = fileURLToPath(new URL("../../teams/package.ts", import.meta.url));
const TEAMS_DIR = path.dirname(SCRIPT);
const APP_ID = "1b2c3d4e-5f60-7182-93a4-b5c6d7e8f901";
const ID_VARIABLES = ["TEAMS_APP_ID", "clientId", "MicrosoftAppId", "TEAMS_APP_NAME"];

const dirs: string[] = [];
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

function runPackage(env: Record<string, string>): { code: number | null; stdout: string; stderr: string; zip: string } {
  const out = mkdtempSync(path.join(tmpdir(), "aoai-teams-"));
  dirs.push(out);
  const clean = Object.fromEntries(Object.entries(process.env).filter(([k]) => !ID_VARIABLES.includes(k)));
  const child = spawnSync(process.execPath, [SCRIPT, "--out", out], { env: { ...clean, ...env }, encoding: "utf8" });
  return { code: child.status, stdout: child.stdout, stderr: child.stderr, zip: path.join(out, "aoai-teams.zip") };
}

/** Reads the archive through its central directory, as Teams does, independently of the zip library. */
function readZip(file: string): Map<string, Buffer> {
  const zip = readFileSync(file);
  const end = zip.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  expect(end).toBeGreaterThanOrEqual(0);
  const count = zip.readUInt16LE(end + 10);
  let at = zip.readUInt32LE(end + 16);
  const files = new Map<string, Buffer>();
  for (let i = 0; i < count; i++) {
    expect(zip.readUInt32LE(at)).toBe(0x02014b50);
    const method = zip.readUInt16LE(at + 10);
    const crc = zip.readUInt32LE(at + 16);
    const size = zip.readUInt32LE(at + 20);
    const nameLength = zip.readUInt16LE(at + 28);
    const local = zip.readUInt32LE(at + 42);
    const name = zip.toString("utf8", at + 46, at + 46 + nameLength);
    const dataAt = local + 30 + zip.readUInt16LE(local + 26) + zip.readUInt16LE(local + 28);
    const raw = zip.subarray(dataAt, dataAt + size);
    const data = method === 8 ? inflateRawSync(raw) : Buffer.from(raw);
    expect(crc32(data), name).toBe(crc);
    files.set(name, data);
    at += 46 + nameLength + zip.readUInt16LE(at + 30) + zip.readUInt16LE(at + 32);
  }
  return files;
}

const pngSize = (png: Buffer | undefined) => (png === undefined ? undefined : { width: png.readUInt32BE(16), height: png.readUInt32BE(20) });

describe("npm run teams:package", () => {
  it("writes manifest.json, color.png and outline.png at the zip root with the app id in id and bots[0].botId", () => {
    const run = runPackage({ TEAMS_APP_ID: APP_ID });
    expect(run.stderr).toBe("");
    expect(run.code).toBe(0);
    expect(run.stdout).toContain(run.zip);
    expect(run.stdout).toMatch(/\(\d+ bytes/);

    const files = readZip(run.zip);
    expect([...files.keys()].sort()).toEqual(["color.png", "manifest.json", "outline.png"]);
    const manifest = JSON.parse(files.get("manifest.json")!.toString("utf8")) as { id: string; bots: { botId: string }[]; name: { short: string } };
    expect(manifest.id).toBe(APP_ID);
    expect(manifest.bots[0]?.botId).toBe(APP_ID);
    expect(manifest.name.short).toBe("aoai");
    expect(pngSize(files.get("color.png"))).toEqual({ width: 192, height: 192 });
    expect(pngSize(files.get("outline.png"))).toEqual({ width: 32, height: 32 });
    expect(files.get("color.png")).toEqual(readFileSync(path.join(TEAMS_DIR, "color.png")));
    // the same inputs give the same bytes, so a rebuilt package is recognisably the same upload
    expect(readFileSync(runPackage({ TEAMS_APP_ID: APP_ID }).zip)).toEqual(readFileSync(run.zip));
  });

  it("produces an archive unzip accepts, every file at the root", () => {
    const run = runPackage({ TEAMS_APP_ID: APP_ID });
    const test = spawnSync("/usr/bin/unzip", ["-t", run.zip], { encoding: "utf8" });
    expect(test.status).toBe(0);
    const list = spawnSync("/usr/bin/unzip", ["-Z1", run.zip], { encoding: "utf8" });
    expect(list.stdout.trim().split("\n").sort()).toEqual(["color.png", "manifest.json", "outline.png"]);
  });

  it("falls back to clientId, then MicrosoftAppId, and TEAMS_APP_NAME renames the app", () => {
    const other = "aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee";
    const fromClientId = runPackage({ clientId: APP_ID, MicrosoftAppId: other, TEAMS_APP_NAME: "aoai-staging" });
    expect(fromClientId.code).toBe(0);
    const manifest = JSON.parse(readZip(fromClientId.zip).get("manifest.json")!.toString("utf8")) as { id: string; name: { short: string; full: string } };
    expect(manifest.id).toBe(APP_ID);
    expect(manifest.name).toEqual({ short: "aoai-staging", full: "aoai-staging — Azure OpenAI monitoring" });

    const fromLegacy = runPackage({ MicrosoftAppId: other.toUpperCase() });
    expect(fromLegacy.code).toBe(0);
    expect((JSON.parse(readZip(fromLegacy.zip).get("manifest.json")!.toString("utf8")) as { id: string }).id).toBe(other);
  });

  it("exits 3 naming TEAMS_APP_ID when no app id is set, and writes nothing", () => {
    const run = runPackage({});
    expect(run.code).toBe(3);
    expect(run.stderr).toContain("TEAMS_APP_ID is not set");
    expect(existsSync(run.zip)).toBe(false);
  });

  it("exits 3 when the app id is not a GUID, naming the variable it came from", () => {
    const bad = runPackage({ TEAMS_APP_ID: "my-bot" });
    expect(bad.code).toBe(3);
    expect(bad.stderr).toContain('TEAMS_APP_ID is "my-bot", which is not a GUID');
    expect(existsSync(bad.zip)).toBe(false);

    expect(runPackage({ clientId: "1234" }).stderr).toContain('clientId is "1234"');
    const placeholder = runPackage({ TEAMS_APP_ID: "00000000-0000-0000-0000-000000000000" });
    expect(placeholder.code).toBe(3);
    expect(placeholder.stderr).toContain("placeholder");
  });
});

describe("the package checks", () => {
  const manifest = (): Record<string, unknown> => JSON.parse(readFileSync(path.join(TEAMS_DIR, "manifest.json"), "utf8")) as Record<string, unknown>;
  const icons = { color: "color.png", outline: "outline.png" };
  const files = () => new Map(["color.png", "outline.png"].map((name) => [name, readFileSync(path.join(TEAMS_DIR, name))]));

  it("passes the checked-in manifest and icons", async () => {
    expect(checkManifest(manifest()).problems).toEqual([]);
    expect(await checkIcons(icons, files())).toEqual([]);
  });

  it("reports over-long command titles and descriptions and a scope without a command list", () => {
    const m = manifest() as { bots: { commandLists: { commands: { title: string; description: string }[] }[] }[] };
    const bot = m.bots[0]!;
    bot.commandLists[0]!.commands[0]!.title = "x".repeat(33);
    bot.commandLists[1]!.commands[1]!.description = "y".repeat(129);
    bot.commandLists.pop();
    expect(checkManifest(m).problems).toEqual([
      expect.stringMatching(/^bots\.0\.commandLists\.0\.commands\.0\.title: .*32/),
      expect.stringMatching(/^bots\.0\.commandLists\.1\.commands\.1\.description: .*128/),
    ]);
    bot.commandLists[0]!.commands[0]!.title = "help me";
    bot.commandLists[1]!.commands[1]!.description = "ok";
    expect(checkManifest(m).problems).toEqual(['bots.0.commandLists: no command list for scope "groupChat"']);
  });

  const square = (size: number, r: number, g: number, b: number, alpha: number) =>
    sharp({ create: { width: size, height: size, channels: 4, background: { r, g, b, alpha } } });

  it("reports wrong icon sizes and an outline icon with coloured pixels", async () => {
    const blue = (size: number) => square(size, 15, 76, 129, 1).png().toBuffer();
    const problems = await checkIcons(icons, new Map([["color.png", await blue(96)], ["outline.png", await blue(32)]]));
    expect(problems).toEqual([
      "icons.color: color.png is 96×96, must be 192×192",
      "icons.outline: outline.png has 1024 pixel(s) that are neither white nor fully transparent, first at (0, 0)",
    ]);
    const black = await square(192, 0, 0, 0, 1).png().toBuffer();
    const clear = await square(32, 0, 0, 0, 0).png().toBuffer();
    expect(await checkIcons(icons, new Map([["color.png", black], ["outline.png", clear]]))).toEqual([]);
    expect(await checkIcons(icons, new Map())).toEqual(["icons.color: color.png is missing", "icons.outline: outline.png is missing"]);
  });

  it("reads outline icons however they were saved (16-bit, palette, interlaced), and names a file that is no PNG or is cut short", async () => {
    const white = square(32, 255, 255, 255, 1);
    const color = await square(192, 15, 76, 129, 1).png().toBuffer();
    for (const outline of [
      await white.clone().toColourspace("rgb16").png().toBuffer(),
      await white.clone().png({ palette: true }).toBuffer(),
      await white.clone().png({ progressive: true }).toBuffer(),
    ]) {
      expect(await checkIcons(icons, new Map([["color.png", color], ["outline.png", outline]]))).toEqual([]);
    }
    const grey16 = await square(32, 128, 128, 128, 1).toColourspace("grey16").png().toBuffer();
    expect(await checkIcons(icons, new Map([["color.png", color], ["outline.png", grey16]]))).toEqual([
      "icons.outline: outline.png has 1024 pixel(s) that are neither white nor fully transparent, first at (0, 0)",
    ]);
    const jpeg = await square(192, 15, 76, 129, 1).jpeg().toBuffer();
    expect(await checkIcons(icons, new Map([["color.png", jpeg], ["outline.png", Buffer.from("not an image")]]))).toEqual([
      "icons.color: color.png is not a PNG file (it is jpeg)",
      "icons.outline: outline.png is not a PNG file",
    ]);
    const truncated = readFileSync(path.join(TEAMS_DIR, "outline.png")).subarray(0, 60);
    expect(await checkIcons(icons, new Map([["color.png", color], ["outline.png", truncated]]))).toEqual(["icons.outline: outline.png has image data that cannot be read"]);
  });
});
