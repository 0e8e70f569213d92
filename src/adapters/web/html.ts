// What the playground writes into HTML: text escaped for element content and attribute values, and
// only the URLs a page may follow or load (no javascript:, no protocol-relative hosts).

const ENTITIES: Readonly<Record<string, string>> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };

/** Safe in element content and in a quoted attribute value. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ENTITIES[c] ?? c);
}

/** Links people may follow: the web and mail, nothing the browser would run. */
export function safeLink(url: string): string | undefined {
  const trimmed = url.trim();
  return /^(?:https?:\/\/|mailto:)[^\s]+$/i.test(trimmed) ? trimmed : undefined;
}

/** Pictures the page may load: the web, this server's own paths, inline raster images. */
export function safeImage(url: string): string | undefined {
  const trimmed = url.trim();
  if (/^https?:\/\/[^\s]+$/i.test(trimmed)) return trimmed;
  // "/playground/charts/…" but not "//evil.example/…", which is another host
  if (/^\/(?!\/)[^\s]*$/.test(trimmed)) return trimmed;
  if (/^data:image\/(?:png|jpeg|gif|webp);base64,[A-Za-z0-9+/=]+$/.test(trimmed)) return trimmed;
  return undefined;
}
