import { useCallback, useState } from 'react';
import { errorMessage } from './api';

export interface Action {
  /** True while an action runs (its buttons are disabled). */
  busy: boolean;
  /** What the last action did ("Ban lifted."), shown with role="status". */
  status: string | null;
  /** Why the last action failed (the API's message), shown with role="alert". */
  error: string | null;
  /** Runs `action`; what it resolves with becomes the status, what it throws the error. */
  run: (action: () => Promise<string>) => Promise<void>;
  /** Shows a status without running anything (e.g. a form reported its own success). */
  report: (status: string) => void;
  /** Drops the status and the error. */
  clear: () => void;
}

/** The busy flag, status and error of a page's actions (kick, lift, delete, close...). */
export function useAction(): Action {
  const [busy, setBusy] = useState(false);
  const [status, setStatus] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);

  const clear = useCallback(() => {
    setStatus(null);
    setError(null);
  }, []);

  const run = useCallback(
    async (action: () => Promise<string>) => {
      setBusy(true);
      clear();
      try {
        setStatus(await action());
      } catch (caught) {
        setError(errorMessage(caught));
      } finally {
        setBusy(false);
      }
    },
    [clear],
  );

  return { busy, status, error, run, report: setStatus, clear };
}
