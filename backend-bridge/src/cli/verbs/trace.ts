import { decodeExportTraceServiceRequest } from '../../domain/otlp/traces.js';
import { OtlpFormatError, type RejectedItem, type Span } from '../../domain/otlp/types.js';
import { analyzeTrace, type TraceAnalysis } from '../../domain/traces/analyzeTrace.js';
import { assembleTraces, type TraceNode } from '../../domain/traces/assemble.js';
import { LineWriter, readLines } from '../io.js';
import { CliUsageError, type CliIo, type CliVerb } from '../types.js';

const USAGE = `Usage: cairn trace [--trace-id <hex>] [--pretty] [--no-clock-skew] [--strict] [--max-input-bytes <n>]

Reads OTLP/JSON ExportTraceServiceRequest documents on stdin (one document, or one per line),
assembles each trace and writes one JSON object per trace: criticalPath (ordered span IDs),
criticalPathSegments, selfTimeMs per span, bottlenecks, errorOrigin and the span tree in waterfall order.
Rejected spans are reported on stderr with their reasons; valid spans are still used.

Options:
  --trace-id <hex>        only this trace (32 hex characters)
  --pretty                indent the JSON (one object per trace, separated by newlines)
  --no-clock-skew         do not correct clock skew between hosts
  --strict                exit 1 if any document or span was rejected
  --max-input-bytes <n>   refuse larger input (default 67108864)
  -h, --help              show this help`;

const DEFAULT_MAX_INPUT_BYTES = 64 * 1024 * 1024;

interface TraceOptions {
  traceId?: string;
  pretty: boolean;
  adjustClockSkew: boolean;
  strict: boolean;
  maxInputBytes: number;
}

function parseArgs(argv: string[]): TraceOptions | 'help' {
  const options: TraceOptions = {
    pretty: false,
    adjustClockSkew: true,
    strict: false,
    maxInputBytes: DEFAULT_MAX_INPUT_BYTES,
  };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const value = (): string => {
      const next = argv[++i];
      if (next === undefined) throw new CliUsageError(`${arg} needs a value`);
      return next;
    };
    switch (arg) {
      case '-h':
      case '--help':
        return 'help';
      case '--pretty':
        options.pretty = true;
        break;
      case '--no-clock-skew':
        options.adjustClockSkew = false;
        break;
      case '--strict':
        options.strict = true;
        break;
      case '--trace-id': {
        const id = value();
        if (!/^[0-9a-fA-F]{32}$/.test(id)) throw new CliUsageError('--trace-id must be 32 hex characters');
        options.traceId = id.toLowerCase();
        break;
      }
      case '--max-input-bytes': {
        const n = Number(value());
        if (!Number.isSafeInteger(n) || n <= 0) throw new CliUsageError('--max-input-bytes must be a positive integer');
        options.maxInputBytes = n;
        break;
      }
      default:
        throw new CliUsageError(`unknown argument: ${arg}`);
    }
  }
  return options;
}

/** Whole input as one JSON document, else one document per non-empty line. */
function parseDocuments(lines: string[]): { documents: unknown[]; errors: string[] } {
  const text = lines.join('\n');
  try {
    return { documents: [JSON.parse(text) as unknown], errors: [] };
  } catch {
    const documents: unknown[] = [];
    const errors: string[] = [];
    lines.forEach((line, i) => {
      if (line.trim() === '') return;
      try {
        documents.push(JSON.parse(line) as unknown);
      } catch (error) {
        errors.push(`line ${i + 1}: not JSON (${error instanceof Error ? error.message : String(error)})`);
      }
    });
    return { documents, errors };
  }
}

const ms = (us: number): number => Math.round(us) / 1000;

function nodeJson(node: TraceNode, analysis: TraceAnalysis): Record<string, unknown> {
  const { span } = node;
  const out: Record<string, unknown> = {
    spanId: span['span.id'],
    parentId: span['parent.id'] ?? null,
    serviceName: span['service.name'],
    name: span.name,
    kind: span.kind,
    depth: node.depth,
    startOffsetMs: ms(node.startUs - analysis.trace.startUs),
    durationMs: ms(node.endUs - node.startUs),
    selfTimeMs: ms(analysis.selfUs[node.index] as number),
    criticalTimeMs: ms(analysis.criticalPath.criticalUs[node.index] as number),
    status: span.status,
  };
  if (node.missingParent) out.missingParent = true;
  if (node.async) out.async = true;
  if (node.skewUs !== 0) out.clockSkewMs = ms(node.skewUs);
  if (span.links.length > 0) out.links = span.links.map((l) => ({ traceId: l['trace.id'], spanId: l['span.id'] }));
  return out;
}

/** The JSON `cairn trace` writes for one analysed trace. */
export function traceAnalysisJson(analysis: TraceAnalysis): Record<string, unknown> {
  const { trace, criticalPath } = analysis;
  const idOf = (index: number): string => trace.nodes[index]?.span['span.id'] ?? '';
  const selfTimeMs: Record<string, number> = {};
  for (const node of trace.nodes) selfTimeMs[node.span['span.id']] = ms(analysis.selfUs[node.index] as number);
  const root = trace.nodes[criticalPath.rootIndex];
  return {
    traceId: trace.traceId,
    rootSpanId: root?.span['span.id'] ?? null,
    rootName: root ? `${root.span['service.name']} ${root.span.name}` : null,
    startTime: new Date(Math.floor(trace.startUs / 1000)).toISOString(),
    durationMs: ms(trace.durationUs),
    spanCount: trace.nodes.length,
    services: trace.services,
    criticalPath: criticalPath.indexes.map(idOf),
    criticalPathSegments: criticalPath.segments.map((s) => ({
      spanId: idOf(s.index),
      startOffsetMs: ms(s.startUs - trace.startUs),
      durationMs: ms(s.endUs - s.startUs),
    })),
    selfTimeMs,
    bottlenecks: analysis.bottlenecks,
    errorOrigin: analysis.errors.origin,
    errorSpanIds: analysis.errors.errorSpanIds,
    orphanSpanIds: trace.roots.slice(1).map(idOf),
    duplicateSpanIds: trace.duplicateSpanIds,
    spans: trace.preorder.map((index) => nodeJson(trace.nodes[index] as TraceNode, analysis)),
  };
}

async function run(argv: string[], io: CliIo): Promise<number> {
  let options: TraceOptions | 'help';
  try {
    options = parseArgs(argv);
  } catch (error) {
    io.stderr.write(`cairn trace: ${error instanceof Error ? error.message : String(error)}\n${USAGE}\n`);
    return 2;
  }
  if (options === 'help') {
    io.stdout.write(`${USAGE}\n`);
    return 0;
  }
  const lines: string[] = [];
  let bytes = 0;
  for await (const line of readLines(io.stdin)) {
    bytes += Buffer.byteLength(line) + 1;
    if (bytes > options.maxInputBytes) {
      io.stderr.write(`cairn trace: input is larger than --max-input-bytes ${options.maxInputBytes}\n`);
      return 1;
    }
    lines.push(line);
  }
  const { documents, errors } = parseDocuments(lines);
  const spans: Span[] = [];
  const rejected: RejectedItem[] = [];
  documents.forEach((document, d) => {
    const where = documents.length > 1 ? `document ${d + 1}: ` : '';
    try {
      const result = decodeExportTraceServiceRequest(document);
      for (const span of result.spans) spans.push(span);
      for (const r of result.rejected) rejected.push({ path: `${where}${r.path}`, reason: r.reason });
    } catch (error) {
      if (!(error instanceof OtlpFormatError)) throw error;
      errors.push(`${where}${error.message}`);
    }
  });
  for (const message of errors) io.stderr.write(`cairn trace: ${message}\n`);
  for (const r of rejected) io.stderr.write(`cairn trace: rejected ${r.path}: ${r.reason}\n`);
  if (rejected.length > 0) io.stderr.write(`cairn trace: rejected ${rejected.length} span(s), kept ${spans.length}\n`);

  const { traceId } = options;
  const wanted = traceId === undefined ? spans : spans.filter((s) => s['trace.id'] === traceId);
  if (wanted.length === 0) {
    io.stderr.write(
      traceId === undefined ? 'cairn trace: no valid spans on stdin\n' : `cairn trace: no spans for ${traceId}\n`
    );
    return 1;
  }
  const writer = new LineWriter(io.stdout);
  for (const trace of assembleTraces(wanted, { adjustClockSkew: options.adjustClockSkew })) {
    const json = traceAnalysisJson(analyzeTrace(trace));
    await writer.write(options.pretty ? JSON.stringify(json, null, 2) : JSON.stringify(json));
  }
  await writer.flush();
  return options.strict && (errors.length > 0 || rejected.length > 0) ? 1 : 0;
}

export const traceVerb: CliVerb = {
  name: 'trace',
  summary: 'assemble traces from OTLP JSON on stdin: critical path, self time, error origin',
  usage: USAGE,
  run,
};
