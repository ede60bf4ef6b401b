/**
 * One memory vendor in its own process (`--vendors child`): the bench forks this script per side,
 * asks it to seed its account (generated here, so the bench never holds it) and forwards each
 * Connector call to the memory connector that runs here. See vendor-protocol.ts for the messages.
 * Exits when the bench disconnects, whether it ended or died.
 */
import { createMemoryConnector, MemoryBackend } from '../connectors/memory';
import { FakeClock } from '../connectors/sdk/clock';
import type { RecordConnector, DeletedPage, ReadPage } from '../connectors/sdk/contract';
import { ConnectorError } from '../connectors/sdk/errors';
import type { Side } from '../src/engine/definition';
import { editSide, seedVendor } from './data';
import {
  isRequestEnvelope,
  type RequestEnvelope,
  type ResponseEnvelope,
  type SerializedError,
  type VendorCalls,
  type VendorRequest,
} from './vendor-protocol';

const SAMPLE_MS = 50;

const clock = new FakeClock({ start: 0, autoAdvance: true });
const backend = new MemoryBackend({
  clock,
  idPrefix: process.env.SYNCLINE_BENCH_ID_PREFIX ?? 'mem-',
});
const connector: RecordConnector = createMemoryConnector(backend, { random: () => 0.5 });
const streams = new Map<number, AsyncIterator<ReadPage | DeletedPage>>();
let side: Side | undefined;
let edits: string[] = [];

let peakRss = process.memoryUsage().rss;
const sampler = setInterval(() => {
  peakRss = Math.max(peakRss, process.memoryUsage().rss);
}, SAMPLE_MS);
sampler.unref();

function send(message: ResponseEnvelope): void {
  process.send?.(message);
}

function serializeError(error: unknown): SerializedError {
  if (error instanceof ConnectorError)
    return {
      name: error.name,
      message: error.message,
      ...(error.stack === undefined ? {} : { stack: error.stack }),
      code: error.code,
      details: error.details,
    };
  if (error instanceof Error)
    return {
      name: error.name,
      message: error.message,
      ...(error.stack === undefined ? {} : { stack: error.stack }),
    };
  return { name: 'Error', message: String(error) };
}

function open(stream: number, iterable: AsyncIterable<ReadPage | DeletedPage>): null {
  streams.set(stream, iterable[Symbol.asyncIterator]());
  return null;
}

async function next(stream: number): Promise<ReadPage | DeletedPage | null> {
  const iterator = streams.get(stream);
  if (iterator === undefined) throw new Error(`vendor process: no read stream ${stream}`);
  let result: IteratorResult<ReadPage | DeletedPage>;
  try {
    result = await iterator.next();
  } catch (error) {
    streams.delete(stream);
    throw error;
  }
  if (result.done === true) {
    streams.delete(stream);
    return null;
  }
  return result.value;
}

async function close(stream: number): Promise<null> {
  const iterator = streams.get(stream);
  streams.delete(stream);
  await iterator?.return?.();
  return null;
}

type Answer = VendorCalls[keyof VendorCalls]['response'];

async function handle(body: VendorRequest): Promise<Answer> {
  switch (body.kind) {
    case 'seed': {
      side = body.spec.side;
      edits = seedVendor(
        backend,
        body.spec.side,
        body.spec.records,
        new Date(body.spec.until),
        body.spec.offset,
      );
      return body.spec.records;
    }
    case 'edit':
      if (side === undefined) throw new Error('vendor process: edit before seed');
      return editSide(backend, side, edits, body.slice);
    case 'stats':
      peakRss = Math.max(peakRss, process.memoryUsage().rss);
      return {
        writeCalls: backend.calls.write,
        writtenRecords: backend.writtenRecords,
        peakRss,
        maxRss: process.resourceUsage().maxRSS * 1024,
      };
    case 'check':
      return connector.check();
    case 'discover':
      return connector.discover();
    case 'readOpen':
      return open(body.stream, connector.read(body.read));
    case 'readDeletedOpen': {
      if (connector.readDeleted === undefined)
        throw new Error('vendor process: the connector reports no deletes');
      return open(body.stream, connector.readDeleted(body.read));
    }
    case 'next':
      return next(body.stream);
    case 'close':
      return close(body.stream);
    case 'lookup':
      return connector.lookup(body.lookup);
    case 'get':
      return connector.get(body.object, body.ids, body.fields);
    case 'write':
      return connector.write(body.write);
  }
}

async function answer(envelope: RequestEnvelope): Promise<void> {
  // The parent's clock is the one clock: writes and edits are stamped with its time.
  clock.set(envelope.now);
  try {
    const value = await handle(envelope.body);
    send({ id: envelope.id, calls: connector.callCount(), ok: true, value });
  } catch (error) {
    send({
      id: envelope.id,
      calls: connector.callCount(),
      ok: false,
      error: serializeError(error),
    });
  }
}

process.on('message', (message: unknown) => {
  if (!isRequestEnvelope(message)) return;
  void answer(message);
});
process.on('disconnect', () => {
  process.exit(0);
});
