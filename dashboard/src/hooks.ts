// Owns loading data into a page: one call, its result or its error, optionally repeated while the
// page is shown (live progress without reloading).
import { useEffect, useRef, useState } from "preact/hooks";

export interface Loaded<T> {
  data?: T | undefined;
  error?: Error | undefined;
  loading: boolean;
  reload(): void;
}

/**
 * Runs `load` when `deps` change and, with `everyMs`, again that long after each answer (so a slow
 * answer never stacks requests). `everyMs` may be a function of the last data: poll fast while
 * something runs, slowly otherwise.
 */
export function useLoad<T>(
  load: () => Promise<T>,
  deps: unknown[],
  everyMs?: number | ((data: T) => number | undefined),
): Loaded<T> {
  const [state, setState] = useState<{ data?: T; error?: Error; loading: boolean }>({ loading: true });
  const [generation, setGeneration] = useState(0);
  const loadRef = useRef(load);
  loadRef.current = load;
  const everyRef = useRef(everyMs);
  everyRef.current = everyMs;

  // biome-ignore lint/correctness/useExhaustiveDependencies: the caller's deps decide when to reload
  useEffect(() => {
    let stopped = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    setState((previous) => ({ ...previous, loading: true }));
    const run = async () => {
      let data: T | undefined;
      try {
        data = await loadRef.current();
        if (stopped) return;
        setState({ data, loading: false });
      } catch (error) {
        if (stopped) return;
        setState((previous) => ({ data: previous.data, error: error as Error, loading: false }));
      }
      const every = everyRef.current;
      const wait = typeof every === "function" ? (data === undefined ? 5_000 : every(data)) : every;
      if (wait !== undefined && !stopped) timer = setTimeout(run, wait);
    };
    void run();
    return () => {
      stopped = true;
      clearTimeout(timer);
    };
  }, [...deps, generation]);

  return { ...state, reload: () => setGeneration((g) => g + 1) };
}
