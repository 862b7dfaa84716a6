import { ConfirmButton } from './ConfirmButton';

interface DeleteForGoodButtonProps {
  /** Deletes the record (the API call). */
  remove: () => Promise<unknown>;
  /** After a successful delete, e.g. back to the list. */
  onDeleted: () => void;
  onError: (err: unknown) => void;
  'data-testid'?: string;
}

/** An editor page's header action: delete the record after a confirming second click. */
export function DeleteForGoodButton({
  remove,
  onDeleted,
  onError,
  ...rest
}: DeleteForGoodButtonProps) {
  return (
    <ConfirmButton
      data-testid={rest['data-testid']}
      confirmLabel="Delete for good?"
      onConfirm={async () => {
        try {
          await remove();
          onDeleted();
        } catch (err) {
          onError(err);
        }
      }}
    >
      Delete
    </ConfirmButton>
  );
}

/** Shown above an editor to members who may look but not change. */
export function ReadOnlyNote({ readOnly }: { readOnly: boolean }) {
  return readOnly ? <p className="note">You have read-only access.</p> : null;
}
