/** One problem with input, located by a path into the document or form (e.g. `sessions[12].room`). */
export interface Problem {
  readonly path: string;
  readonly message: string;
}

/**
 * The one error type domain code throws. `code` is a stable identifier from a module's
 * *.errors.ts catalogue (documented in docs/errors.md); adapters map it to an HTTP status,
 * a form message or a CLI exit code and never parse `message`.
 */
export class DomainError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly status: number,
    readonly problems: readonly Problem[] = [],
  ) {
    super(message);
    this.name = 'DomainError';
  }
}

/** VALIDATION_FAILED (422): the one error for invalid input, a problem per field, nothing changed. */
export function validationFailed(problems: readonly Problem[]): DomainError {
  return new DomainError(
    'VALIDATION_FAILED',
    `The input has ${problems.length} problem${problems.length === 1 ? '' : 's'}; nothing was changed.`,
    422,
    problems,
  );
}

/** Formats a zod-style path (['sessions', 12, 'room']) as `sessions[12].room`. */
export function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const part of path) {
    if (typeof part === 'number') out += `[${part}]`;
    else out += out === '' ? String(part) : `.${String(part)}`;
  }
  return out === '' ? '(document)' : out;
}
