// What a person reads in a rendered message, whatever the platform's JSON: every text field, unescaped.

export function visibleText(node: unknown): string {
  const out: string[] = [];
  const walk = (n: unknown) => {
    if (Array.isArray(n)) n.forEach(walk);
    else if (n !== null && typeof n === "object") {
      for (const [k, v] of Object.entries(n)) {
        if ((k === "text" || k === "title" || k === "value") && typeof v === "string") out.push(v);
        else walk(v);
      }
    }
  };
  walk(node);
  return out.join("\n").replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&amp;/g, "&");
}
