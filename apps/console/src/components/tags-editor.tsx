import type { Tag } from '../lib/types';

/** Key/value rows, as many as wanted (AWS allows 50). */
export function TagsEditor({ tags, onChange }: { tags: Tag[]; onChange: (tags: Tag[]) => void }) {
  const update = (i: number, patch: Partial<Tag>) => onChange(tags.map((t, n) => (n === i ? { ...t, ...patch } : t)));
  return (
    <fieldset className="tags-editor">
      <legend>Tags (optional)</legend>
      {tags.map((tag, i) => (
        <div className="tag-row" key={i}>
          <label>
            Key <input value={tag.Key} onChange={(e) => update(i, { Key: e.target.value })} />
          </label>
          <label>
            Value <input value={tag.Value} onChange={(e) => update(i, { Value: e.target.value })} />
          </label>
          <button type="button" className="btn btn-link" onClick={() => onChange(tags.filter((_, n) => n !== i))} aria-label={`Remove tag ${i + 1}`}>
            Remove
          </button>
        </div>
      ))}
      {tags.length < 50 && (
        <button type="button" className="btn btn-secondary btn-small" onClick={() => onChange([...tags, { Key: '', Value: '' }])}>
          Add tag
        </button>
      )}
    </fieldset>
  );
}
