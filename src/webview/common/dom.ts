// Tiny DOM helpers: elements are built with textContent and attributes, never innerHTML.
export function el<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attrs: Record<string, string> = {},
  ...children: (Node | string)[]
): HTMLElementTagNameMap[K] {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (k === 'class') e.className = v;
    else e.setAttribute(k, v);
  }
  for (const c of children) e.append(c);
  return e;
}

export function icon(name: string): HTMLElement {
  return el('span', { class: `codicon codicon-${name}`, 'aria-hidden': 'true' });
}

export function button(label: string, iconName: string | undefined, attrs: Record<string, string> = {}, text?: string): HTMLButtonElement {
  const b = el('button', { type: 'button', 'aria-label': label, title: label, ...attrs });
  if (iconName) b.append(icon(iconName));
  if (text) b.append(el('span', {}, text));
  return b;
}
