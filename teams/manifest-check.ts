// The checks Teams would otherwise only make at upload time (admin centre or "Upload a custom app"),
// where the error rarely says which field is wrong. Limits are the manifest schema's, or Teams' own
// where they are tighter (command menu titles are cut at 32 characters, descriptions at 128).
import sharp, { type Metadata } from "sharp";
import { z } from "zod";

export const GUID = /^[0-9a-fA-F]{8}-(?:[0-9a-fA-F]{4}-){3}[0-9a-fA-F]{12}$/;
export const PLACEHOLDER_ID = "00000000-0000-0000-0000-000000000000";

const guid = z.string().regex(GUID, "must be a GUID");
const httpsUrl = z.string().max(2048).regex(/^https:\/\//i, "must be an https:// URL");
const scope = z.enum(["personal", "team", "groupChat", "copilot"]);
// The package puts every file at the zip root, so an icon is a bare file name.
const iconFile = z.string().regex(/^[^/\\]+\.png$/i, "must be a .png file name without a folder");

const command = z.object({
  title: z.string().min(1).max(32),
  description: z.string().min(1).max(128),
});

const bot = z.object({
  botId: guid,
  scopes: z.array(scope).min(1).max(3),
  supportsFiles: z.boolean().optional(),
  isNotificationOnly: z.boolean().optional(),
  commandLists: z.array(z.object({
    scopes: z.array(scope).min(1),
    commands: z.array(command).min(1).max(10),
  })).max(3).optional(),
});

const ManifestSchema = z.object({
  $schema: z.string().optional(),
  manifestVersion: z.string().regex(/^1\.\d+$/, "must be a released schema version such as 1.29"),
  version: z.string().regex(/^\d+\.\d+\.\d+$/, "must be MAJOR.MINOR.PATCH"),
  id: guid,
  developer: z.object({
    name: z.string().min(1).max(32),
    websiteUrl: httpsUrl,
    privacyUrl: httpsUrl,
    termsOfUseUrl: httpsUrl,
  }),
  name: z.object({ short: z.string().min(1).max(30), full: z.string().min(1).max(100).optional() }),
  description: z.object({ short: z.string().min(1).max(80), full: z.string().min(1).max(4000) }),
  icons: z.object({ color: iconFile, outline: iconFile }),
  accentColor: z.string().regex(/^#[0-9a-fA-F]{6}$/, "must be #RRGGBB"),
  bots: z.array(bot).length(1, "must hold exactly one bot"),
  validDomains: z.array(z.string()).max(100).optional(),
});

export type Manifest = z.infer<typeof ManifestSchema>;

export interface ManifestCheck {
  readonly problems: readonly string[];
  /** Present when the manifest names its icons well enough to look for them. */
  readonly icons: Manifest["icons"] | undefined;
}

export function checkManifest(value: unknown): ManifestCheck {
  const parsed = ManifestSchema.safeParse(value);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${issue.path.map(String).join(".") || "manifest"}: ${issue.message}`);
    const icons = z.object({ icons: ManifestSchema.shape.icons }).safeParse(value);
    return { problems, icons: icons.success ? icons.data.icons : undefined };
  }
  const manifest = parsed.data;
  const problems: string[] = [];
  if (manifest.$schema !== undefined && !manifest.$schema.includes(`/v${manifest.manifestVersion}/`)) {
    problems.push(`$schema: names a different version than manifestVersion ${manifest.manifestVersion}`);
  }
  manifest.bots.forEach((b, i) => {
    const listed = new Set<string>();
    (b.commandLists ?? []).forEach((list, j) => {
      for (const s of list.scopes) {
        if (!b.scopes.includes(s)) problems.push(`bots.${i}.commandLists.${j}.scopes: "${s}" is not one of the bot's scopes`);
        listed.add(s);
      }
      const titles = list.commands.map((c) => c.title.toLowerCase());
      const repeated = titles.filter((t, k) => titles.indexOf(t) !== k);
      if (repeated.length > 0) problems.push(`bots.${i}.commandLists.${j}.commands: "${repeated[0]!}" is listed twice`);
    });
    // Teams shows a scope's menu only from a list naming that scope; a missing one is an empty menu.
    if (b.commandLists !== undefined) {
      for (const s of b.scopes) if (!listed.has(s)) problems.push(`bots.${i}.commandLists: no command list for scope "${s}"`);
    }
  });
  return { problems, icons: manifest.icons };
}

const ICON_SIZES = { color: 192, outline: 32 } as const;

/** Format and size; the outline icon must also be white on transparent, which Teams enforces. */
export async function checkIcons(icons: Manifest["icons"], files: ReadonlyMap<string, Uint8Array>): Promise<string[]> {
  const problems: string[] = [];
  for (const role of ["color", "outline"] as const) {
    const name = icons[role];
    const png = files.get(name);
    if (png === undefined) {
      problems.push(`icons.${role}: ${name} is missing`);
      continue;
    }
    const problem = await iconProblem(png, ICON_SIZES[role], role === "outline");
    if (problem !== undefined) problems.push(`icons.${role}: ${name} ${problem}`);
  }
  return problems;
}

async function iconProblem(png: Uint8Array, size: number, outline: boolean): Promise<string | undefined> {
  let meta: Metadata;
  try {
    meta = await sharp(png).metadata();
  } catch {
    return "is not a PNG file";
  }
  if (meta.format !== "png") return `is not a PNG file (it is ${meta.format})`;
  if (meta.width !== size || meta.height !== size) return `is ${meta.width}×${meta.height}, must be ${size}×${size}`;
  return outline ? outlineProblem(png) : undefined;
}

async function outlineProblem(png: Uint8Array): Promise<string | undefined> {
  let pixels: { data: Buffer; info: { width: number; height: number } };
  try {
    // 8-bit sRGB with alpha whatever the file holds (grey, palette, 16-bit, interlaced)
    pixels = await sharp(png).toColourspace("srgb").ensureAlpha().raw().toBuffer({ resolveWithObject: true });
  } catch {
    return "has image data that cannot be read";
  }
  const { data, info } = pixels;
  let bad = 0;
  let first: string | undefined;
  for (let i = 0; i < info.width * info.height; i++) {
    const [r, g, b, a] = data.subarray(i * 4, i * 4 + 4);
    if (a !== 0 && (r !== 255 || g !== 255 || b !== 255)) {
      bad++;
      first ??= `(${i % info.width}, ${Math.floor(i / info.width)})`;
    }
  }
  return bad === 0 ? undefined : `has ${bad} pixel(s) that are neither white nor fully transparent, first at ${first!}`;
}
