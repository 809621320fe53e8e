import type { JSX } from 'react';

/** An error the admin should read: the API's `message`, never HTML. */
export function ErrorMessage({ message }: { message: string | null }): JSX.Element | null {
  return message ? (
    <p className="message message-error" role="alert">
      {message}
    </p>
  ) : null;
}

/** The outcome of an action ("Ban lifted."). */
export function StatusMessage({ message }: { message: string | null }): JSX.Element | null {
  return message ? (
    <p className="message message-ok" role="status">
      {message}
    </p>
  ) : null;
}

/** The outcome of the page's last action: its error (role="alert") above its status (role="status"). */
export function Outcome({ error, status }: { error: string | null; status: string | null }): JSX.Element {
  return (
    <>
      <ErrorMessage message={error} />
      <StatusMessage message={status} />
    </>
  );
}

/** A table body row for "loading" or "nothing here". */
export function PlaceholderRow({ columns, text }: { columns: number; text: string }): JSX.Element {
  return (
    <tr>
      <td colSpan={columns} className="placeholder">
        {text}
      </td>
    </tr>
  );
}

export interface LoadMoreProps {
  hasMore: boolean;
  loadingMore: boolean;
  loadMore: () => void;
}

/** The next page of a cursor listing; hidden on the last page. */
export function LoadMore({ hasMore, loadingMore, loadMore }: LoadMoreProps): JSX.Element | null {
  if (!hasMore) {
    return null;
  }
  return (
    <div className="load-more">
      <button type="button" onClick={loadMore} disabled={loadingMore} aria-busy={loadingMore}>
        Load more
      </button>
    </div>
  );
}
