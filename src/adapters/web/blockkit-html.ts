// Block Kit → HTML: the playground's picture of what Slack shows for a message. Every block our
// Slack renderer emits (header, section with text, fields and accessory, context, divider, actions,
// table, rich_text, image) has its layout here; a block it does not know is named, not dropped.
// Buttons keep their `value` (the encoded follow-up) for the page to press. All text is escaped;
// links and pictures only from the URLs html.ts allows.
import type { ActionsBlock, Button, ContextBlock, HeaderBlock, ImageBlock, KnownBlock, RawNumberElement, RawTextElement, RichTextBlock, RichTextElement, SectionBlock, TableBlock } from "@slack/types";
import { escapeHtml, safeImage, safeLink } from "./html.ts";
import { mrkdwnHtml } from "./mrkdwn-html.ts";

type Handled = "header" | "section" | "context" | "divider" | "actions" | "table" | "rich_text" | "image";
type BlockOf<K extends Handled> = Extract<KnownBlock, { type: K }>;

const BLOCKS: { readonly [K in Handled]: (b: BlockOf<K>) => string } = {
  header: (b: HeaderBlock) => `<div class="bk-header">${escapeHtml(b.text.text)}</div>`,
  section,
  context,
  divider: () => `<hr class="bk-divider">`,
  actions,
  table,
  rich_text: richText,
  image,
};

/** A message's blocks as one HTML fragment. */
export function blockKitHtml(blocks: readonly KnownBlock[]): string {
  return `<div class="bk-message">${blocks.map(block).join("")}</div>`;
}

function block(b: KnownBlock): string {
  const render = (BLOCKS as Partial<Record<string, (b: KnownBlock) => string>>)[b.type];
  return render ? render(b) : `<div class="bk-unknown">[${escapeHtml(b.type)} block]</div>`;
}

/** A text object: mrkdwn is read as Slack reads it, plain_text shown as written. */
function textHtml(t: { readonly type: string; readonly text: string }): string {
  return t.type === "mrkdwn" ? mrkdwnHtml(t.text) : escapeHtml(t.text).replace(/\n/g, "<br>");
}

function section(b: SectionBlock): string {
  const text = b.text ? `<div class="bk-text">${textHtml(b.text)}</div>` : "";
  const fields = b.fields && b.fields.length > 0 ? `<div class="bk-fields">${b.fields.map((f) => `<div class="bk-field">${textHtml(f)}</div>`).join("")}</div>` : "";
  const accessory = b.accessory?.type === "button" ? `<div class="bk-accessory">${button(b.accessory)}</div>` : b.accessory?.type === "image" ? `<div class="bk-accessory">${picture("image_url" in b.accessory ? b.accessory.image_url : undefined, b.accessory.alt_text, "bk-thumb")}</div>` : "";
  return `<div class="bk-section"><div class="bk-body">${text}${fields}</div>${accessory}</div>`;
}

function context(b: ContextBlock): string {
  const parts = b.elements.map((e) => (e.type === "image" ? picture("image_url" in e ? e.image_url : undefined, e.alt_text, "bk-icon") : `<span>${textHtml(e)}</span>`));
  return `<div class="bk-context">${parts.join(" ")}</div>`;
}

function actions(b: ActionsBlock): string {
  const buttons = b.elements.flatMap((e) => (e.type === "button" ? [button(e)] : [`<span class="bk-unknown">[${escapeHtml(e.type)}]</span>`]));
  return `<div class="bk-actions"${b.block_id ? ` data-block-id="${escapeHtml(b.block_id)}"` : ""}>${buttons.join("")}</div>`;
}

/** A button the page presses with its value; a link button opens its (safe) URL instead. */
function button(e: Button): string {
  const style = e.style ? ` bk-${e.style}` : "";
  const label = escapeHtml(e.text.text);
  const href = e.url === undefined ? undefined : safeLink(e.url);
  if (href !== undefined) return `<a class="bk-button${style}" href="${escapeHtml(href)}" target="_blank" rel="noopener noreferrer">${label}</a>`;
  return `<button type="button" class="bk-button${style}" data-action-id="${escapeHtml(e.action_id ?? "")}" data-value="${escapeHtml(e.value ?? "")}">${label}</button>`;
}

function table(b: TableBlock): string {
  const align = (b.column_settings ?? []).map((s) => s.align ?? "left");
  const rows = b.rows.map((row, r) => {
    const tag = r === 0 ? "th" : "td";
    return `<tr>${row.map((c, i) => `<${tag} class="bk-${align[i] ?? "left"}">${cell(c)}</${tag}>`).join("")}</tr>`;
  });
  return `<table class="bk-table"><tbody>${rows.join("")}</tbody></table>`;
}

/** raw_text and raw_number as written (Slack reads no markup in them), a rich_text cell as rich text. */
function cell(c: RichTextBlock | RawTextElement | RawNumberElement): string {
  return c.type === "rich_text" ? richTextParts(c) : escapeHtml(c.text);
}

function richText(b: RichTextBlock): string {
  return `<div class="bk-rich">${richTextParts(b)}</div>`;
}

function richTextParts(b: RichTextBlock): string {
  return b.elements
    .map((e) => {
      switch (e.type) {
        case "rich_text_section":
          return `<div>${e.elements.map(inline).join("")}</div>`;
        case "rich_text_preformatted":
          return `<pre class="bk-pre">${e.elements.map(inline).join("")}</pre>`;
        case "rich_text_quote":
          return `<blockquote class="bk-quote">${e.elements.map(inline).join("")}</blockquote>`;
        case "rich_text_list": {
          const tag = e.style === "ordered" ? "ol" : "ul";
          return `<${tag}>${e.elements.map((s) => `<li>${s.elements.map(inline).join("")}</li>`).join("")}</${tag}>`;
        }
        default:
          return "";
      }
    })
    .join("");
}

/** One inline element of rich text, with its bold/italic/strike/code style. */
function inline(e: RichTextElement): string {
  const style = "style" in e ? e.style : undefined;
  return styled(inlineContent(e), style);
}

function inlineContent(e: RichTextElement): string {
  switch (e.type) {
    case "text":
      return escapeHtml(e.text);
    case "link": {
      const href = safeLink(e.url);
      const shown = escapeHtml(e.text ?? e.url);
      return href === undefined ? shown : `<a href="${escapeHtml(href)}" target="_blank" rel="noopener noreferrer">${shown}</a>`;
    }
    case "date":
      return `<time class="bk-date" datetime="${new Date(e.timestamp * 1000).toISOString()}" data-format="${escapeHtml(e.format)}">${escapeHtml(e.fallback ?? new Date(e.timestamp * 1000).toISOString())}</time>`;
    case "emoji":
      return escapeHtml(e.unicode ? String.fromCodePoint(...e.unicode.split("-").map((h) => Number.parseInt(h, 16))) : `:${e.name}:`);
    case "user":
      return `<span class="bk-mention">@${escapeHtml(e.user_id)}</span>`;
    case "channel":
      return `<span class="bk-mention">#${escapeHtml(e.channel_id)}</span>`;
    case "usergroup":
      return `<span class="bk-mention">@${escapeHtml(e.usergroup_id)}</span>`;
    case "team":
      return `<span class="bk-mention">${escapeHtml(e.team_id)}</span>`;
    case "broadcast":
      return `<span class="bk-mention">@${escapeHtml(e.range)}</span>`;
    case "color":
      return escapeHtml(e.value);
  }
}

function styled(html: string, style: { bold?: boolean; italic?: boolean; strike?: boolean; code?: boolean } | undefined): string {
  if (!style) return html;
  const tags = [style.bold && "b", style.italic && "i", style.strike && "s", style.code && "code"].filter((t): t is string => typeof t === "string");
  return tags.reduce((s, t) => `<${t}>${s}</${t}>`, html);
}

function image(b: ImageBlock): string {
  const title = b.title ? `<div class="bk-image-title">${escapeHtml(b.title.text)}</div>` : "";
  return `<figure class="bk-image">${title}${picture("image_url" in b ? b.image_url : undefined, b.alt_text, "bk-picture")}</figure>`;
}

/** An <img> from an allowed URL; otherwise (a Slack-hosted file, a URL we won't load) its alt text. */
function picture(url: string | undefined, alt: string, cls: string): string {
  const src = url === undefined ? undefined : safeImage(url);
  if (src === undefined) return `<span class="bk-alt">[${escapeHtml(alt)}]</span>`;
  return `<img class="${cls}" src="${escapeHtml(src)}" alt="${escapeHtml(alt)}">`;
}
