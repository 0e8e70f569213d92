// @ts-check
// The layer directions, as data: the src/ folders each layer may not import from. None of these
// layers may load a chat SDK either; only src/adapters/ and the process wiring do. eslint.config.js
// spreads layerConfigs: per row, no-restricted-imports (imports and re-exports, type-only ones too:
// knowing a platform's types is knowing the platform) and a no-restricted-syntax selector for
// import(), which no-restricted-imports does not see. Imports are matched by their text: a relative
// path whose ../ steps land on a forbidden folder counts ("../adapters/…", "../../bot/…").

/** `except`: files inside the forbidden folders the layer may still import ("bot/message.ts"). @typedef {{ layer: string, files: string[], folders: string[], except?: string[], why: string }} Layer */

/** @type {readonly Layer[]} */
export const LAYERS = [
  {
    layer: "query layer",
    files: ["src/queries/**"],
    folders: ["bot", "adapters", "schedules", "app", "cli", "demo", "charts"],
    why: "the query layer answers questions about Azure; it knows no conversation, platform, schedule or process wiring",
  },
  {
    layer: "bot core",
    files: ["src/bot/**"],
    folders: ["adapters", "schedules", "app", "cli", "charts"],
    why: "the bot core is platform-neutral; adapters call it, never the other way round",
  },
  {
    layer: "schedule layer",
    files: ["src/schedules/**"],
    folders: ["adapters", "charts"],
    why: "reports are posted through the platform table's posters, not by reaching into an adapter",
  },
  {
    layer: "log and retry modules",
    files: ["src/log/**", "src/retry/**"],
    folders: ["queries", "bot", "adapters", "schedules", "app", "cli", "demo", "charts"],
    why: "every layer logs and retries through them, so they depend on none",
  },
  {
    layer: "chart renderer",
    files: ["src/charts/**"],
    folders: ["queries", "bot", "adapters", "schedules", "app", "cli", "demo", "store", "retry"],
    except: ["bot/message.ts", "queries/catalog.ts"],
    why: "a chart is drawn from the neutral Chart (bot/message.ts, units from queries/catalog.ts) alone; adapters and the process call it, never the other way round",
  },
];

const CHAT_SDK = "^@(?:slack/|microsoft/agents-)";

/** @param {readonly string[]} folders @param {readonly string[]} except */
const folderRegex = (folders, except = []) => {
  const allowed = except.length === 0 ? "" : `(?!(?:${except.map((f) => f.replaceAll(".", "\\.")).join("|")})$)`;
  return `^(?:\\.{1,2}/)+(?:src/)?${allowed}(?:${folders.join("|")})(?:/|$)`;
};

/** @param {Layer} row */
function rules(row) {
  const patterns = [
    { regex: folderRegex(row.folders, row.except), message: `The ${row.layer} must not import src/{${row.folders.join(",")}}${row.except ? ` (except ${row.except.join(", ")})` : ""}: ${row.why}.` },
    { regex: CHAT_SDK, message: `The ${row.layer} must not import a chat SDK (@slack/*, @microsoft/agents-*): ${row.why}.` },
  ];
  // esquery regex literals cannot hold a "/", so the selector spells it \x2F
  const dynamic = patterns.map((p) => ({
    selector: `ImportExpression[source.value=/${p.regex.replaceAll("/", "\\x2F")}/]`,
    message: p.message,
  }));
  return {
    "no-restricted-imports": ["error", { patterns }],
    "no-restricted-syntax": ["error", ...dynamic],
  };
}

/** One flat-config object per layer. */
export const layerConfigs = LAYERS.map((row) => ({ name: `layers/${row.layer.replace(" ", "-")}`, files: row.files, rules: rules(row) }));
