import { LineCounter, parseDocument, isMap, isSeq, type Node } from 'yaml';
import type { z } from 'zod';

export interface ConfigIssue {
  /** Dotted path of the offending value, e.g. `rules.2.rate`. */
  path: string;
  /** 1-based line in the file, when known. */
  line?: number;
  message: string;
}

export type ConfigResult<T> = { ok: true; value: T } | { ok: false; issues: ConfigIssue[] };

function nodeAt(root: Node | null | undefined, path: ReadonlyArray<PropertyKey>): Node | undefined {
  let node: Node | null | undefined = root;
  let last: Node | undefined = root ?? undefined;
  for (const key of path) {
    if (isMap(node)) {
      const pair = node.items.find((p) => (p.key as { value?: unknown } | null)?.value === key);
      if (!pair) return last;
      last = (pair.key as Node | null) ?? last;
      node = pair.value as Node | null;
      if (node) last = node;
    } else if (isSeq(node)) {
      node = node.items[Number(key)] as Node | null;
      if (!node) return last;
      last = node;
    } else {
      return last;
    }
  }
  return last;
}

/**
 * Parses a YAML (or JSON, which is YAML) config text and validates it with a schema; every issue names
 * the path and the line, so a bad file is refused with an error a person can act on.
 */
export function parseConfigText<S extends z.ZodType>(text: string, schema: S): ConfigResult<z.infer<S>> {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: true });
  if (doc.errors.length > 0) {
    return {
      ok: false,
      issues: doc.errors.map((e) => ({
        path: '',
        line: e.linePos?.[0]?.line,
        message: e.message.split('\n')[0] ?? e.message,
      })),
    };
  }
  const data: unknown = doc.toJS() ?? {};
  const result = schema.safeParse(data);
  if (result.success) return { ok: true, value: result.data };
  return {
    ok: false,
    issues: result.error.issues.map((issue) => {
      const node = nodeAt(doc.contents, issue.path);
      const offset = node?.range?.[0];
      return {
        path: issue.path.map(String).join('.'),
        line: offset === undefined ? undefined : lineCounter.linePos(offset).line,
        message: issue.message,
      };
    }),
  };
}

export function formatConfigIssues(file: string, issues: ConfigIssue[]): string {
  return issues.map((i) => `${file}${i.line ? `:${i.line}` : ''}: ${i.path ? `${i.path}: ` : ''}${i.message}`).join('\n');
}
