/**
 * Does every piece of text on the screen fit its box? Run in the page (as source text, since the
 * e2e project has no DOM types) and answers one line per finding:
 *
 * - an element whose content is wider than its box (`scrollWidth > clientWidth`): text cut with an
 *   ellipsis, a table past its border, a field hiding part of its value. A till never scrolls
 *   sideways, so even `overflow-x: auto` counts, unless the element is marked `data-scrolls-x`;
 * - content taller than a box that does not scroll vertically (clipped lines);
 * - a word broken so that a line holds one lone character ("500毫 / 升", 修改 one character per line);
 * - two sibling texts drawn over each other.
 */
export const TEXT_FIT_PROBE = String.raw`(() => {
  const findings = [];
  const label = (el) => {
    const owner = el.closest('[data-testid]');
    const cls = typeof el.className === 'string' && el.className.trim() ? '.' + el.className.trim().split(/\s+/).join('.') : '';
    const text = ('value' in el && typeof el.value === 'string' && el.value ? el.value : el.textContent || '').replace(/\s+/g, ' ').trim().slice(0, 50);
    return el.tagName.toLowerCase() + cls + (owner ? ' [' + owner.getAttribute('data-testid') + ']' : '') + ' "' + text + '"';
  };
  const shown = (el) => {
    const r = el.getBoundingClientRect();
    if (r.width <= 1 || r.height <= 1) return false; // nothing to read, or visually hidden for screen readers
    const s = getComputedStyle(el);
    return s.visibility !== 'hidden' && s.display !== 'none' && Number(s.opacity) > 0;
  };
  const hasText = (el) => /\S/.test(el.textContent || '') || (('value' in el) && typeof el.value === 'string' && el.value !== '');
  const all = [...document.body.querySelectorAll('*')].filter((el) => !(el instanceof SVGElement) && el.tagName !== 'SCRIPT' && el.tagName !== 'STYLE' && el.tagName !== 'OPTION' && shown(el));
  for (const el of all) {
    const s = getComputedStyle(el);
    if (s.display === 'inline' || s.display === 'contents' || !hasText(el)) continue;
    if (el.scrollWidth > el.clientWidth + 1 && !el.closest('[data-scrolls-x]')) {
      findings.push(label(el) + ': content ' + el.scrollWidth + ' px wide in a box of ' + el.clientWidth);
    }
    const scrollsY = s.overflowY === 'auto' || s.overflowY === 'scroll';
    if (!scrollsY && (s.overflowY !== 'visible' || el.tagName === 'BUTTON') && el.scrollHeight > el.clientHeight + 1) {
      findings.push(label(el) + ': content ' + el.scrollHeight + ' px tall in a box of ' + el.clientHeight);
    }
  }
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const text = node.textContent || '';
    const el = node.parentElement;
    if (!el || text.trim().length < 2 || !shown(el)) continue;
    const range = document.createRange();
    const lines = new Map();
    for (let i = 0; i < text.length; i++) {
      if (/\s/.test(text[i])) continue;
      range.setStart(node, i);
      range.setEnd(node, i + 1);
      const rect = range.getBoundingClientRect();
      if (rect.width === 0) continue;
      const top = Math.round(rect.top);
      const key = [...lines.keys()].find((k) => Math.abs(k - top) < rect.height / 2) ?? top;
      lines.set(key, (lines.get(key) || 0) + 1);
    }
    if (lines.size > 1 && [...lines.values()].some((count) => count === 1)) {
      findings.push(label(el) + ': "' + text.trim() + '" breaks into ' + lines.size + ' lines, one of them a lone character');
    }
  }
  for (const el of all) {
    if (!hasText(el) || el.children.length > 0) continue;
    const a = el.getBoundingClientRect();
    for (const other of el.parentElement ? [...el.parentElement.children] : []) {
      if (other === el || !hasText(other) || !shown(other)) continue;
      const b = other.getBoundingClientRect();
      const overlapX = Math.min(a.right, b.right) - Math.max(a.left, b.left);
      const overlapY = Math.min(a.bottom, b.bottom) - Math.max(a.top, b.top);
      if (overlapX > 2 && overlapY > 2) findings.push(label(el) + ' overlaps ' + label(other));
    }
  }
  return [...new Set(findings)];
})()`;

/**
 * Controls under `selector` smaller than a 48 px touch target: buttons, fields and selects by their
 * height, a checkbox or radio by the label that carries it (or itself) in both directions.
 */
export function touchTargetProbe(selector: string): string {
  return String.raw`(() => {
    const findings = [];
    for (const el of document.querySelectorAll(${JSON.stringify(selector)} + ' :is(button, input, select, textarea)')) {
      if (el.type === 'hidden' || el.type === 'file') continue;
      const own = el.getBoundingClientRect();
      if (own.width <= 1 || own.height <= 1 || getComputedStyle(el).visibility === 'hidden') continue;
      const tick = el.type === 'checkbox' || el.type === 'radio';
      const box = (tick && el.closest('label') ? el.closest('label') : el).getBoundingClientRect();
      if (box.height < 47.5 || (tick && box.width < 47.5)) {
        const owner = el.closest('[data-testid]');
        findings.push(el.tagName.toLowerCase() + (el.type ? '[' + el.type + ']' : '') + ' [' + (owner ? owner.getAttribute('data-testid') : '') + '] ' + Math.round(box.width) + '×' + Math.round(box.height));
      }
    }
    return findings;
  })()`;
}
