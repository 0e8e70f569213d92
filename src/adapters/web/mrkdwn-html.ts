// Slack mrkdwn → HTML, as Slack shows it: *bold*, _italic_, ~strike~, `code`, ```preformatted```,
// line breaks, and the <…> control sequences (links, mentions, dates). Text arrives Slack-escaped
// (&amp; &lt; &gt;), so a "<" people typed is an entity, never a control sequence; everything is
// HTML-escaped again on the way out, and only http(s)/mailto links become links.
import { escapeHtml, safeLink } from "./html.ts";

/** Slack's <…> sequences: what follows the opening character decides what they are. */
const CONTROL = /<([^<>]*)>/g;
/** Slack formats a span only between word boundaries (snake_case names stay as typed), never one that starts or ends with a space. */
const SPANS: readonly { readonly mark: string; readonly tag: string }[] = [
  { mark: "\\*", tag: "b" },
  { mark: "_", tag: "i" },
  { mark: "~", tag: "s" },
];

export function mrkdwnHtml(text: string): string {
  let out = "";
  let last = 0;
  for (const m of text.matchAll(CONTROL)) {
    out += plain(text.slice(last, m.index));
    out += control(m[1] ?? "");
    last = m.index + m[0].length;
  }
  return out + plain(text.slice(last));
}

/** `<!date^1795860000^{date_short_pretty} {time}|2026-11-28T10:00:00Z>`, `<https://x|label>`, `<@U123>`, `<!here>`. */
function control(inner: string): string {
  const bar = inner.indexOf("|");
  const target = bar < 0 ? inner : inner.slice(0, bar);
  const label = bar < 0 ? undefined : inner.slice(bar + 1);
  if (target.startsWith("!date^")) return date(target, label);
  if (target.startsWith("!")) return mention(`@${label ?? target.slice(1).split("^")[0] ?? ""}`);
  if (target.startsWith("@")) return mention(`@${label ?? target.slice(1)}`);
  if (target.startsWith("#")) return mention(`#${label ?? target.slice(1)}`);
  const href = safeLink(unescapeSlack(target));
  const shown = escapeHtml(unescapeSlack(label ?? target));
  // a link Slack would not open (javascript:, data:, a bare word) is its label, as text
  return href === undefined ? shown : `<a href="${escapeHtml(href)}" target="_blank" rel="noopener noreferrer">${shown}</a>`;
}

/** A Slack date token: its instant for the page to show in the reader's zone, the fallback until then. */
function date(target: string, fallback: string | undefined): string {
  const [, seconds = "", format = ""] = target.split("^");
  const ms = Number(seconds) * 1000;
  const shown = escapeHtml(unescapeSlack(fallback ?? ""));
  if (!Number.isFinite(ms) || seconds === "") return shown;
  return `<time class="bk-date" datetime="${new Date(ms).toISOString()}" data-format="${escapeHtml(unescapeSlack(format))}">${shown}</time>`;
}

function mention(text: string): string {
  return `<span class="bk-mention">${escapeHtml(unescapeSlack(text))}</span>`;
}

/** Text between control sequences: code and preformatted spans are kept as written, the rest formatted. */
function plain(slackText: string): string {
  if (slackText === "") return "";
  const html = escapeHtml(unescapeSlack(slackText));
  return html
    .split(/(```[\s\S]*?```|`[^`\n]+`)/)
    .map((part, i) => {
      if (i % 2 === 0) return breaks(formatted(part));
      if (part.startsWith("```")) return `<pre class="bk-pre">${part.slice(3, -3).replace(/^\n/, "")}</pre>`;
      return `<code>${part.slice(1, -1)}</code>`;
    })
    .join("");
}

function formatted(html: string): string {
  return SPANS.reduce((s, { mark, tag }) => s.replace(new RegExp(`(^|[^\\w${mark}])${mark}(?!\\s)([^${mark}\\n]+?)(?<!\\s)${mark}(?=[^\\w${mark}]|$)`, "g"), `$1<${tag}>$2</${tag}>`), html);
}

function breaks(html: string): string {
  return html.replace(/\n/g, "<br>");
}

/** Slack's three escapes, back to the characters they stand for (escaped again as HTML afterwards). */
export function unescapeSlack(text: string): string {
  return text.replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&amp;/g, "&");
}
