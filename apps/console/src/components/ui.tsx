import { useCallback, useEffect, useId, useRef, useState, type ButtonHTMLAttributes, type ReactNode } from 'react';
import { Link, useSearchParams } from 'react-router';
import { ApiError } from '../lib/api';
import { buttonState, type Check } from '../lib/permissions';
import { useCan } from '../session';

/** Loads with `load` whenever `deps` change; `reload` loads again. */
export function useLoad<T>(
  /** `live` turns false once the answer is no longer wanted (the page was left, or loads again). */
  load: (live: () => boolean) => Promise<T>,
  deps: unknown[],
  /** False to wait (still loading) until it turns true: for data not shown first. */
  start = true,
): { data?: T; error?: unknown; loading: boolean; reload: () => void; set: (value: T) => void } {
  const [state, setState] = useState<{ data?: T; error?: unknown; loading: boolean }>({ loading: true });
  const [tick, setTick] = useState(0);
  useEffect(() => {
    if (!start) return;
    let live = true;
    setState((s) => ({ ...s, loading: true }));
    load(() => live).then(
      (data) => live && setState({ data, loading: false }),
      (error: unknown) => live && setState({ error, loading: false }),
    );
    return () => {
      live = false;
    };
  }, [...deps, tick, start]);
  const reload = useCallback(() => setTick((t) => t + 1), []);
  const set = useCallback((data: T) => setState({ data, loading: false }), []);
  return { ...state, reload, set };
}

/** An error from the API (or anything else), announced to screen readers. */
export function ErrorMessage({ error, title }: { error: unknown; title?: string }) {
  if (!error) return null;
  const denied = error instanceof ApiError && error.code === 'AccessDenied';
  const text = error instanceof Error ? error.message : String(error);
  return (
    <div className={`alert ${denied ? 'alert-denied' : 'alert-error'}`} role="alert">
      <strong>{title ?? (denied ? 'Not allowed' : error instanceof ApiError ? error.code : 'Error')}</strong>
      <span> {text}</span>
    </div>
  );
}

export function Notice({ children, kind = 'info' }: { children: ReactNode; kind?: 'info' | 'success' | 'warning' }) {
  return (
    <div className={`alert alert-${kind}`} role="status">
      {children}
    </div>
  );
}

export function Loading({ what = 'Loading' }: { what?: string }) {
  return (
    <p className="loading" role="status" aria-live="polite">
      {what}…
    </p>
  );
}

type ActionProps = Omit<ButtonHTMLAttributes<HTMLButtonElement>, 'type'> & {
  /** The permission this button needs: shown as not allowed when the caller lacks it. */
  check?: Check;
  checks?: Check[];
  variant?: 'primary' | 'secondary' | 'danger' | 'link';
  type?: 'button' | 'submit';
};

/**
 * A button for an action of the API: disabled, and saying so, when the signed-in principal may
 * not do it (asked of the gateway); the API refuses it anyway.
 */
export function Action({ check, checks, variant = 'secondary', children, disabled, type = 'button', className, ...rest }: ActionProps) {
  const needed = checks ?? (check ? [check] : []);
  const state = buttonState(needed, useCan(needed));
  const denied = state.disabled;
  const hintId = useId();
  return (
    <>
      <button
        type={type}
        className={`btn btn-${variant}${className ? ` ${className}` : ''}`}
        disabled={disabled || denied}
        data-permission={state.permission}
        aria-describedby={denied ? hintId : undefined}
        title={state.reason}
        {...rest}
      >
        {children}
      </button>
      {denied && (
        <span id={hintId} className="visually-hidden">
          {state.reason}
        </span>
      )}
    </>
  );
}

/** A modal dialog (the platform's: focus kept inside, Escape closes). */
export function Dialog({ title, open, onClose, children, wide }: { title: string; open: boolean; onClose: () => void; children: ReactNode; wide?: boolean }) {
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    if (open && !dialog.open) dialog.showModal();
    if (!open && dialog.open) dialog.close();
  }, [open]);
  return (
    <dialog ref={ref} className={`dialog${wide ? ' dialog-wide' : ''}`} aria-labelledby={titleId} onClose={onClose} onCancel={onClose}>
      {open && (
        <>
          <div className="dialog-head">
            <h2 id={titleId}>{title}</h2>
            <button type="button" className="btn btn-link close" onClick={onClose} aria-label="Close">
              ×
            </button>
          </div>
          <div className="dialog-body">{children}</div>
        </>
      )}
    </dialog>
  );
}

/** Tabs with the keyboard behaviour of the ARIA pattern (arrows, Home, End). */
export function Tabs({ tabs, selected, onSelect, label }: { tabs: Array<{ id: string; label: string }>; selected: string; onSelect: (id: string) => void; label: string }) {
  const refs = useRef<Record<string, HTMLButtonElement | null>>({});
  const move = (delta: number | 'first' | 'last') => {
    const index = tabs.findIndex((t) => t.id === selected);
    const next = delta === 'first' ? 0 : delta === 'last' ? tabs.length - 1 : (index + delta + tabs.length) % tabs.length;
    onSelect(tabs[next].id);
    refs.current[tabs[next].id]?.focus();
  };
  return (
    <div role="tablist" aria-label={label} className="tabs">
      {tabs.map((tab) => (
        <button
          key={tab.id}
          ref={(el) => {
            refs.current[tab.id] = el;
          }}
          role="tab"
          type="button"
          id={`tab-${tab.id}`}
          aria-selected={tab.id === selected}
          aria-controls={`panel-${tab.id}`}
          tabIndex={tab.id === selected ? 0 : -1}
          className="tab"
          onClick={() => onSelect(tab.id)}
          onKeyDown={(e) => {
            if (e.key === 'ArrowRight') move(1);
            else if (e.key === 'ArrowLeft') move(-1);
            else if (e.key === 'Home') move('first');
            else if (e.key === 'End') move('last');
            else return;
            e.preventDefault();
          }}
        >
          {tab.label}
        </button>
      ))}
    </div>
  );
}

export function TabPanel({ id, children }: { id: string; children: ReactNode }) {
  return (
    <div role="tabpanel" id={`panel-${id}`} aria-labelledby={`tab-${id}`} className="tab-panel" tabIndex={0}>
      {children}
    </div>
  );
}

/** Copies `text`; says so. */
export function CopyButton({ text, label }: { text: string; label: string }) {
  const [done, setDone] = useState(false);
  return (
    <button
      type="button"
      className="btn btn-secondary btn-small"
      onClick={async () => {
        try {
          await navigator.clipboard.writeText(text);
        } catch {
          // Without clipboard access (an insecure origin): the value is selectable on the page.
        }
        setDone(true);
        setTimeout(() => setDone(false), 2000);
      }}
    >
      {done ? 'Copied' : label}
    </button>
  );
}

/** Saves `text` as a file named `fileName`. */
export function download(fileName: string, text: string, type = 'text/csv'): void {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const link = document.createElement('a');
  link.href = url;
  link.download = fileName;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

export function Field({ label, children, hint, id }: { label: string; children: (id: string, hintId?: string) => ReactNode; hint?: ReactNode; id?: string }) {
  const generated = useId();
  const fieldId = id ?? generated;
  const hintId = hint ? `${fieldId}-hint` : undefined;
  return (
    <div className="field">
      <label htmlFor={fieldId}>{label}</label>
      {children(fieldId, hintId)}
      {hint && (
        <div className="hint" id={hintId}>
          {hint}
        </div>
      )}
    </div>
  );
}

export function PageHeader({ title, children, crumbs }: { title: string; children?: ReactNode; crumbs?: ReactNode }) {
  return (
    <header className="page-header">
      {crumbs && <nav aria-label="Breadcrumb" className="crumbs">{crumbs}</nav>}
      <div className="page-title-row">
        <h1>{title}</h1>
        {children && <div className="page-actions">{children}</div>}
      </div>
    </header>
  );
}

/** A section that the caller may not read: says so instead of showing nothing. */
export function NotReadable({ what, action }: { what: string; action?: string }) {
  return (
    <p className="muted not-readable">
      You may not view {what}
      {action ? ` (needs ${action})` : ''}.
    </p>
  );
}

/** A link to a page for an action (a creation form): a disabled button when the caller may not do it. */
export function ActionLink({ to, check, children, variant = 'primary' }: { to: string; check: Check; children: ReactNode; variant?: 'primary' | 'secondary' }) {
  const [permission] = useCan([check]);
  if (permission === 'denied') {
    return (
      <Action check={check} variant={variant}>
        {children}
      </Action>
    );
  }
  return (
    <Link className={`btn btn-${variant}`} to={to} data-permission={permission}>
      {children}
    </Link>
  );
}

/** A table's head: its columns, then one for the row's buttons (named for screen readers only). */
export function ActionsTableHead({ columns }: { columns: readonly string[] }) {
  return (
    <thead>
      <tr>
        {columns.map((column) => (
          <th key={column} scope="col">
            {column}
          </th>
        ))}
        <th scope="col">
          <span className="visually-hidden">Actions</span>
        </th>
      </tr>
    </thead>
  );
}

/** The summary card of a user or group: its ARN, path and creation time, then `children` (more `dt`/`dd` pairs). */
export function EntitySummary({ arn, path, created, children }: { arn: string; path: string; created: ReactNode; children?: ReactNode }) {
  return (
    <section className="card summary" aria-label="Summary">
      <dl className="pairs">
        <dt>ARN</dt>
        <dd>
          <code>{arn}</code>
        </dd>
        <dt>Path</dt>
        <dd>{path}</dd>
        <dt>Created</dt>
        <dd>{created}</dd>
        {children}
      </dl>
    </section>
  );
}

/**
 * A list page's state in the URL's query: the parameters, and `set(key, value)`, which removes the
 * key for an empty value and goes back to the first page on any change but the page's own.
 */
export function useListParams(): [URLSearchParams, (key: string, value: string) => void] {
  const [params, setParams] = useSearchParams();
  const set = (key: string, value: string) => {
    const next = new URLSearchParams(params);
    if (value) next.set(key, value);
    else next.delete(key);
    if (key !== 'page') next.delete('page');
    setParams(next, { replace: true });
  };
  return [params, set];
}
