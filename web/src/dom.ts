/** A small element builder: text goes in as text nodes (never as HTML), links only to http(s). */
type Child = Node | string | null | undefined | false;

export function h(tag: string, attrs: Record<string, string | undefined> = {}, ...children: Child[]): HTMLElement {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) if (v !== undefined) el.setAttribute(k, v);
  for (const c of children) if (c !== null && c !== undefined && c !== false) el.append(c);
  return el;
}

/** An external link that opens in a new tab and tells the target nothing about this page. */
export function link(href: string, text: string, label?: string): HTMLElement {
  if (!/^https?:\/\//.test(href)) return h("span", {}, text);
  return h(
    "a",
    { href, target: "_blank", rel: "noopener noreferrer", ...(label ? { "aria-label": label } : {}) },
    text,
  );
}
