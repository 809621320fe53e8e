import { useCallback, useEffect, useRef, useState } from 'react';
import { errorMessage } from './api';
import type { Page } from './types';

export interface PagedList<T> {
  items: T[];
  /** True while the first page is on its way. */
  loading: boolean;
  error: string | null;
  hasMore: boolean;
  loadingMore: boolean;
  loadMore: () => void;
  reload: () => void;
  /** Drops rows locally, e.g. after a delete answered 204. */
  remove: (predicate: (item: T) => boolean) => void;
}

interface ListState<T> {
  items: T[];
  nextCursor: string | null;
  loading: boolean;
  loadingMore: boolean;
  error: string | null;
}

const initialState = { items: [], nextCursor: null, loading: true, loadingMore: false, error: null };

/**
 * A cursor-paged listing (`{ items, nextCursor }`). `fetchPage` must be memoised: a new function
 * (new filters) loads the first page again.
 */
export function usePagedList<T>(fetchPage: (cursor?: string) => Promise<Page<T>>): PagedList<T> {
  const [state, setState] = useState<ListState<T>>(initialState);
  const [version, setVersion] = useState(0);
  // Answers for an older generation (filters changed, list reloaded) are dropped.
  const generation = useRef(0);

  useEffect(() => {
    const mine = ++generation.current;
    fetchPage().then(
      (page) => {
        if (generation.current === mine) {
          setState({ items: page.items, nextCursor: page.nextCursor, loading: false, loadingMore: false, error: null });
        }
      },
      (error: unknown) => {
        if (generation.current === mine) {
          setState({ ...initialState, loading: false, error: errorMessage(error) });
        }
      },
    );
  }, [fetchPage, version]);

  const { nextCursor, loadingMore } = state;
  const loadMore = useCallback(() => {
    if (nextCursor === null || loadingMore) {
      return;
    }
    const mine = generation.current;
    const update = (change: (previous: ListState<T>) => ListState<T>): void => {
      if (generation.current === mine) {
        setState(change);
      }
    };
    update((previous) => ({ ...previous, loadingMore: true }));
    fetchPage(nextCursor).then(
      (page) =>
        update((previous) => ({
          ...previous,
          items: [...previous.items, ...page.items],
          nextCursor: page.nextCursor,
          loadingMore: false,
          error: null,
        })),
      (error: unknown) => update((previous) => ({ ...previous, loadingMore: false, error: errorMessage(error) })),
    );
  }, [fetchPage, nextCursor, loadingMore]);

  const reload = useCallback(() => setVersion((previous) => previous + 1), []);
  const remove = useCallback((predicate: (item: T) => boolean) => {
    setState((previous) => ({ ...previous, items: previous.items.filter((item) => !predicate(item)) }));
  }, []);

  return {
    items: state.items,
    loading: state.loading,
    error: state.error,
    hasMore: nextCursor !== null,
    loadingMore,
    loadMore,
    reload,
    remove,
  };
}
