// A tiny element builder. Hand-written rather than a framework: the widget is a few dozen nodes,
// and a dependency would have to be vendored (no CDN) and kept up to date for no real gain.
// Text always goes in through text nodes, never innerHTML, so API data cannot inject markup.

/**
 * @param {string} tag
 * @param {Record<string, string | number | boolean | null | undefined | ((e: Event) => void)>} [attrs]
 * @param {...(Node | string | number | null | undefined | false)} children
 * @returns {HTMLElement}
 */
export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) {
    if (value === null || value === undefined || value === false) continue;
    if (typeof value === 'function') el.addEventListener(name.replace(/^on/, ''), value);
    else if (name === 'class') el.className = String(value);
    else el.setAttribute(name, value === true ? '' : String(value));
  }
  append(el, ...children);
  return el;
}

/** Appends nodes or text, skipping empty values. */
export function append(parent, ...children) {
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    parent.append(typeof child === 'object' ? child : String(child));
  }
  return parent;
}

/** Whole-percent certainty, exactly as the 2017 widget showed it. */
export function percent(p) {
  return Math.round(p * 100) + '%';
}
