import { Buffer } from 'node:buffer';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type pg from 'pg';
import { parseContentEncoding, readOtlpBody, type ContentEncoding } from '../body.ts';
import { contentTypeOf, parseOtlpContentType, type OtlpEncoding } from '../content-type.ts';
import { decodeExport } from '../decode-export.ts';
import { OtlpError, undecodable } from '../errors.ts';
import type { OtlpSignal } from '../model/common.ts';
import { encodeExportResponse } from '../response.ts';
import type { TelemetryRow } from '../store/row.ts';
import { requestRow, signalRows } from '../store/signal-rows.ts';
import { storeRows } from '../store/store-rows.ts';
import { requireExporter } from './otlp-auth.ts';
import { toOtlpError } from './otlp-errors.ts';
import type { ByteBudget } from './byte-budget.ts';
import type { PipelineGate } from './pipeline-gate.ts';
import type { PipelineStats } from './pipeline-stats.ts';
import { timedChunks, type WireCount } from './request-body.ts';

export interface IngestContext {
  readonly pool: pg.Pool;
  readonly gate: PipelineGate;
  /** Body bytes decoded and stored at once (the memory bound; the gate bounds the count). */
  readonly budget: ByteBudget;
  readonly stats: PipelineStats;
  readonly maxBodyBytes: number;
  readonly timeoutMs: number;
  /** Retry-After of a 429 (every pipeline busy, the queue full). */
  readonly overloadRetryAfterSeconds: number;
  /** OTLP_INGEST_TOKENS is set: an export needs a collector's (or agent's, or the admin's) bearer token. */
  readonly requireToken: boolean;
}

interface Export {
  readonly signal: OtlpSignal;
  readonly encoding: OtlpEncoding;
  readonly contentEncoding: ContentEncoding;
  readonly request: FastifyRequest;
}

const firstForwarded = (header: string | string[] | undefined): string | undefined => {
  const value = Array.isArray(header) ? header[0] : header;
  const first = value?.split(',', 1)[0]?.trim();
  return first === undefined || first === '' ? undefined : first;
};

/** Reads the body within the time limit; a stream failure (a client gone mid-body) is the client's problem: 400. */
async function readBody(context: IngestContext, job: Export, signal: AbortSignal, wire: WireCount): Promise<Buffer> {
  const { request } = job;
  try {
    return await readOtlpBody(timedChunks(request.raw, signal, wire, request.log), {
      contentEncoding: request.headers['content-encoding'],
      contentLength: request.headers['content-length'],
      maxBodyBytes: context.maxBodyBytes,
    });
  } catch (error) {
    if (error instanceof OtlpError) throw error;
    throw undecodable(
      `the request body could not be read: ${error instanceof Error ? error.message : String(error)}`,
      error,
    );
  }
}

/** What a request becomes before it is stored: its rows and the answer, nothing of the body or the decoded items. */
interface Prepared {
  readonly rows: TelemetryRow[];
  readonly response: Uint8Array;
}

/**
 * decode → normalize/validate → rows, synchronously, for one body. Only the rows and the response bytes leave this
 * function: the body and the decoded items (several times the body's size) are garbage before the pipeline waits for
 * PostgreSQL, so pipelines waiting on the database hold compact row text only.
 */
function prepare(context: IngestContext, job: Export, body: Buffer, wire: WireCount): Prepared {
  const { signal, request } = job;
  const batch = decodeExport(signal, job.encoding, body);
  const counters = context.stats.signals[signal];
  counters.received += batch.received;
  counters.accepted += batch.items.length;
  counters.rejected += batch.rejected;
  const rows = signalRows(signal, batch.items);
  rows.push(
    requestRow({
      signal,
      requestId: request.id,
      clientIp: request.ip,
      forwardedFor: firstForwarded(request.headers['x-forwarded-for']),
      userAgent: request.headers['user-agent'],
      path: request.url.split('?', 1)[0] ?? request.url,
      encoding: job.encoding,
      contentEncoding: job.contentEncoding,
      wireBytes: wire.bytes,
      bodyBytes: body.length,
      received: batch.received,
      accepted: batch.items.length,
      rejected: batch.rejected,
      receivedAt: new Date(),
    }),
  );
  return { rows, response: encodeExportResponse(job.encoding, signal, batch.partialSuccess) };
}

/**
 * The body, read within the time limit, then its share of the byte budget, then `prepare`. Returns the rows and the
 * budget's release: the body and the decoded items are out of scope once this returns.
 */
async function readAndPrepare(
  context: IngestContext,
  job: Export,
  signal: AbortSignal,
  progress: { bodyRead: boolean },
): Promise<{ readonly prepared: Prepared; readonly release: () => void }> {
  const wire: WireCount = { bytes: 0 };
  const body = await readBody(context, job, signal, wire);
  progress.bodyRead = true;
  const release = await context.budget.acquire(body.length, signal);
  try {
    return { prepared: prepare(context, job, body, wire), release };
  } catch (error) {
    release();
    throw error;
  }
}

/**
 * One pipeline run: body (bounded, gunzipped) → byte budget → prepare (decode, validate, rows) → one transaction →
 * the response bytes. Storage is its own step (`storeRows`), so export stages can later run after it. The 200 is
 * only built after COMMIT.
 */
async function runPipeline(context: IngestContext, job: Export): Promise<Uint8Array> {
  const started = performance.now();
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), context.timeoutMs);
  const progress = { bodyRead: false };
  let outcome: 'succeeded' | 'client_error' | 'server_error' = 'server_error';
  try {
    const { prepared, release } = await readAndPrepare(context, job, controller.signal, progress);
    try {
      const remainingMs = context.timeoutMs - (performance.now() - started);
      if (remainingMs <= 0) {
        throw new OtlpError(
          'PIPELINE_TIMEOUT',
          'the pipeline exceeded its time limit before storing; nothing was stored',
          {
            retryAfterSeconds: 1,
          },
        );
      }
      const inserted = await storeRows(context.pool, prepared.rows, { timeoutMs: remainingMs });
      // The request's own event is never a duplicate; the rest are the new signal rows.
      context.stats.signals[job.signal].stored += inserted - 1;
    } finally {
      release();
    }
    outcome = 'succeeded';
    return prepared.response;
  } catch (error) {
    const failure = toOtlpError(error);
    // A body that did not arrive in time is the client's slowness, not a sign that this server is unhealthy.
    outcome = failure.httpStatus < 500 || !progress.bodyRead ? 'client_error' : 'server_error';
    if (failure.code === 'PIPELINE_TIMEOUT') context.stats.timedOut += 1;
    throw failure;
  } finally {
    clearTimeout(timer);
    context.stats.finish(outcome, performance.now() - started);
  }
}

/**
 * POST handler of one signal. Everything that needs no body is checked first (token 401/403, media type 415,
 * content coding 415, capacity 429), so a refused request is answered at once, its body unread; then the pipeline
 * runs in a slot.
 */
export function ingestHandler(signal: OtlpSignal, context: IngestContext) {
  return async (request: FastifyRequest, reply: FastifyReply): Promise<FastifyReply> => {
    context.stats.signals[signal].requests += 1;
    if (context.requireToken) await requireExporter(request);
    const encoding = parseOtlpContentType(request.headers['content-type']);
    const contentEncoding = parseContentEncoding(request.headers['content-encoding']);
    const job: Export = { signal, encoding, contentEncoding, request };
    const run = context.gate.tryRun(() => runPipeline(context, job));
    if (run === undefined) {
      context.stats.signals[signal].overloaded += 1;
      throw new OtlpError(
        'PIPELINE_OVERLOADED',
        `all ${context.gate.maxConcurrent} pipelines are busy and ${context.gate.maxQueued} requests are waiting; retry after ${context.overloadRetryAfterSeconds} s`,
        { retryAfterSeconds: context.overloadRetryAfterSeconds },
      );
    }
    const response = await run;
    return reply.code(200).type(contentTypeOf[encoding]).send(Buffer.from(response));
  };
}
