import type { WorkflowMeta } from '../../dag/workflowFlow';
import { slugify } from '../../hooks/useWorkflowEditor';
import { Field } from '../Field';

export function MetaFields({
  meta,
  onChange,
  creating,
  errors,
  readOnly,
}: {
  meta: WorkflowMeta;
  onChange: (m: WorkflowMeta) => void;
  creating: boolean;
  errors: Record<string, string[]>;
  readOnly: boolean;
}) {
  return (
    <fieldset className="fieldset-plain meta-fields" disabled={readOnly}>
      <div className="grid-2">
        <Field label="Name" errors={errors.name}>
          <input
            value={meta.name}
            onChange={(e) =>
              onChange({
                ...meta,
                name: e.target.value,
                slug:
                  creating && meta.slug === slugify(meta.name)
                    ? slugify(e.target.value)
                    : meta.slug,
              })
            }
            required
            maxLength={100}
            data-testid="workflow-name"
          />
        </Field>
        <Field
          label="Slug"
          errors={errors.slug}
          hint={creating ? 'How webhooks and the API name it.' : undefined}
        >
          <input
            value={meta.slug}
            readOnly={!creating}
            onChange={(e) => onChange({ ...meta, slug: e.target.value.toLowerCase() })}
            className="mono"
            required
            data-testid="workflow-slug"
          />
        </Field>
      </div>
      <Field label="Description" errors={errors.description}>
        <textarea
          rows={2}
          value={meta.description}
          onChange={(e) => onChange({ ...meta, description: e.target.value })}
          maxLength={2000}
          data-testid="workflow-description"
        />
      </Field>
    </fieldset>
  );
}
