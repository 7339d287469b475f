import assert from 'node:assert/strict';
import { PassThrough } from 'node:stream';
import { Given, Then, When } from '@cucumber/cucumber';
import type { LightMyRequestResponse } from 'fastify';
import type { OtlpEncoding } from '../../src/otlp/index.ts';
import { eventually } from '../../test/support/runtime.ts';
import {
  adminAuth,
  collectorAuth,
  decodeExportResponse,
  decodeStatus,
  encodeRequest,
  hex,
  mediaType,
  newTraceId,
  pipelineStatus,
  post,
  span,
  storedRows,
  traceRequest,
  type Sent,
} from '../../test/otlp/support/ingest.ts';
import type { ProjectWorld } from '../support/world.ts';

/** What an OTLP scenario sent and got back (per world, so scenarios never share it). */
interface Exchange {
  traceId: string;
  answers: Sent[];
  held: { body: PassThrough; rest: Buffer; response: Promise<LightMyRequestResponse> }[];
  heldAnswers: number[];
}

const exchanges = new WeakMap<ProjectWorld, Exchange>();
function exchange(world: ProjectWorld): Exchange {
  let current = exchanges.get(world);
  if (current === undefined) {
    current = { traceId: '', answers: [], held: [], heldAnswers: [] };
    exchanges.set(world, current);
  }
  return current;
}
const lastAnswer = (world: ProjectWorld): Sent => {
  const answer = exchange(world).answers.at(-1);
  assert.ok(answer !== undefined, 'nothing was sent yet');
  return answer;
};
const encodingOf = (name: string): OtlpEncoding => (name.toLowerCase() === 'json' ? 'json' : 'protobuf');
const spansOfTrace = async (world: ProjectWorld) => {
  assert.ok(world.pool !== undefined);
  const traceId = exchange(world).traceId;
  return (await storedRows(world.pool, ['otlp', 'span'])).filter((row) => row.trace_id === traceId);
};

async function sendTrace(
  world: ProjectWorld,
  count: number,
  service: string,
  encoding: OtlpEncoding,
  path: string,
): Promise<Sent> {
  const traceId = newTraceId();
  exchange(world).traceId = hex(traceId);
  const spans = Array.from({ length: count }, (_, i) =>
    span({ traceId, name: `step ${i + 1}`, startNs: 1_700_000_000_000_000_000n + BigInt(i) * 1_000_000n }),
  );
  const answer = await post(
    world.requireApp(),
    path,
    mediaType[encoding],
    encodeRequest('traces', encoding, traceRequest(spans, service)),
  );
  exchange(world).answers.push(answer);
  return answer;
}

Given('the telemetry receiver is running on a fresh database', async function (this: ProjectWorld) {
  await this.startApp();
});

When(
  'a collector sends a trace of {int} span(s) from service {string} as {word} to {string}',
  async function (this: ProjectWorld, count: number, service: string, encoding: string, path: string) {
    await sendTrace(this, count, service, encodingOf(encoding), path);
  },
);

When(
  'a collector sends 4 spans as JSON, one without a name and one with a 3-byte trace id',
  async function (this: ProjectWorld) {
    const traceId = newTraceId();
    exchange(this).traceId = hex(traceId);
    const spans = [
      span({ traceId, name: 'kept' }),
      span({ traceId, name: '' }),
      span({ traceId: new Uint8Array([1, 2, 3]) }),
      span({ traceId, name: 'kept too' }),
    ];
    exchange(this).answers.push(
      await post(this.requireApp(), '/v1/traces', mediaType.json, encodeRequest('traces', 'json', traceRequest(spans))),
    );
  },
);

When(
  'a collector sends the same trace of {int} spans twice as protobuf',
  async function (this: ProjectWorld, count: number) {
    const traceId = newTraceId();
    exchange(this).traceId = hex(traceId);
    const body = encodeRequest(
      'traces',
      'protobuf',
      traceRequest(Array.from({ length: count }, () => span({ traceId }))),
    );
    for (let i = 0; i < 2; i++)
      exchange(this).answers.push(await post(this.requireApp(), '/v1/traces', mediaType.protobuf, body));
  },
);

When('a collector sends a body that is not protobuf to {string}', async function (this: ProjectWorld, path: string) {
  exchange(this).answers.push(
    await post(this.requireApp(), path, mediaType.protobuf, Buffer.from([0x0a, 0xff, 0xff, 0xff, 0xff, 0x0f])),
  );
});

Given('every pipeline of the receiver is busy and its wait queue is full', async function (this: ProjectWorld) {
  const app = this.requireApp();
  const { max_concurrent_pipelines: pipelines, max_queued_pipelines: queue } = await pipelineStatus(app);
  // Exports whose bodies have not finished arriving: each holds a pipeline (or a place in the queue) until released.
  for (let i = 0; i < pipelines + queue; i++) {
    const bytes = encodeRequest('traces', 'protobuf', traceRequest([span()]));
    const body = new PassThrough();
    body.write(bytes.subarray(0, 8));
    const response = app.inject({
      method: 'POST',
      url: '/v1/traces',
      headers: { 'content-type': mediaType.protobuf, ...collectorAuth },
      payload: body,
    });
    exchange(this).held.push({ body, rest: bytes.subarray(8), response });
  }
  await eventually(async () => {
    const status = await pipelineStatus(app);
    return status.active_pipelines === pipelines && status.queued_pipelines === queue;
  });
});

When('the busy pipelines finish', async function (this: ProjectWorld) {
  const { held } = exchange(this);
  for (const h of held) h.body.end(h.rest);
  exchange(this).heldAnswers = (await Promise.all(held.map((h) => h.response))).map((r) => r.statusCode);
});

Then('all of them were answered 200', function (this: ProjectWorld) {
  const { heldAnswers, held } = exchange(this);
  assert.equal(heldAnswers.length, held.length);
  assert.ok(
    heldAnswers.every((status) => status === 200),
    JSON.stringify(heldAnswers),
  );
});

Then('the receiver answers 200 with a full success', function (this: ProjectWorld) {
  const answer = lastAnswer(this);
  assert.equal(answer.status, 200, answer.body.toString('utf8'));
  // Full success leaves partial_success unset: `{}` in JSON, an empty protobuf message.
  assert.ok(answer.body.length === 0 || answer.body.toString('utf8') === '{}', answer.body.toString('utf8'));
});

Then('both answers are 200', function (this: ProjectWorld) {
  assert.deepEqual(
    exchange(this).answers.map((answer) => answer.status),
    [200, 200],
  );
});

Then(
  'the receiver answers 200 with a partial success rejecting {int} spans',
  function (this: ProjectWorld, rejected: number) {
    const answer = lastAnswer(this);
    assert.equal(answer.status, 200);
    const body = decodeExportResponse('traces', 'json', answer.body) as { partialSuccess?: { rejectedSpans?: string } };
    assert.equal(body.partialSuccess?.rejectedSpans, String(rejected));
  },
);

Then('the error message says {string}', function (this: ProjectWorld, text: string) {
  const body = decodeExportResponse('traces', 'json', lastAnswer(this).body) as {
    partialSuccess?: { errorMessage?: string };
  };
  assert.ok(body.partialSuccess?.errorMessage?.includes(text), body.partialSuccess?.errorMessage);
});

Then('the receiver answers 400 with a status message saying {string}', function (this: ProjectWorld, text: string) {
  const answer = lastAnswer(this);
  assert.equal(answer.status, 400);
  const status = decodeStatus('protobuf', answer.body);
  assert.ok(String(status['message']).includes(text), String(status['message']));
});

Then(
  'the receiver answers 429 with a Retry-After of {int} second and closes the connection',
  function (this: ProjectWorld, seconds: number) {
    const answer = lastAnswer(this);
    assert.equal(answer.status, 429);
    assert.equal(answer.headers['retry-after'], String(seconds));
    assert.equal(answer.headers['connection'], 'close');
  },
);

Then(
  'the pipeline status counts {int} export refused for capacity',
  async function (this: ProjectWorld, count: number) {
    assert.equal((await pipelineStatus(this.requireApp())).rejected_for_capacity, count);
  },
);

Then(
  'the {int} span(s) of that trace is/are stored as telemetry events from source {string}',
  async function (this: ProjectWorld, count: number, source: string) {
    const rows = await spansOfTrace(this);
    assert.equal(rows.length, count);
    assert.ok(
      rows.every((row) => row.source === source && row.event_name[0] === 'otlp' && row.event_name[1] === 'span'),
    );
  },
);

Then('the {int} valid spans are stored', async function (this: ProjectWorld, count: number) {
  assert.deepEqual(
    (await spansOfTrace(this)).map((row) => row.event_name[2]).sort(),
    ['kept', 'kept too'].slice(0, count),
  );
});

Then('nothing is stored', async function (this: ProjectWorld) {
  assert.ok(this.pool !== undefined);
  assert.equal((await storedRows(this.pool, ['otlp'])).length + (await storedRows(this.pool, ['otlp_api'])).length, 0);
});

Then(
  'the request is recorded as an {string} {string} {string} event from source {string}',
  async function (this: ProjectWorld, a: string, b: string, c: string, source: string) {
    assert.ok(this.pool !== undefined);
    const events = await storedRows(this.pool, [a, b, c]);
    assert.equal(events.length, 1);
    assert.equal(events[0]?.source, source);
  },
);

Then(
  'the trace reads back in Jaeger format with its root span first and times in microseconds',
  async function (this: ProjectWorld) {
    const response = await this.requireApp().inject({
      method: 'GET',
      url: `/api/otlp/traces/${exchange(this).traceId}?format=jaeger`,
      headers: adminAuth,
    });
    assert.equal(response.statusCode, 200);
    const spans =
      (
        response.json() as {
          data: { spans: { operationName: string; references: unknown[]; startTime: number; duration: number }[] }[];
        }
      ).data[0]?.spans ?? [];
    assert.equal(spans[0]?.operationName, 'step 1');
    assert.deepEqual(spans[0]?.references, []);
    assert.equal(spans[0]?.startTime, 1_700_000_000_000_000);
    assert.equal(spans[0]?.duration, 1_500);
  },
);
