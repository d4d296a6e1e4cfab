import { LineCounter, parseAllDocuments, isMap, isSeq, isScalar, isPair, visit, type Document, type Node as YamlNode } from 'yaml';
import { TshError } from '../errors.js';

/** One YAML document with a way back from a field path to its line. */
export interface YamlDocument {
  /** 1-based position of the document in its file. */
  index: number;
  value: unknown;
  /** Line (1-based) of the key at path, or of the nearest parent found. */
  lineOf(path: Array<string | number>): number | undefined;
}

/** More alias expansions than this in one document is taken for an alias bomb ("billion laughs"). */
const MAX_ALIAS_COUNT = 100;

/**
 * Parses a file of one or more YAML documents (`---` separated) into plain
 * values, keeping the line of every key so that errors can point at it.
 * Every way a text can fail to be such values (syntax, nesting too deep for
 * the parser, aliases that are undefined or expand past MAX_ALIAS_COUNT,
 * keys that are not scalars) becomes a TshError naming the file and line.
 */
export function readYamlDocuments(text: string, file: string, code: 'BAD_INPUT' | 'CONFIG' = 'BAD_INPUT'): YamlDocument[] {
  const lineCounter = new LineCounter();
  // uniqueKeys is checked below: the parser's own check compares every key with every other (100,000 keys: 90 s).
  const docs = parseAllDocuments(text, { lineCounter, uniqueKeys: false, prettyErrors: false });
  if (!Array.isArray(docs)) throw new TshError(code, `${file}: not a YAML document`);
  const out: YamlDocument[] = [];
  docs.forEach((doc, i) => {
    const err = doc.errors[0];
    if (err) {
      const line = lineCounter.linePos(err.pos[0]).line;
      const why = /Maximum call stack size exceeded/.test(err.message) ? 'it is nested too deeply' : err.message.split('\n')[0];
      throw new TshError(code, `${file}:${line}: invalid YAML: ${why}`);
    }
    if (doc.contents === null) return;
    const bad = badKey(doc, lineCounter);
    if (bad) throw new TshError(code, `${file}:${bad.line}: invalid YAML: ${bad.why}`);
    out.push({
      index: i + 1,
      value: plainValues(doc, `${file}${docs.length > 1 ? ` (document ${i + 1})` : ''}`, code),
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

/** The document as plain values; an alias that is undefined or expands too far is a TshError. */
function plainValues(doc: Document.Parsed, where: string, code: 'BAD_INPUT' | 'CONFIG'): unknown {
  try {
    return doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
  } catch (err) {
    const message = (err as Error).message;
    const why = /Excessive alias count/.test(message)
      ? `its aliases expand to more than ${MAX_ALIAS_COUNT} copies (an alias bomb); write the values out instead`
      : message.split('\n')[0];
    throw new TshError(code, `${where}: invalid YAML: ${why}`);
  }
}

/** The first key plain objects cannot hold: a list or mapping (`? [a, b]`), or one that repeats in its mapping. */
function badKey(doc: Document.Parsed, lc: LineCounter): { line: number; why: string } | undefined {
  let bad: { line: number; why: string } | undefined;
  visit(doc, {
    Map(_, map) {
      const seen = new Set<unknown>();
      for (const pair of map.items) {
        const key = pair.key as YamlNode | null;
        if (key !== null && !isScalar(key)) bad = { line: lineOfNode(key, lc) ?? 1, why: 'a key must be a plain value, not a list or mapping' };
        else if (seen.has(key?.value ?? null)) bad = { line: lineOfNode(key, lc) ?? 1, why: `the key "${String(key?.value)}" appears twice in one mapping` };
        else seen.add(key?.value ?? null);
        if (bad) return visit.BREAK;
      }
      return undefined;
    },
  });
  return bad;
}

function lineOfNode(node: YamlNode | null | undefined, lc: LineCounter): number | undefined {
  const range = (node as { range?: [number, number, number] } | null | undefined)?.range;
  return range ? lc.linePos(range[0]).line : undefined;
}
