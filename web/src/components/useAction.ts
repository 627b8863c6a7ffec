import { useState } from 'preact/hooks';
import { ApiError, errorProblem, type Problem } from '../lib/api';

// The state of a form's request: busy while it runs, then the problem it failed with (and the
// ApiError, for the fields it names).
export function useAction() {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const [problem, setProblem] = useState<Problem | null>(null);

  function fail(e: unknown) {
    setProblem(errorProblem(e));
    setError(e instanceof ApiError ? e : null);
  }

  async function run(action: () => Promise<void>) {
    setBusy(true);
    setProblem(null);
    setError(null);
    try {
      await action();
    } catch (e) {
      fail(e);
    } finally {
      setBusy(false);
    }
  }

  return { busy, error, problem, run, fail, setProblem };
}
