import { useId, useLayoutEffect, useMemo, useRef } from 'react';
import { jsonSyntaxProblem, problemsByLine, type EditorProblems, type PolicyProblem } from '../lib/policy-errors';

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
 * A policy's JSON, with line numbers. The problems (the browser's JSON check as one types, the
 * API's validation errors after saving) are shown at their lines: the line number marked, the
 * line tinted and the problem written at the end of the line; and listed under the editor, each
 * with a button that takes the cursor there. The API's own message (IAM's words) heads the list.
 */
export function PolicyEditor({ value, onChange, problems: given, label = 'Policy document' }: { value: string; onChange: (text: string) => void; problems: EditorProblems; label?: string }) {
  const id = useId();
  const gutter = useRef<HTMLDivElement>(null);
  const lens = useRef<HTMLDivElement>(null);
  const area = useRef<HTMLTextAreaElement>(null);
  const syntax = useMemo(() => jsonSyntaxProblem(value), [value]);
  const fromApi = given.problems.length > 0 || given.summary !== undefined;
  const shown = fromApi ? given.problems : syntax ? [syntax] : [];
  const summary = fromApi ? given.summary : undefined;
  const textLines = value.split('\n');
  const lines = textLines.length;
  const atLine = problemsByLine(shown);
  const invalid = shown.length > 0 || summary !== undefined;
  // The gutter and the markers follow the text as it scrolls.
  const follow = () => {
    const el = area.current;
    if (!el) return;
    if (gutter.current) gutter.current.scrollTop = el.scrollTop;
    if (lens.current) lens.current.style.transform = `translate(${-el.scrollLeft}px, ${-el.scrollTop}px)`;
  };
  useLayoutEffect(follow);
  const goTo = (p: PolicyProblem) => {
    const el = area.current;
    if (!el || p.line === undefined) return;
    let offset = 0;
    for (let i = 0; i < p.line - 1 && i < textLines.length; i++) offset += textLines[i].length + 1;
    offset += Math.max(0, (p.column ?? 1) - 1);
    el.focus();
    el.setSelectionRange(offset, offset);
  };
  return (
    <div className="editor-wrap">
      <label htmlFor={id}>{label}</label>
      <div className={`editor${invalid ? ' editor-invalid' : ''}`}>
        <div className="gutter" ref={gutter} aria-hidden="true">
          {Array.from({ length: lines }, (_, i) => (
            <div key={i} className={atLine.has(i + 1) ? 'gutter-bad' : undefined} data-line={i + 1}>
              {i + 1}
            </div>
          ))}
        </div>
        <div className="editor-body">
          <div className="editor-lens" aria-hidden="true">
            <div className="editor-lens-lines" ref={lens}>
              {textLines.map((text, i) => {
                const here = atLine.get(i + 1);
                return (
                  <div key={i} className={here ? 'lens-line lens-bad' : 'lens-line'} data-line={i + 1}>
                    <span className="lens-text">{text === '' ? ' ' : text}</span>
                    {here ? <span className="lens-message">{here.map((p) => p.message).join(' · ')}</span> : null}
                  </div>
                );
              })}
            </div>
          </div>
          <textarea
            ref={area}
            id={id}
            spellCheck={false}
            wrap="off"
            value={value}
            rows={Math.min(Math.max(lines + 1, 10), 28)}
            onChange={(e) => onChange(e.target.value)}
            onScroll={follow}
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
            aria-invalid={invalid}
            aria-describedby={`${id}-problems ${id}-help`}
          />
        </div>
      </div>
      <p className="muted small" id={`${id}-help`}>
        Tab indents; press Escape then Tab to leave the editor.
      </p>
      <div id={`${id}-problems`} aria-live="polite">
        {summary !== undefined ? <p className="problems-summary">{summary}</p> : null}
        <ul className="problems">
          {shown.map((p, i) => (
            <li key={i} className="problem" data-line={p.line}>
              {p.line !== undefined ? (
                <button type="button" className="btn-link problem-place" onClick={() => goTo(p)}>
                  Line {p.line}
                  {p.column !== undefined ? `, column ${p.column}` : ''}
                </button>
              ) : null}
              {p.line !== undefined ? ': ' : null}
              {p.path ? <code>{p.path}</code> : null}
              {p.path ? ': ' : ''}
              {p.message}
            </li>
          ))}
        </ul>
      </div>
    </div>
  );
}
