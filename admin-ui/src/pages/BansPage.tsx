import { useCallback, useState, type JSX } from 'react';
import { liftBan, listBans } from '../admin-api';
import { errorMessage } from '../api';
import { BanForm } from '../components/BanForm';
import { ErrorMessage, LoadMore, PlaceholderRow, StatusMessage } from '../components/Feedback';
import { formatBanEnd, formatDateTime } from '../format';
import type { Ban } from '../types';
import { usePagedList } from '../use-paged-list';

export function BansPage(): JSX.Element {
  const fetchPage = useCallback((cursor?: string) => listBans(cursor), []);
  const list = usePagedList(fetchPage);
  const { reload, remove } = list;
  const [status, setStatus] = useState<string | null>(null);
  const [actionError, setActionError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  function created(ban: Ban): void {
    setActionError(null);
    setStatus(`Ban created for ${ban.userId ?? ban.ip ?? ''}.`);
    reload();
  }

  async function lift(ban: Ban): Promise<void> {
    setBusy(true);
    setStatus(null);
    setActionError(null);
    try {
      await liftBan(ban.id);
      remove((candidate) => candidate.id === ban.id);
      setStatus(`Ban on ${ban.userId ?? ban.ip ?? ban.id} lifted.`);
    } catch (error) {
      setActionError(errorMessage(error));
    } finally {
      setBusy(false);
    }
  }

  return (
    <>
      <h1>Bans</h1>
      <BanForm onBanned={created} />
      <h2>In force</h2>
      <ErrorMessage message={list.error ?? actionError} />
      <StatusMessage message={status} />
      <div className="table-wrap">
        <table>
          <thead>
            <tr>
              <th scope="col">User id</th>
              <th scope="col">IP</th>
              <th scope="col">Reason</th>
              <th scope="col">Created</th>
              <th scope="col">Until</th>
              <th scope="col">Created by</th>
              <th scope="col">
                <span className="visually-hidden">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {list.items.length === 0 && <PlaceholderRow columns={7} text={list.loading ? 'Loading…' : 'No ban.'} />}
            {list.items.map((ban) => (
              <tr key={ban.id} data-testid={`ban-row-${ban.id}`}>
                <td>{ban.userId ? <code>{ban.userId}</code> : '—'}</td>
                <td>{ban.ip ?? '—'}</td>
                <td>{ban.reason}</td>
                <td>{formatDateTime(ban.createdAt)}</td>
                <td>{formatBanEnd(ban.until)}</td>
                <td>{ban.createdBy}</td>
                <td className="row-actions">
                  <button type="button" className="secondary" onClick={() => void lift(ban)} disabled={busy}>
                    Lift
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <LoadMore {...list} />
    </>
  );
}
