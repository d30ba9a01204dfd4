import { didYouMean } from '../config/did-you-mean.js';
import { PLACEHOLDERS, type Placeholder } from './event-fields.js';

/** A title or message template, checked once: `{user} cheered {amount} bits!`. */
export type Template = (text: Readonly<Partial<Record<Placeholder, string>>>) => string;

/** Longest title and message sent to the page; the card also clamps them to its lines with CSS. */
export const MAX_TITLE_CHARS = 120;
export const MAX_MESSAGE_CHARS = 400;

const PART = /\{\{|\}\}|\{([^{}]*)\}/g;

/** Why `template` cannot be used (an unknown or unclosed placeholder), or undefined. */
export function templateProblem(template: string): string | undefined {
  for (const match of template.matchAll(PART)) {
    const name = match[1];
    if (name === undefined) continue;
    if (!(PLACEHOLDERS as readonly string[]).includes(name)) {
      const meant = didYouMean(name, PLACEHOLDERS);
      return `unknown placeholder {${name}}${meant ? `; did you mean {${meant}}?` : ''} (known: ${PLACEHOLDERS.map((p) => `{${p}}`).join(' ')}; write {{ and }} for braces)`;
    }
  }
  const rest = template.replace(PART, '');
  if (/[{}]/.test(rest))
    return 'has a { or } that opens or closes no placeholder (write {{ and }} for braces)';
  return undefined;
}

/** Control characters and the line separators: they would break the card's lines. */
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]+/g;

/**
 * Text with no line breaks or control characters, runs of spaces as one, at most `max` characters
 * (by code point, so an emoji is never cut in half), cut with an ellipsis.
 */
export function plainText(text: string, max: number): string {
  const flat = text.replace(CONTROL, ' ').replace(/\s+/g, ' ').trim();
  const chars = [...flat];
  return chars.length <= max
    ? flat
    : `${chars
        .slice(0, max - 1)
        .join('')
        .trimEnd()}…`;
}

/**
 * Compiles a checked template: each `{name}` becomes that field's text (empty when the event has
 * none), `{{` and `}}` are literal braces. The result is plain text; the page sets it as
 * `textContent`, so a name such as `<img src=x onerror=…>` shows as those characters.
 */
export function compileTemplate(template: string, max: number): Template {
  return (fields) => {
    const filled = template.replace(PART, (whole, name: string | undefined) =>
      name === undefined ? whole[0]! : (fields[name as Placeholder] ?? ''),
    );
    return plainText(filled, max);
  };
}
