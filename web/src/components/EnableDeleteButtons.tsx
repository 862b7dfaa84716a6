import { ConfirmButton } from './ConfirmButton';

/** Enable/Disable and a confirmed Delete for a list item (schedules, triggers). */
export function EnableDeleteButtons({
  enabled,
  onToggle,
  onDelete,
}: {
  enabled: boolean;
  onToggle: () => void;
  onDelete: () => void | Promise<void>;
}) {
  return (
    <>
      <button type="button" className="btn btn-secondary btn-sm" onClick={onToggle}>
        {enabled ? 'Disable' : 'Enable'}
      </button>
      <ConfirmButton
        className="btn btn-danger-ghost btn-sm"
        confirmLabel="Delete?"
        onConfirm={onDelete}
      >
        Delete
      </ConfirmButton>
    </>
  );
}
