import { useId, useMemo, useRef } from 'react';
import { jsonSyntaxProblem, type PolicyProblem } from '../lib/policy-errors';

export const EXAMPLE_POLICY = `{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Effect": "Allow",
      "Action": ["iam:ListUsers", "iam:GetUser"],
      "Resource": "*"
    }
  ]
}`;

/**
 * A policy's JSON, with line numbers; the problems (the browser's JSON check as one types, the
 * API's validation errors after saving) shown at their lines and listed under the editor.
 */
export function PolicyEditor({ value, onChange, problems, label = 'Policy document' }: { value: string; onChange: (text: string) => void; problems: PolicyProblem[]; label?: string }) {
  const id = useId();
  const gutter = useRef<HTMLDivElement>(null);
  const syntax = useMemo(() => jsonSyntaxProblem(value), [value]);
  const shown = problems.length > 0 ? problems : syntax ? [syntax] : [];
  const lines = value.split('\n').length;
  const bad = new Set(shown.map((p) => p.line).filter((l): l is number => l !== undefined));
  return (
    <div className="editor-wrap">
      <label htmlFor={id}>{label}</label>
      <div className={`editor${shown.length ? ' editor-invalid' : ''}`}>
        <div className="gutter" ref={gutter} aria-hidden="true">
          {Array.from({ length: lines }, (_, i) => (
            <div key={i} className={bad.has(i + 1) ? 'gutter-bad' : undefined}>
              {i + 1}
            </div>
          ))}
        </div>
        <textarea
          id={id}
          spellCheck={false}
          value={value}
          rows={Math.min(Math.max(lines + 1, 10), 28)}
          onChange={(e) => onChange(e.target.value)}
          onScroll={(e) => {
            if (gutter.current) gutter.current.scrollTop = e.currentTarget.scrollTop;
          }}
          onKeyDown={(e) => {
            if (e.key === 'Tab' && !e.shiftKey && !e.ctrlKey && !e.altKey && !e.metaKey) {
              // Two spaces; Escape then Tab leaves the editor, as Shift+Tab always does.
              if (e.currentTarget.dataset['escaped'] === 'true') return;
              e.preventDefault();
              const el = e.currentTarget;
              const start = el.selectionStart;
              const next = `${value.slice(0, start)}  ${value.slice(el.selectionEnd)}`;
              onChange(next);
              requestAnimationFrame(() => el.setSelectionRange(start + 2, start + 2));
            } else if (e.key === 'Escape') e.currentTarget.dataset['escaped'] = 'true';
            else e.currentTarget.dataset['escaped'] = 'false';
          }}
          aria-invalid={shown.length > 0}
          aria-describedby={`${id}-problems ${id}-help`}
        />
      </div>
      <p className="muted small" id={`${id}-help`}>
        Tab indents; press Escape then Tab to leave the editor.
      </p>
      <ul id={`${id}-problems`} className="problems" aria-live="polite">
        {shown.map((p, i) => (
          <li key={i} className="problem">
            {p.line !== undefined ? <strong>Line {p.line}{p.column !== undefined ? `, column ${p.column}` : ''}: </strong> : null}
            {p.path ? <code>{p.path}</code> : null}
            {p.path ? ': ' : ''}
            {p.message}
          </li>
        ))}
      </ul>
    </div>
  );
}
