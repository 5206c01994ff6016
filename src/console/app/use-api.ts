// The one way a component loads what it shows: loading, error and data in one state, and only the
// newest request's answer counts. Each load gets its own AbortSignal (passed to the api module with
// `signal`); a newer load (the deps changed, or reload()) aborts the older one and its answer, should
// it still arrive, is dropped. Unmounting aborts too.
import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import { errorText } from './api.js';

export interface ApiState<T> {
  /** The newest answer; kept while a reload runs (undefined before the first). */
  data: T | undefined;
  /** The newest load's failure, in words ('' when it succeeded, was dropped or is still running). */
  error: string;
  loading: boolean;
  /** Loads again; resolves when this load has settled (a newer one replacing it resolves it too). */
  reload: () => Promise<void>;
  /** Replaces the data in place (an answer to a change that returns the updated thing). */
  setData: (data: T) => void;
}

/**
 * `load` asks for the data (or answers null: nothing to load, e.g. nothing chosen yet); it runs when
 * a dep changes and on reload(). Answers of superseded loads are ignored.
 */
export function useApi<T>(load: (signal: AbortSignal) => Promise<T> | null, deps: readonly unknown[]): ApiState<T> {
  const [state, setState] = useState<{ data: T | undefined; error: string; loading: boolean }>({
    data: undefined,
    error: '',
    loading: true,
  });
  const latest = useRef<{ id: number; controller: AbortController | null }>({ id: 0, controller: null });
  const loadRef = useRef(load);
  loadRef.current = load;

  const run = useCallback(async (): Promise<void> => {
    latest.current.controller?.abort();
    const controller = new AbortController();
    const id = latest.current.id + 1;
    latest.current = { id, controller };
    const pending = loadRef.current(controller.signal);
    if (pending === null) {
      setState((s) => ({ ...s, error: '', loading: false }));
      return;
    }
    setState((s) => (s.loading && !s.error ? s : { ...s, error: '', loading: true }));
    try {
      const data = await pending;
      if (latest.current.id === id) setState({ data, error: '', loading: false });
    } catch (error) {
      if (latest.current.id === id) setState((s) => ({ ...s, error: errorText(error), loading: false }));
    }
  }, []);

  useEffect(() => {
    void run();
  }, deps);
  useEffect(
    () => () => {
      // Unmounted: nothing may land any more.
      latest.current.controller?.abort();
      latest.current = { id: latest.current.id + 1, controller: null };
    },
    [],
  );

  const setData = useCallback((data: T) => setState((s) => ({ ...s, data })), []);
  return { ...state, reload: run, setData };
}
