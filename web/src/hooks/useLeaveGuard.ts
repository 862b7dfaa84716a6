import { useEffect } from 'react';
import { setLeaveMessage } from '../router/leaveGuard';

const MESSAGE = 'You have unsaved changes. Leave this page and lose them?';

/** While `active`, leaving (in-app navigation or closing/reloading the tab) asks first. */
export function useLeaveGuard(active: boolean): void {
  useEffect(() => {
    if (!active) return;
    setLeaveMessage(MESSAGE);
    const onBeforeUnload = (e: BeforeUnloadEvent) => {
      e.preventDefault();
      // Older browsers show the prompt only when returnValue is set.
      e.returnValue = '';
    };
    window.addEventListener('beforeunload', onBeforeUnload);
    return () => {
      setLeaveMessage(null);
      window.removeEventListener('beforeunload', onBeforeUnload);
    };
  }, [active]);
}
