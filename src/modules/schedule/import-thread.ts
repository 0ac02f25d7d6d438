import { Worker } from 'node:worker_threads';
import type { CheckOptions } from './event-document.js';
import { ImportErrors } from './import.errors.js';
import type { FrabSchedule } from '../../formats/frab-model.js';
import {
  convertSchedule,
  describeSchedule,
  fromWire,
  parseSchedule,
  type ConvertRequest,
  type ConvertResult,
  type ParsedSchedule,
  type WireError,
} from '../../formats/schedule-convert.js';

/**
 * Parsing and converting a schedule is pure CPU: a valid 19 MB file with 12,000 sessions held the
 * event loop for seconds and grew the server's heap by hundreds of MB. So it runs in a worker
 * thread (import-worker.ts) with its own heap capped at `memoryMb` and stopped after `timeMs`,
 * either of which refuses the import with SCHEDULE_TOO_COMPLEX; the server keeps answering
 * meanwhile. The database stays with the main thread (one connection, one transaction).
 */
export interface ImportLimits {
  /** Wall-clock budget of the worker, start to last answer (IMPORT_TIME_LIMIT_SECONDS). */
  readonly timeMs: number;
  /** The worker's heap (V8 old generation) in MB (IMPORT_MEMORY_LIMIT_MB). */
  readonly memoryMb: number;
}

export const DEFAULT_IMPORT_LIMITS: ImportLimits = { timeMs: 120_000, memoryMb: 1024 };

export type WorkerTask =
  | { readonly kind: 'schedule'; readonly bytes: Uint8Array }
  | { readonly kind: 'document'; readonly text: string; readonly options: CheckOptions };

export type WorkerMessage =
  | { readonly type: 'parsed'; readonly parsed: ParsedSchedule }
  | { readonly type: 'done'; readonly result: ConvertResult }
  | { readonly type: 'error'; readonly error: WireError }
  | { readonly type: 'crash'; readonly message: string };

export interface ImportWorker {
  /** The worker's next answer; a DomainError it posted, or the limits it broke, are thrown. */
  next<T extends 'parsed' | 'done'>(type: T): Promise<Extract<WorkerMessage, { type: T }>>;
  send(request: ConvertRequest): void;
  /** Stops the worker (always call it, in a finally). */
  close(): void;
}

/**
 * The worker's code is import-worker.js next to this file in the build (dist/), and
 * import-worker.ts under tsx (tests, `npx hallway`): a worker does not inherit the tsx loader
 * registered in the main thread, so then a small eval'd bootstrap registers it first.
 */
function spawnWorker(task: WorkerTask, limits: ImportLimits): Worker {
  const ownUrl = import.meta.url;
  const typescript = ownUrl.endsWith('.ts');
  const entry = new URL(`./import-worker.${typescript ? 'ts' : 'js'}`, ownUrl);
  const options = {
    workerData: task,
    transferList: task.kind === 'schedule' ? [task.bytes.buffer as ArrayBuffer] : [],
    resourceLimits: { maxOldGenerationSizeMb: limits.memoryMb },
    stdout: false,
    stderr: false,
  };
  if (!typescript) return new Worker(entry, options);
  const tsx = import.meta.resolve('tsx/esm/api');
  const bootstrap = `import(${JSON.stringify(tsx)}).then((m) => { m.register(); return import(${JSON.stringify(entry.href)}); });`;
  return new Worker(bootstrap, { ...options, eval: true });
}

/**
 * The same steps on the calling thread, for callers that run very many small imports and guard
 * against a hang themselves (the importer's fuzz tests run in a child process with a watchdog).
 */
export function startInline(task: Extract<WorkerTask, { kind: 'schedule' }>): ImportWorker {
  let schedule: FrabSchedule | undefined;
  let request: ConvertRequest | undefined;
  return {
    async next(type) {
      if (type === 'parsed') {
        schedule = parseSchedule(task.bytes);
        return { type, parsed: describeSchedule(schedule) } as never;
      }
      return { type, result: convertSchedule(schedule!, request!) } as never;
    },
    send(r) {
      request = r;
    },
    close() {},
  };
}

export function startImportWorker(task: WorkerTask, limits: ImportLimits = DEFAULT_IMPORT_LIMITS): ImportWorker {
  // A copy of exactly these bytes is moved to the worker (a pooled Buffer's memory must stay).
  const own: WorkerTask = task.kind === 'schedule' ? { kind: 'schedule', bytes: new Uint8Array(task.bytes) } : task;
  const worker = spawnWorker(own, limits);
  const inbox: WorkerMessage[] = [];
  let failure: Error | undefined;
  let wake: (() => void) | undefined;
  const fail = (err: Error) => {
    failure ??= err;
    wake?.();
  };
  const timer = setTimeout(() => {
    fail(ImportErrors.tooComplex('time', limits));
    void worker.terminate();
  }, limits.timeMs);
  worker.on('message', (m: WorkerMessage) => {
    inbox.push(m);
    wake?.();
  });
  worker.on('error', (err: Error & { code?: string }) =>
    fail(
      err.code === 'ERR_WORKER_OUT_OF_MEMORY'
        ? ImportErrors.tooComplex('memory', limits)
        : new Error(`The import worker failed: ${err.message}`, { cause: err }),
    ),
  );
  worker.on('exit', (code) => fail(new Error(`The import worker stopped (exit code ${code}) before it answered`)));

  return {
    async next(type) {
      for (;;) {
        const m = inbox.shift();
        if (m?.type === 'error') throw fromWire(m.error);
        if (m?.type === 'crash') throw new Error(`The import worker failed: ${m.message}`);
        if (m) {
          if (m.type !== type) throw new Error(`The import worker answered ${m.type}, expected ${type}`);
          return m as never;
        }
        if (failure) throw failure;
        await new Promise<void>((resolve) => (wake = resolve));
        wake = undefined;
      }
    },
    send(request) {
      worker.postMessage(request);
    },
    close() {
      clearTimeout(timer);
      void worker.terminate();
    },
  };
}
