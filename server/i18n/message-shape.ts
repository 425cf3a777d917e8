// What a message is made of, for comparing a translation with its source: arguments, plurals, tags.
import { IntlMessageFormat } from 'intl-messageformat';

export interface Shape {
  /** Argument names, sorted and unique. */
  args: string[];
  /** Plural (and selectordinal) arguments with the option keys used: { people: ['one', 'other'] }. */
  plurals: Record<string, string[]>;
  /** HTML-like tags, as written (<b>, </b>), sorted. */
  tags: string[];
}

interface Node {
  type: number;
  value?: string;
  options?: Record<string, { value: Node[] }>;
  children?: Node[];
  pluralType?: string;
}

// Element types of @formatjs/icu-messageformat-parser: 1 argument, 2 number, 3 date, 4 time, 5 select, 6 plural.
function walk(nodes: Node[], shape: { args: Set<string>; plurals: Record<string, string[]> }): void {
  for (const node of nodes) {
    if (node.type >= 1 && node.type <= 6 && node.value) shape.args.add(node.value);
    if (node.type === 6 && node.value && node.options) shape.plurals[node.value] = Object.keys(node.options).sort();
    if (node.options) for (const option of Object.values(node.options)) walk(option.value, shape);
    if (node.children) walk(node.children, shape);
  }
}

/** The message's shape, or the ICU parse error as text. */
export function shapeOf(text: string, locale: string): Shape | string {
  let ast: Node[];
  try {
    ast = new IntlMessageFormat(text, locale, undefined, { ignoreTag: true }).getAst() as unknown as Node[];
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
  const shape = { args: new Set<string>(), plurals: {} as Record<string, string[]> };
  walk(ast, shape);
  const tags = [...text.matchAll(/<\/?[a-zA-Z][\w-]*/g)].map((m) => m[0]).sort();
  return { args: [...shape.args].sort(), plurals: shape.plurals, tags };
}

/** The plural categories a language has (en: one, other; ja: other). */
export function pluralCategories(locale: string): string[] {
  return new Intl.PluralRules(locale).resolvedOptions().pluralCategories.slice().sort();
}
