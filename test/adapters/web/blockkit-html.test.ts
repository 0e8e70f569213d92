// Block Kit as the playground shows it: every block our Slack renderer emits laid out as Slack lays
// it out, mrkdwn read as Slack reads it, and nothing people or Azure wrote able to become markup,
// a script or a link Slack would not open.
import type { KnownBlock } from "@slack/types";
import { describe, expect, it } from "vitest";
import { renderBlockKit } from "../../../src/adapters/slack/render-blockkit.ts";
import { blockKitHtml } from "../../../src/adapters/web/blockkit-html.ts";
import { localTime, message } from "../../../src/bot/message.ts";

/** The tags and attributes a rendering may contain: anything else came from text that was not escaped. */
const ALLOWED_TAGS = new Set(["div", "span", "b", "i", "s", "code", "pre", "br", "hr", "a", "button", "table", "tbody", "tr", "th", "td", "time", "blockquote", "ul", "ol", "li", "figure", "img"]);
const ALLOWED_ATTRIBUTES = new Set(["class", "href", "target", "rel", "src", "alt", "type", "datetime", "data-format", "data-value", "data-action-id", "data-block-id"]);

/** Every tag is an allowed one whose attributes are allowed names with quoted values, and links go nowhere that runs code. */
function expectInert(html: string): void {
  const found: string[] = [];
  for (const [, name = "", attributes = ""] of html.matchAll(/<\/?([a-zA-Z][\w-]*)([^>]*)>/g)) {
    found.push(name.toLowerCase());
    // what is left after the name="value" pairs: text that got into a tag
    const rest = attributes.replace(/\s+([a-z-]+)="([^"]*)"/g, (_m, a: string) => {
      found.push(`@${a}`);
      return "";
    });
    expect(rest.trim()).toBe("");
  }
  expect(found.filter((t) => (t.startsWith("@") ? !ALLOWED_ATTRIBUTES.has(t.slice(1)) : !ALLOWED_TAGS.has(t)))).toEqual([]);
  expect(html).not.toMatch(/(?:href|src)="\s*(?:javascript|data:text|vbscript)/i);
  // a "<" that starts no tag we know is text that was not escaped
  expect(html.replace(/<\/?[a-zA-Z][\w-]*[^>]*>/g, "")).not.toContain("<");
}

describe("Block Kit → HTML: every block kind", () => {
  it("lays out a header, a section with text and fields, a context, a divider and buttons that keep their follow-up", () => {
    const blocks: KnownBlock[] = [
      { type: "header", text: { type: "plain_text", text: "Latency — last 24 h", emoji: true } },
      { type: "section", text: { type: "mrkdwn", text: "*Time to response*: *1,014 ms*  ▼ −25.6 %\n`█▅▃`" }, fields: [{ type: "mrkdwn", text: "*gpt-4o*\n2,135 ms" }, { type: "plain_text", text: "gpt-4o-mini" }] },
      { type: "context", elements: [{ type: "mrkdwn", text: "aoai-demo · AzureOpenAITimeToResponse" }] },
      { type: "divider" },
      { type: "actions", block_id: "aoai_follow_up", elements: [{ type: "button", action_id: "aoai_window_10080", text: { type: "plain_text", text: "7d" }, value: '{"kind":"window","text":"latency","minutes":10080}' }] },
    ];
    const html = blockKitHtml(blocks);
    expect(html).toContain('<div class="bk-header">Latency — last 24 h</div>');
    expect(html).toContain("<b>Time to response</b>: <b>1,014 ms</b>  ▼ −25.6 %<br><code>█▅▃</code>");
    expect(html).toContain('<div class="bk-fields"><div class="bk-field"><b>gpt-4o</b><br>2,135 ms</div><div class="bk-field">gpt-4o-mini</div></div>');
    expect(html).toContain('<div class="bk-context"><span>aoai-demo · AzureOpenAITimeToResponse</span></div>');
    expect(html).toContain('<hr class="bk-divider">');
    expect(html).toContain('<button type="button" class="bk-button" data-action-id="aoai_window_10080" data-value="{&quot;kind&quot;:&quot;window&quot;,&quot;text&quot;:&quot;latency&quot;,&quot;minutes&quot;:10080}">7d</button>');
    expectInert(html);
  });

  it("lays out a table block: the header row, aligned columns, raw text and numbers as written, a date cell in the reader's zone", () => {
    const html = blockKitHtml([
      {
        type: "table",
        column_settings: [{ align: "left" }, { align: "right" }, { align: "left" }],
        rows: [
          ["Deployment", "429s", "When"].map((c) => ({ type: "rich_text" as const, elements: [{ type: "rich_text_section" as const, elements: [{ type: "text" as const, text: c, style: { bold: true } }] }] })),
          [
            { type: "raw_text", text: "gpt-4o *not bold* <b>" },
            { type: "raw_number", value: 1204, text: "1,204" },
            { type: "rich_text", elements: [{ type: "rich_text_section", elements: [{ type: "date", timestamp: 1795946400, format: "{date_short_pretty} {time}", fallback: "2026-11-29T10:00:00Z" }] }] },
          ],
        ],
      },
    ]);
    expect(html).toContain('<th class="bk-left"><div><b>Deployment</b></div></th><th class="bk-right"><div><b>429s</b></div></th>');
    expect(html).toContain('<td class="bk-left">gpt-4o *not bold* &lt;b&gt;</td><td class="bk-right">1,204</td>');
    expect(html).toContain('<time class="bk-date" datetime="2026-11-29T10:00:00.000Z" data-format="{date_short_pretty} {time}">2026-11-29T10:00:00Z</time>');
    expectInert(html);
  });

  it("lays out rich text: preformatted text as written, a list, a quote, styles, links, mentions and emoji", () => {
    const html = blockKitHtml([
      {
        type: "rich_text",
        elements: [
          { type: "rich_text_preformatted", elements: [{ type: "text", text: "Deployment  429s\ngpt-4o      *12*" }] },
          { type: "rich_text_list", style: "bullet", elements: [{ type: "rich_text_section", elements: [{ type: "text", text: "one" }] }] },
          { type: "rich_text_quote", elements: [{ type: "text", text: "quoted", style: { italic: true } }] },
          { type: "rich_text_section", elements: [{ type: "link", url: "https://portal.azure.com/#view", text: "Open in Azure portal" }, { type: "user", user_id: "U123" }, { type: "emoji", name: "warning", unicode: "26a0-fe0f" }, { type: "text", text: "x", style: { bold: true, code: true } }] },
        ],
      },
    ]);
    expect(html).toContain('<pre class="bk-pre">Deployment  429s\ngpt-4o      *12*</pre>');
    expect(html).toContain("<ul><li>one</li></ul>");
    expect(html).toContain('<blockquote class="bk-quote"><i>quoted</i></blockquote>');
    expect(html).toContain('<a href="https://portal.azure.com/#view" target="_blank" rel="noopener noreferrer">Open in Azure portal</a>');
    expect(html).toContain('<span class="bk-mention">@U123</span>');
    expect(html).toContain("⚠️");
    expect(html).toContain("<code><b>x</b></code>");
    expectInert(html);
  });

  it("lays out an image block from an http(s) URL or this server's own chart route, and names a block it does not know", () => {
    const html = blockKitHtml([
      { type: "image", image_url: "/playground/charts/0b7e4a3c-9f1d-4c2e-8a55-2f4b6c8d9e01.png", alt_text: "Latency by deployment", title: { type: "plain_text", text: "Latency" } },
      { type: "image", image_url: "https://example.com/chart.png", alt_text: "remote" },
      { type: "markdown", text: "**x**" },
    ]);
    expect(html).toContain('<figure class="bk-image"><div class="bk-image-title">Latency</div><img class="bk-picture" src="/playground/charts/0b7e4a3c-9f1d-4c2e-8a55-2f4b6c8d9e01.png" alt="Latency by deployment"></figure>');
    expect(html).toContain('src="https://example.com/chart.png"');
    expect(html).toContain('<div class="bk-unknown">[markdown block]</div>');
  });

  it("reads Slack's date tokens, links and mentions in mrkdwn, and leaves snake_case words alone", () => {
    const html = blockKitHtml([{ type: "context", elements: [{ type: "mrkdwn", text: "Window: <!date^1795860000^{date_short_pretty} {time}|2026-11-28T10:00:00Z> · <https://portal.azure.com/#blade|Open in Azure portal> · <!here> · text_embedding_3 · _italic_ · ~gone~" }] }]);
    expect(html).toContain('<time class="bk-date" datetime="2026-11-28T10:00:00.000Z" data-format="{date_short_pretty} {time}">2026-11-28T10:00:00Z</time>');
    expect(html).toContain('<a href="https://portal.azure.com/#blade" target="_blank" rel="noopener noreferrer">Open in Azure portal</a>');
    expect(html).toContain('<span class="bk-mention">@here</span>');
    expect(html).toContain("text_embedding_3 · <i>italic</i> · <s>gone</s>");
  });

  it("shows every block of a whole answer our Slack renderer made, none of them unknown", () => {
    const m = message("answer", "info", "Latency — last 24 h", {
      lines: ["Understood: **Latency** · all deployments"],
      figures: [{ label: "Time to response", value: 1014, unit: "MilliSeconds", text: "1,014 ms", change: "▼ −25.6 %", baseline: "vs the previous 24 h (1,363 ms)", series: { label: "Time to response", unit: "MilliSeconds", points: [{ time: "2026-11-29T09:00:00Z", value: 1000 }, { time: "2026-11-29T09:15:00Z", value: null }, { time: "2026-11-29T09:30:00Z", value: 1100 }] }, breakdown: { title: "by deployment", columns: ["Deployment", "Value"], rows: [["gpt-4o", "2,135 ms"]], more: 0 }, source: "aoai-demo · AzureOpenAITimeToResponse · Average" }],
      tables: [{ title: "Last failed requests", columns: ["Time", "Deployment", "Status"], rows: [[localTime("2026-11-29T09:58:12Z"), "gpt-4o", "429"]], more: 0, data: { align: ["left", "left", "right"] } }],
      notes: ["Data is in up to 09:59 UTC"],
      window: { start: "2026-11-28T10:00:00Z", end: "2026-11-29T10:00:00Z" },
      footnotes: ["Latency is the time to the first token."],
      actions: [{ label: "7d", followUp: { kind: "window", text: "latency by deployment last 24h", minutes: 10080 } }],
    });
    const html = blockKitHtml(renderBlockKit(m).blocks);
    expect(html).not.toContain("bk-unknown");
    expect(html).toContain("Latency — last 24 h");
    expect(html).toContain("<b>gpt-4o</b><br>2,135 ms");
    expect(html).toContain('<table class="bk-table">');
    expect(html).toContain('data-action-id="aoai_window_10080"');
    expect(html).toContain('<time class="bk-date" datetime="2026-11-29T10:00:00.000Z"');
    expectInert(html);
  });
});

describe("Block Kit → HTML: hostile text stays text", () => {
  it("escapes <script>, quotes and ampersands wherever text goes: headers, plain text, fields, buttons, cells, alt text", () => {
    const hostile = `<script>alert("x")</script> & "quoted" 'single'`;
    const html = blockKitHtml([
      { type: "header", text: { type: "plain_text", text: hostile } },
      { type: "section", text: { type: "plain_text", text: hostile }, fields: [{ type: "plain_text", text: hostile }] },
      { type: "actions", elements: [{ type: "button", action_id: `a"><script>`, text: { type: "plain_text", text: hostile }, value: `"><img src=x onerror=alert(1)>` }] },
      { type: "table", rows: [[{ type: "raw_text", text: hostile }]] },
      { type: "image", image_url: `https://example.com/x.png"onerror="alert(1)`, alt_text: hostile },
      { type: "image", image_url: `https://example.com/x.png" onerror="alert(1)`, alt_text: "spaced" },
      { type: "rich_text", elements: [{ type: "rich_text_preformatted", elements: [{ type: "text", text: hostile }] }] },
    ]);
    expect(html).not.toContain("<script");
    expect(html).toContain("&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &quot;quoted&quot; &#39;single&#39;");
    expect(html).toContain('data-value="&quot;&gt;&lt;img src=x onerror=alert(1)&gt;"');
    expect(html).toContain('src="https://example.com/x.png&quot;onerror=&quot;alert(1)"');
    // a URL with spaces is no URL Slack would load
    expect(html).toContain('<span class="bk-alt">[spaced]</span>');
    expectInert(html);
  });

  it("shows Slack-escaped mrkdwn as the characters people typed, escaped once (&lt; stays a visible <)", () => {
    // our Slack renderer escapes &, < and > in what people and Azure wrote (render-blockkit.ts esc)
    const html = blockKitHtml([{ type: "section", text: { type: "mrkdwn", text: "filter a &amp; b &lt;script&gt;alert(1)&lt;/script&gt; \"q\"" } }]);
    expect(html).toContain("filter a &amp; b &lt;script&gt;alert(1)&lt;/script&gt; &quot;q&quot;");
    expect(html).not.toContain("&amp;lt;");
    expectInert(html);
  });

  it("never makes a link of javascript:, data: or a bare word in mrkdwn or rich text: the label is shown as text", () => {
    const html = blockKitHtml([
      { type: "section", text: { type: "mrkdwn", text: "<javascript:alert(1)|x> <data:text/html,<b>|y> <JavaScript:alert(1)> <notaurl|z>" } },
      { type: "rich_text", elements: [{ type: "rich_text_section", elements: [{ type: "link", url: "javascript:alert(2)", text: "w" }] }] },
      { type: "actions", elements: [{ type: "button", action_id: "open", text: { type: "plain_text", text: "Open" }, url: "javascript:alert(3)", value: "v" }] },
      { type: "image", image_url: "javascript:alert(4)", alt_text: "chart" },
      { type: "image", image_url: "//evil.example/x.png", alt_text: "elsewhere" },
    ]);
    expect(html).not.toContain("<a ");
    expect(html).not.toMatch(/javascript:alert\([24]\)/i);
    expect(html).toContain("x");
    expect(html).toContain(">w</div>");
    expect(html).toContain('<span class="bk-alt">[chart]</span>');
    expect(html).toContain('<span class="bk-alt">[elsewhere]</span>');
    expectInert(html);
  });

  it("keeps a link's URL inside its attribute, quotes and ampersands escaped", () => {
    const html = blockKitHtml([{ type: "section", text: { type: "mrkdwn", text: '<https://portal.azure.com/?a=1&amp;b="2"onmouseover=alert(1)|Open>' } }]);
    expect(html).toContain('<a href="https://portal.azure.com/?a=1&amp;b=&quot;2&quot;onmouseover=alert(1)" target="_blank" rel="noopener noreferrer">Open</a>');
    expectInert(html);
  });

  it("shows a hostile Message the way Slack would: our renderer's escapes, then HTML's, never markup", () => {
    const m = message("answer", "info", `<script>alert(1)</script> "t" &`, {
      lines: ["**bold** & `code` <img src=x onerror=alert(1)> <javascript:alert(1)|x>"],
      notes: ['"quoted" & <b>not bold</b>'],
      actions: [{ label: `<b>"7d"</b>`, followUp: { kind: "ask", text: `"><script>alert(1)</script>` } }],
    });
    const html = blockKitHtml(renderBlockKit(m).blocks);
    expect(html).toContain("&lt;script&gt;alert(1)&lt;/script&gt; &quot;t&quot; &amp;");
    expect(html).toContain("<b>bold</b> &amp; <code>code</code> &lt;img src=x onerror=alert(1)&gt; &lt;javascript:alert(1)|x&gt;");
    expect(html).toContain("&quot;quoted&quot; &amp; &lt;b&gt;not bold&lt;/b&gt;");
    expect(html).not.toContain("<a ");
    expectInert(html);
  });
});
