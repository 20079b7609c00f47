import { useState } from 'react';
import { PolicyEditor, EXAMPLE_POLICY } from './policy-editor';
import { Action, Dialog, ErrorMessage, Field } from './ui';
import { ApiError } from '../lib/api';
import { editorProblems, NO_PROBLEMS, type EditorProblems } from '../lib/policy-errors';
import type { Check } from '../lib/permissions';
import { useApi } from '../session';

/** Writing an inline policy (new or existing) with the API's validation errors shown at their lines. */
export function InlinePolicyDialog({ open, onClose, onSaved, basePath, name: initialName, document: initialDocument, check }: { open: boolean; onClose: () => void; onSaved: () => void; basePath: string; name?: string; document?: string; check: Check }) {
  const api = useApi();
  const [name, setName] = useState(initialName ?? '');
  const [text, setText] = useState(initialDocument ?? EXAMPLE_POLICY);
  const [problems, setProblems] = useState<EditorProblems>(NO_PROBLEMS);
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState(false);
  const save = async () => {
    setBusy(true);
    setError(undefined);
    setProblems(NO_PROBLEMS);
    try {
      await api.put(`${basePath}/policies/${encodeURIComponent(name)}`, { PolicyDocument: text });
      onSaved();
    } catch (e) {
      if (e instanceof ApiError && e.code === 'MalformedPolicyDocument') setProblems(editorProblems(e, text));
      else setError(e);
    } finally {
      setBusy(false);
    }
  };
  return (
    <Dialog title={initialName ? `Edit inline policy ${initialName}` : 'Create inline policy'} open={open} onClose={onClose} wide>
      {!initialName && <Field label="Policy name">{(id) => <input id={id} value={name} onChange={(e) => setName(e.target.value)} />}</Field>}
      <PolicyEditor value={text} onChange={(t) => { setText(t); setProblems(NO_PROBLEMS); }} problems={problems} />
      <ErrorMessage error={error} />
      <div className="form-actions">
        <Action variant="primary" check={check} disabled={busy || name.trim() === ''} onClick={() => void save()}>
          {busy ? 'Saving…' : 'Save policy'}
        </Action>
        <button type="button" className="btn btn-secondary" onClick={onClose}>
          Cancel
        </button>
      </div>
    </Dialog>
  );
}
