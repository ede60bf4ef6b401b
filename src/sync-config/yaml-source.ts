/**
 * A YAML file parsed with its positions kept, so that a problem found in the plain data (by the
 * schema, the engine or the server) points back to the line it comes from.
 */
import {
  isMap,
  isNode,
  isPair,
  isScalar,
  isSeq,
  LineCounter,
  parseDocument,
  type Node,
} from 'yaml';

/** A path inside a definition: keys and array indexes, e.g. ['mappings', 2, 'policy']. */
export type PathSegments = Array<string | number>;

export interface YamlProblem {
  line?: number;
  path: string;
  problem: string;
}

export interface YamlSource {
  /** The document as plain data (undefined when the YAML does not parse). */
  data: unknown;
  /** Problems of the YAML itself: syntax, duplicate keys, several documents. */
  problems: YamlProblem[];
  /** 1-based line of the node at `path`, or of its nearest ancestor present in the file. */
  lineOf(path: PathSegments): number | undefined;
}

/** `mappings[2].policy` from ['mappings', 2, 'policy']. */
export function formatPath(path: PathSegments): string {
  let out = '';
  for (const segment of path) {
    if (typeof segment === 'number') out += `[${String(segment)}]`;
    else if (/^[A-Za-z_$][\w$]*$/.test(segment)) out += out === '' ? segment : `.${segment}`;
    else out += `[${JSON.stringify(segment)}]`;
  }
  return out;
}

/** ['mappings', 2, 'policy'] from `mappings[2].policy` (the inverse of formatPath). */
export function parsePath(path: string): PathSegments {
  const segments: PathSegments = [];
  const pattern = /([A-Za-z_$][\w$]*)|\[(\d+)\]|\[("(?:[^"\\]|\\.)*")\]/g;
  for (const match of path.matchAll(pattern)) {
    const [, name, index, quoted] = match as unknown as Array<string | undefined>;
    if (name !== undefined) segments.push(name);
    else if (index !== undefined) segments.push(Number(index));
    else if (quoted !== undefined) segments.push(JSON.parse(quoted) as string);
  }
  return segments;
}

/** Parses `text`; YAML 1.2 core schema, duplicate keys refused. */
export function parseYamlSource(text: string): YamlSource {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  const lineAt = (offset: number): number => lineCounter.linePos(offset).line;
  const problems: YamlProblem[] = doc.errors.map((error) => ({
    line: lineAt(error.pos[0]),
    path: '',
    problem: `YAML: ${error.message.split('\n')[0] ?? error.message}`,
  }));
  // A second document (after `---`) shows up as an error of the first.
  const data: unknown = problems.length > 0 ? undefined : doc.toJS({ maxAliasCount: 100 });

  function lineOf(path: PathSegments): number | undefined {
    let node: unknown = doc.contents;
    let line = isNode(node) && node.range ? lineAt(node.range[0]) : undefined;
    for (const segment of path) {
      if (isMap(node)) {
        const pair = node.items.find(
          (item) =>
            isPair(item) && isScalar(item.key) && String(item.key.value) === String(segment),
        );
        if (pair === undefined) return line;
        // The key's line: where an editor shows the entry, whatever its value spans.
        const key = pair.key as Node;
        if (key.range) line = lineAt(key.range[0]);
        node = pair.value;
      } else if (isSeq(node) && typeof segment === 'number') {
        const item = node.items[segment];
        if (!isNode(item)) return line;
        if (item.range) line = lineAt(item.range[0]);
        node = item;
      } else {
        return line;
      }
    }
    return line;
  }

  return { data, problems, lineOf };
}
