/**
 * Measuring, truncating and padding cell text. Widths count code points so
 * an emoji's surrogate pair counts once and is never split; East Asian wide
 * glyphs and combining marks are not measured specially.
 */

export const ELLIPSIS = '…';

export function textWidth(text: string): number {
  // Fast path: without surrogates, code units and code points agree.
  return /[\uD800-\uDFFF]/.test(text) ? Array.from(text).length : text.length;
}

/** Cuts text to `width`, ending in "…" when something was cut off. */
export function truncate(text: string, width: number): string {
  if (textWidth(text) <= width) return text;
  if (width <= 0) return '';
  return Array.from(text).slice(0, width - 1).join('') + ELLIPSIS;
}

/** Fits text into exactly `width` cells, padded on the left when `right` is set. */
export function align(text: string, width: number, right: boolean): string {
  const fitted = truncate(text, width);
  const padding = ' '.repeat(Math.max(0, width - textWidth(fitted)));
  return right ? padding + fitted : fitted + padding;
}
