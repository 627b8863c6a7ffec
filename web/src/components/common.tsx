import { cloneElement, isValidElement, type ComponentChildren } from 'preact';
import { useState } from 'preact/hooks';
import type { Problem } from '../lib/api';

// An API error as the server described it: detail, status and every field it names.
export function ProblemBox({ problem }: { problem: Problem | null }) {
  if (!problem) return null;
  return (
    <div class="problem" role="alert">
      <strong>
        {problem.title || 'Error'}
        {problem.status ? ` (${problem.status})` : ''}
      </strong>
      <p class="detail">{problem.detail}</p>
      {problem.errors?.length ? (
        <ul>
          {problem.errors.map((e) => (
            <li key={e.field + e.rule}>
              <code>{e.field}</code>: {e.message} <span class="muted">({e.rule})</span>
            </li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}

// A labelled control with its hint and the server's message for its field.
export function Field(props: {
  id: string;
  label: string;
  hint?: string;
  error?: string;
  children: ComponentChildren;
}) {
  // The control is described by its hint and error, and marked invalid, for screen readers.
  const described = [props.hint && `${props.id}-hint`, props.error && `${props.id}-error`].filter(Boolean).join(' ');
  const control = isValidElement(props.children)
    ? cloneElement(props.children, { 'aria-describedby': described || undefined, 'aria-invalid': props.error ? 'true' : undefined })
    : props.children;
  return (
    <div class={props.error ? 'field invalid' : 'field'}>
      <label for={props.id}>{props.label}</label>
      {control}
      {props.hint ? (
        <small id={`${props.id}-hint`} class="muted">
          {props.hint}
        </small>
      ) : null}
      {props.error ? (
        <small id={`${props.id}-error`} class="field-error">
          {props.error}
        </small>
      ) : null}
    </div>
  );
}

export function CopyButton({ text, label }: { text: string; label: string }) {
  const [state, setState] = useState<'idle' | 'copied' | 'failed'>('idle');
  async function copy() {
    try {
      await navigator.clipboard.writeText(text);
      setState('copied');
    } catch {
      setState('failed');
    }
    setTimeout(() => setState('idle'), 2000);
  }
  return (
    <button type="button" class="small" onClick={copy} aria-label={`Copy ${label}`}>
      {state === 'copied' ? `${label[0].toUpperCase()}${label.slice(1)} copied` : state === 'failed' ? 'Copy failed' : `Copy ${label}`}
    </button>
  );
}

export function Select(props: {
  id: string;
  value: string;
  options: readonly string[];
  onChange: (v: string) => void;
  empty?: string;
}) {
  return (
    <select id={props.id} value={props.value} onChange={(e) => props.onChange(e.currentTarget.value)}>
      {props.empty !== undefined ? <option value="">{props.empty}</option> : null}
      {props.options.map((o) => (
        <option key={o} value={o}>
          {o}
        </option>
      ))}
    </select>
  );
}

export function download(name: string, text: string, type: string) {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}
