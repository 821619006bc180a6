/** HTML that is already safe (escaped or built by `html`). */
export class Html {
  constructor(readonly value: string) {}
  toString(): string {
    return this.value;
  }
}

/** Marks a string as safe HTML (only for markup Tamtam itself wrote). */
export const raw = (value: string) => new Html(value);

const entities: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Escapes text for an element or a quoted attribute. */
export const escape = (text: string) => text.replace(/[&<>"']/g, (c) => entities[c]!);

function render(value: unknown): string {
  if (value instanceof Html) return value.value;
  if (Array.isArray(value)) return value.map(render).join('');
  if (value === null || value === undefined || value === false) return '';
  return escape(String(value));
}

/** A template of HTML whose interpolations are escaped, except `Html` values; arrays are joined; null, undefined and false are nothing. */
export function html(strings: TemplateStringsArray, ...values: unknown[]): Html {
  let out = strings[0]!;
  for (let i = 0; i < values.length; i++) out += render(values[i]) + strings[i + 1]!;
  return new Html(out);
}

/** A translation for the page's language (keys of locales/<lng>/web.json). */
export type PageText = (key: string, vars?: Record<string, unknown>) => string;
