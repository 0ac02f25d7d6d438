import { parentPort, workerData } from 'node:worker_threads';
import { DomainError } from '../../lib/domain-error.js';
import { checkEventDocument } from './event-document.js';
import { ScheduleErrors } from './schedule.errors.js';
import { convertSchedule, describeSchedule, parseSchedule, toWire, type ConvertRequest } from '../../formats/schedule-convert.js';
import type { WorkerMessage, WorkerTask } from './import-thread.js';

/*
 * The import worker thread (started by import-thread.ts, never imported by the main thread).
 * A schedule: parse, post what it is (`parsed`), wait for the event's current document from the
 * main thread, convert and check, post `done`. An event document (JSON text): parse and check,
 * post `done`. A DomainError is posted as `error`; anything else (a bug) as `crash`.
 */
const port = parentPort!;
const task = workerData as WorkerTask;
const post = (m: WorkerMessage) => port.postMessage(m);

function guarded(step: () => void): void {
  try {
    step();
  } catch (err) {
    if (err instanceof DomainError) post({ type: 'error', error: toWire(err) });
    else post({ type: 'crash', message: err instanceof Error ? (err.stack ?? err.message) : String(err) });
  }
}

guarded(() => {
  if (task.kind === 'document') {
    let input: unknown;
    try {
      input = JSON.parse(task.text);
    } catch (err) {
      throw ScheduleErrors.documentNotJson(err instanceof Error ? err.message : String(err));
    }
    const checked = checkEventDocument(input, task.options);
    post({ type: 'done', result: checked.ok ? { ok: true, checked: checked.value, warnings: [], origins: [] } : { ok: false, problems: checked.problems } });
    return;
  }
  const schedule = parseSchedule(task.bytes);
  post({ type: 'parsed', parsed: describeSchedule(schedule) });
  port.once('message', (request: ConvertRequest) => guarded(() => post({ type: 'done', result: convertSchedule(schedule, request) })));
});
