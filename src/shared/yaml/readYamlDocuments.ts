import { LineCounter, parseAllDocuments, isMap, isSeq, isScalar, isPair, type Node as YamlNode } from 'yaml';
import { TshError } from '../errors.js';

/** One YAML document with a way back from a field path to its line. */
export interface YamlDocument {
  /** 1-based position of the document in its file. */
  index: number;
  value: unknown;
  /** Line (1-based) of the key at path, or of the nearest parent found. */
  lineOf(path: Array<string | number>): number | undefined;
}

/**
 * Parses a file of one or more YAML documents (`---` separated) into plain
 * values, keeping the line of every key so that errors can point at it.
 * Syntax errors become TshError BAD_INPUT naming the file and line.
 */
export function readYamlDocuments(text: string, file: string, code: 'BAD_INPUT' | 'CONFIG' = 'BAD_INPUT'): YamlDocument[] {
  const lineCounter = new LineCounter();
  const docs = parseAllDocuments(text, { lineCounter, uniqueKeys: true, prettyErrors: false });
  if (!Array.isArray(docs)) throw new TshError(code, `${file}: not a YAML document`);
  const out: YamlDocument[] = [];
  docs.forEach((doc, i) => {
    const err = doc.errors[0];
    if (err) {
      const line = lineCounter.linePos(err.pos[0]).line;
      throw new TshError(code, `${file}:${line}: invalid YAML: ${err.message.split('\n')[0]}`);
    }
    if (doc.contents === null) return;
    out.push({
      index: i + 1,
      value: doc.toJS({ maxAliasCount: 100 }),
      lineOf(path) {
        let node: unknown = doc.contents;
        let line: number | undefined = lineOfNode(node as YamlNode, lineCounter);
        for (const part of path) {
          if (isMap(node)) {
            const pair = node.items.find((p) => isPair(p) && isScalar(p.key) && String(p.key.value) === String(part));
            if (!pair) break;
            line = lineOfNode(pair.key as YamlNode, lineCounter) ?? line;
            node = pair.value;
          } else if (isSeq(node) && typeof part === 'number') {
            node = node.items[part];
            line = lineOfNode(node as YamlNode, lineCounter) ?? line;
          } else break;
        }
        return line;
      },
    });
  });
  return out;
}

function lineOfNode(node: YamlNode | null | undefined, lc: LineCounter): number | undefined {
  const range = (node as { range?: [number, number, number] } | null | undefined)?.range;
  return range ? lc.linePos(range[0]).line : undefined;
}
