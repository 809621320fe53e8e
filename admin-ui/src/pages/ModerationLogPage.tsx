import { useCallback, type JSX } from 'react';
import { listModerationLog } from '../admin-api';
import { DataTable } from '../components/DataTable';
import { ErrorMessage } from '../components/Feedback';
import { formatDateTime } from '../format';
import type { ModerationEntry, ModerationTarget } from '../types';
import { usePagedList } from '../use-paged-list';

const COLUMNS = ['When', 'Who', 'Action', 'Target', 'Reason'];

const TARGET_LABELS: [keyof ModerationTarget, string][] = [
  ['username', 'user'],
  ['userId', 'user id'],
  ['ip', 'IP'],
  ['roomId', 'room'],
  ['messageId', 'message'],
  ['socketId', 'socket'],
  ['banId', 'ban'],
];

function describeTarget(entry: ModerationEntry): string {
  const { target } = entry;
  const parts = TARGET_LABELS.filter(([key]) => target[key]).map(([key, label]) => `${label} ${target[key]}`);
  if (parts.length > 0) {
    return parts.join(', ');
  }
  return entry.action === 'announcement' ? 'everyone' : '—';
}

/** What admins did, newest first. */
export function ModerationLogPage(): JSX.Element {
  const fetchPage = useCallback((cursor?: string) => listModerationLog(cursor), []);
  const list = usePagedList(fetchPage);
  return (
    <>
      <h1>Moderation log</h1>
      <div className="toolbar">
        <button type="button" className="secondary" onClick={list.reload}>
          Refresh
        </button>
      </div>
      <ErrorMessage message={list.error} />
      <DataTable
        columns={COLUMNS}
        empty={list.items.length === 0}
        loading={list.loading}
        emptyText="No moderation action yet."
        more={list}
      >
        {list.items.map((entry) => (
          <tr key={entry.id} data-testid={`log-row-${entry.id}`}>
            <td>{formatDateTime(entry.at)}</td>
            <td>{entry.actor}</td>
            <td>
              <code>{entry.action}</code>
            </td>
            <td>{describeTarget(entry)}</td>
            <td>{entry.reason ?? '—'}</td>
          </tr>
        ))}
      </DataTable>
    </>
  );
}
