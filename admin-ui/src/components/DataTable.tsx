import type { JSX, ReactNode } from 'react';
import { LoadMore, PlaceholderRow, type LoadMoreProps } from './Feedback';

interface DataTableProps {
  /** The column headings, left to right. */
  columns: readonly string[];
  /** Adds a last column, titled "Actions" for screen readers only, for the row buttons. */
  actions?: boolean;
  /** True when there is no row: one placeholder row then shows `loadingText` or `emptyText`. */
  empty: boolean;
  /** While the rows are on their way. */
  loading?: boolean;
  loadingText?: string;
  emptyText: string;
  /** Extra class names for the table (e.g. `nowrap`). */
  className?: string;
  /** A cursor listing: "Load more" under the table while there is a next page. */
  more?: LoadMoreProps;
  /** The body rows (`<tr>`, each with its `data-testid`). */
  children: ReactNode;
}

/** The frame every listing of the console shares: headings, "Loading…"/"No …" row, and "Load more". */
export function DataTable({
  columns,
  actions = false,
  empty,
  loading = false,
  loadingText = 'Loading…',
  emptyText,
  className,
  more,
  children,
}: DataTableProps): JSX.Element {
  const columnCount = columns.length + (actions ? 1 : 0);
  return (
    <>
      <div className="table-wrap">
        <table className={className}>
          <thead>
            <tr>
              {columns.map((column) => (
                <th key={column} scope="col">
                  {column}
                </th>
              ))}
              {actions && (
                <th scope="col">
                  <span className="visually-hidden">Actions</span>
                </th>
              )}
            </tr>
          </thead>
          <tbody>
            {empty && <PlaceholderRow columns={columnCount} text={loading ? loadingText : emptyText} />}
            {children}
          </tbody>
        </table>
      </div>
      {more && <LoadMore {...more} />}
    </>
  );
}
