/**
 * Reads the small YAML subset electron-builder writes for its update feeds (latest.yml,
 * latest-linux.yml: `serializeToYaml`, i.e. js-yaml's dump): block mappings and sequences by
 * indentation, plain, single- and double-quoted scalars, `|` and `>` block scalars, `#` comments.
 * No anchors, tags or flow collections: a feed that needs them is refused, never half read.
 * Everything comes back as strings (or nested objects and arrays); the feed's schema converts.
 */
export type YamlValue = string | YamlValue[] | { [key: string]: YamlValue };

interface Line {
  indent: number;
  text: string;
  number: number;
}

export class YamlSubsetError extends Error {
  constructor(message: string, line: number) {
    super(`line ${line}: ${message}`);
    this.name = 'YamlSubsetError';
  }
}

const KEY = /^([A-Za-z0-9_][A-Za-z0-9_.-]*|'[^']*'|"[^"]*"):(?:\s+(.*)|)$/;

function stripComment(text: string): string {
  // A comment starts at " #" outside quotes.
  let quote: string | null = null;
  for (let i = 0; i < text.length; i += 1) {
    const ch = text[i];
    if (quote) {
      if (ch === quote) quote = null;
    } else if (ch === "'" || ch === '"') {
      quote = ch;
    } else if (ch === '#' && (i === 0 || text[i - 1] === ' ')) {
      return text.slice(0, i).trimEnd();
    }
  }
  return text;
}

function scalar(raw: string, line: number): string {
  const text = stripComment(raw).trim();
  if (text.startsWith("'")) {
    if (!text.endsWith("'") || text.length < 2) throw new YamlSubsetError('unterminated quoted text', line);
    return text.slice(1, -1).replace(/''/g, "'");
  }
  if (text.startsWith('"')) {
    if (!text.endsWith('"') || text.length < 2) throw new YamlSubsetError('unterminated quoted text', line);
    return text.slice(1, -1).replace(/\\(["\\/nrt]|u[0-9a-fA-F]{4})/g, (_, esc: string) => {
      if (esc.startsWith('u')) return String.fromCharCode(parseInt(esc.slice(1), 16));
      return ({ n: '\n', r: '\r', t: '\t' } as Record<string, string>)[esc] ?? esc;
    });
  }
  if (/^[&*!{[|>]/.test(text)) throw new YamlSubsetError(`unsupported YAML: ${text.slice(0, 20)}`, line);
  return text === '~' || text === 'null' ? '' : text;
}

function key(raw: string): string {
  return raw.startsWith("'") || raw.startsWith('"') ? raw.slice(1, -1) : raw;
}

export function parseYamlSubset(source: string): YamlValue {
  if (source.length > 1_000_000) throw new YamlSubsetError('the document is too large', 1);
  const lines: Line[] = [];
  source
    .replace(/^\uFEFF/, '')
    .split(/\r?\n/)
    .forEach((raw, index) => {
      if (raw.includes('\t') && /^\s*\t/.test(raw)) throw new YamlSubsetError('tabs are not allowed for indentation', index + 1);
      lines.push({ indent: raw.length - raw.trimStart().length, text: raw.trim(), number: index + 1 });
    });
  let at = 0;
  const significant = (line: Line | undefined) => line !== undefined && line.text !== '' && !line.text.startsWith('#');
  const skipBlank = () => {
    while (at < lines.length && !significant(lines[at])) at += 1;
  };

  function blockScalar(header: string, parentIndent: number): string {
    const folded = header.startsWith('>');
    const keep = header.includes('+');
    const strip = header.includes('-');
    const body: string[] = [];
    let indent: number | null = null;
    while (at < lines.length) {
      const line = lines[at] as Line;
      if (line.text !== '' && line.indent <= parentIndent) break;
      if (line.text !== '' && indent === null) indent = line.indent;
      body.push(line.text === '' ? '' : ' '.repeat(line.indent - (indent ?? line.indent)) + line.text);
      at += 1;
    }
    let text = folded ? body.join('\n').replace(/([^\n])\n(?=[^\n ])/g, '$1 ') : body.join('\n');
    if (!keep) text = text.replace(/\n+$/, '');
    return strip || keep ? text : `${text}\n`;
  }

  function valueAfter(rest: string | undefined, indent: number, line: number): YamlValue {
    if (rest !== undefined && rest.trim() !== '' && !rest.trim().startsWith('#')) {
      const trimmed = rest.trim();
      if (/^[|>][+-]?$/.test(trimmed)) return blockScalar(trimmed, indent);
      return scalar(trimmed, line);
    }
    skipBlank();
    const next = lines[at];
    if (!next || next.indent < indent || (next.indent === indent && !next.text.startsWith('- '))) return '';
    return block(next.indent);
  }

  function block(indent: number): YamlValue {
    skipBlank();
    const first = lines[at];
    if (!first) return '';
    if (first.text === '-' || first.text.startsWith('- ')) return sequence(indent);
    return mapping(indent);
  }

  function mapping(indent: number, firstText?: string): { [key: string]: YamlValue } {
    const result: { [key: string]: YamlValue } = {};
    let pending = firstText;
    for (;;) {
      let text: string;
      let number: number;
      if (pending !== undefined) {
        text = pending;
        number = (lines[at - 1] as Line).number;
        pending = undefined;
      } else {
        skipBlank();
        const line = lines[at];
        if (!line || line.indent < indent) break;
        if (line.indent > indent) throw new YamlSubsetError('unexpected indentation', line.number);
        if (line.text.startsWith('- ')) break;
        text = line.text;
        number = line.number;
        at += 1;
      }
      const match = KEY.exec(text);
      if (!match) throw new YamlSubsetError(`expected "key: value", got ${text.slice(0, 40)}`, number);
      const name = key(match[1] as string);
      if (Object.hasOwn(result, name)) throw new YamlSubsetError(`duplicate key ${name}`, number);
      result[name] = valueAfter(match[2], indent, number);
    }
    return result;
  }

  function sequence(indent: number): YamlValue[] {
    const result: YamlValue[] = [];
    for (;;) {
      skipBlank();
      const line = lines[at];
      if (!line || line.indent < indent || !(line.text === '-' || line.text.startsWith('- '))) break;
      if (line.indent > indent) throw new YamlSubsetError('unexpected indentation', line.number);
      at += 1;
      const rest = line.text === '-' ? '' : line.text.slice(2).trim();
      if (rest === '') {
        result.push(valueAfter(undefined, indent + 1, line.number));
      } else if (KEY.test(rest)) {
        // "- key: value" opens a mapping whose keys line up under the first one.
        const itemIndent = line.indent + (line.text.length - line.text.slice(1).trimStart().length);
        result.push(mapping(itemIndent, rest));
      } else {
        result.push(scalar(rest, line.number));
      }
    }
    return result;
  }

  skipBlank();
  const root = block(lines[at]?.indent ?? 0);
  skipBlank();
  if (at < lines.length) throw new YamlSubsetError('unexpected text after the document', (lines[at] as Line).number);
  return root;
}
