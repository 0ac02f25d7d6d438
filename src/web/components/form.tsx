import type Html from '@kitajs/html';
import { DomainError } from '../../lib/domain-error.js';
import { attrText, cx } from './html.js';

/**
 * What a form shows: the values typed (kept when validation fails) and one message per field.
 * Field keys are the action's problem paths (`title`, `links[0].url`), so a DomainError maps
 * straight onto the fields that caused it.
 */
export interface FormState {
  readonly values: Readonly<Record<string, string>>;
  readonly errors: Readonly<Record<string, string>>;
  /** A message for the whole form (shown in the summary above the fields). */
  readonly message?: string;
}

export function formState(values: Record<string, unknown> = {}): FormState {
  return { values: stringValues(values), errors: {} };
}

/**
 * The form state for a failed submission: a DomainError with problems becomes field messages,
 * one without becomes the form message. Anything else is a bug and is rethrown.
 */
export function formStateFromError(err: unknown, submitted: Record<string, unknown>): FormState {
  if (!(err instanceof DomainError) || err.status >= 500) throw err;
  const errors: Record<string, string> = {};
  for (const p of err.problems) if (!(p.path in errors)) errors[p.path] = p.message;
  return { values: stringValues(submitted), errors, message: err.message };
}

/** Form bodies as plain strings (arrays of checkboxes are joined by commas). */
function stringValues(values: Record<string, unknown>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(values)) {
    if (k === '_csrf' || v === undefined || v === null) continue;
    out[k] = Array.isArray(v) ? v.map(String).join(',') : String(v);
  }
  return out;
}

const fieldId = (name: string) => `f-${name.replace(/[^a-zA-Z0-9_-]/g, '-')}`;

/** The hidden CSRF token every state-changing form carries. */
export function CsrfField(props: { token: string }): JSX.Element {
  return <input type="hidden" name="_csrf" value={attrText(props.token)} />;
}

/**
 * The error summary at the top of a failed form: the form message and a link to each field
 * with a problem (focus-able, announced by screen readers).
 */
export function ErrorSummary(props: { state: FormState; labels?: Record<string, string> }): JSX.Element {
  const entries = Object.entries(props.state.errors);
  if (!props.state.message && entries.length === 0) return '';
  return (
    <div class="error-summary" role="alert" tabindex="-1">
      <p safe>{props.state.message ?? 'Please correct the fields below.'}</p>
      {entries.length > 0 ? (
        <ul>
          {entries.map(([path, message]) => (
            <li>
              <a href={`#${fieldId(path)}`} safe>
                {`${props.labels?.[path] ?? path}: ${message}`}
              </a>
            </li>
          ))}
        </ul>
      ) : (
        ''
      )}
    </div>
  );
}

interface FieldBase {
  name: string;
  label: string;
  state: FormState;
  hint?: string;
  required?: boolean;
  /** Value used when the state has none for this field (e.g. the record being edited). */
  fallback?: string | number | null;
}

function fieldValue(p: FieldBase): string {
  return p.state.values[p.name] ?? (p.fallback === null || p.fallback === undefined ? '' : String(p.fallback));
}

function FieldFrame(p: FieldBase & { children: Html.Children }): JSX.Element {
  const id = fieldId(p.name);
  const error = p.state.errors[p.name];
  return (
    <div class={cx('field', error && 'field-error')}>
      <label for={id} safe>
        {p.label}
      </label>
      {p.hint ? (
        <p class="hint" id={`${id}-hint`} safe>
          {p.hint}
        </p>
      ) : (
        ''
      )}
      {error ? (
        <p class="error" id={`${id}-error`} safe>
          {error}
        </p>
      ) : (
        ''
      )}
      {p.children}
    </div>
  );
}

function describedBy(p: FieldBase): string | undefined {
  const id = fieldId(p.name);
  const ids = [p.hint ? `${id}-hint` : '', p.state.errors[p.name] ? `${id}-error` : ''].filter(Boolean);
  return ids.length ? ids.join(' ') : undefined;
}

/** A labelled input that keeps its typed value and shows its error next to it. */
export function TextField(
  p: FieldBase & {
    type?: 'text' | 'email' | 'password' | 'url' | 'number' | 'date' | 'datetime-local' | 'time' | 'color' | 'search';
    autocomplete?: string;
    /** A sample or default shown while the field is empty (never a replacement for the label). */
    placeholder?: string;
    min?: string;
    max?: string;
    step?: string;
  },
): JSX.Element {
  const type = p.type ?? 'text';
  return (
    <FieldFrame {...p}>
      <input
        id={fieldId(p.name)}
        name={p.name}
        type={type}
        value={type === 'password' ? undefined : attrText(fieldValue(p))}
        required={p.required}
        autocomplete={p.autocomplete}
        placeholder={p.placeholder === undefined ? undefined : attrText(p.placeholder)}
        min={p.min}
        max={p.max}
        step={p.step}
        aria-invalid={p.state.errors[p.name] ? 'true' : undefined}
        aria-describedby={describedBy(p)}
      />
    </FieldFrame>
  );
}

export function TextArea(p: FieldBase & { rows?: number }): JSX.Element {
  return (
    <FieldFrame {...p}>
      <textarea
        id={fieldId(p.name)}
        name={p.name}
        rows={String(p.rows ?? 6)}
        required={p.required}
        aria-invalid={p.state.errors[p.name] ? 'true' : undefined}
        aria-describedby={describedBy(p)}
        safe
      >
        {fieldValue(p)}
      </textarea>
    </FieldFrame>
  );
}

export interface Option {
  readonly value: string;
  readonly label: string;
}

export function SelectField(p: FieldBase & { options: readonly Option[]; multiple?: boolean }): JSX.Element {
  const current = new Set(fieldValue(p).split(','));
  return (
    <FieldFrame {...p}>
      <select
        id={fieldId(p.name)}
        name={p.name}
        required={p.required}
        multiple={p.multiple ? 'multiple' : undefined}
        aria-invalid={p.state.errors[p.name] ? 'true' : undefined}
        aria-describedby={describedBy(p)}
      >
        {p.options.map((o) => (
          <option value={attrText(o.value)} selected={current.has(o.value)} safe>
            {o.label}
          </option>
        ))}
      </select>
    </FieldFrame>
  );
}

/** A single checkbox; checked when the state says "on"/"true"/"1". */
export function CheckboxField(p: FieldBase): JSX.Element {
  const v = fieldValue(p);
  const id = fieldId(p.name);
  const error = p.state.errors[p.name];
  return (
    <div class={cx('field', 'field-checkbox', error && 'field-error')}>
      {error ? (
        <p class="error" id={`${id}-error`} safe>
          {error}
        </p>
      ) : (
        ''
      )}
      <input id={id} name={p.name} type="checkbox" value="on" checked={v === 'on' || v === 'true' || v === '1'} aria-describedby={describedBy(p)} />
      <label for={id} safe>
        {p.label}
      </label>
      {p.hint ? (
        <p class="hint" id={`${id}-hint`} safe>
          {p.hint}
        </p>
      ) : (
        ''
      )}
    </div>
  );
}

/** A form that posts to `action` with its CSRF token; `children` are the fields and buttons. */
export function PostForm(p: { action: string; csrf: string; class?: string; children: Html.Children; label?: string }): JSX.Element {
  return (
    <form method="post" action={attrText(p.action)} class={p.class} aria-label={p.label ? attrText(p.label) : undefined}>
      <CsrfField token={p.csrf} />
      {p.children}
    </form>
  );
}

/** A one-button form (delete, publish, sign out): state changes never happen on GET. */
export function ButtonForm(p: { action: string; csrf: string; label: string; class?: string }): JSX.Element {
  return (
    <form method="post" action={attrText(p.action)} class={cx('button-form', p.class)}>
      <CsrfField token={p.csrf} />
      <button type="submit" class={p.class} safe>
        {p.label}
      </button>
    </form>
  );
}
