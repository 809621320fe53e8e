import { useCallback, type JSX } from 'react';
import { liftBan, listBans } from '../admin-api';
import { BanForm } from '../components/BanForm';
import { DataTable } from '../components/DataTable';
import { Outcome } from '../components/Feedback';
import { formatBanEnd, formatDateTime } from '../format';
import type { Ban } from '../types';
import { useAction } from '../use-action';
import { usePagedList } from '../use-paged-list';

const COLUMNS = ['User id', 'IP', 'Reason', 'Created', 'Until', 'Created by'];

export function BansPage(): JSX.Element {
  const fetchPage = useCallback((cursor?: string) => listBans(cursor), []);
  const list = usePagedList(fetchPage);
  const { reload, remove } = list;
  const action = useAction();

  function created(ban: Ban): void {
    action.clear();
    action.report(`Ban created for ${ban.userId ?? ban.ip ?? ''}.`);
    reload();
  }

  function lift(ban: Ban): void {
    void action.run(async () => {
      await liftBan(ban.id);
      remove((candidate) => candidate.id === ban.id);
      return `Ban on ${ban.userId ?? ban.ip ?? ban.id} lifted.`;
    });
  }

  return (
    <>
      <h1>Bans</h1>
      <BanForm onBanned={created} />
      <h2>In force</h2>
      <Outcome error={list.error ?? action.error} status={action.status} />
      <DataTable
        columns={COLUMNS}
        actions
        empty={list.items.length === 0}
        loading={list.loading}
        emptyText="No ban."
        more={list}
      >
        {list.items.map((ban) => (
          <tr key={ban.id} data-testid={`ban-row-${ban.id}`}>
            <td>{ban.userId ? <code>{ban.userId}</code> : '—'}</td>
            <td>{ban.ip ?? '—'}</td>
            <td>{ban.reason}</td>
            <td>{formatDateTime(ban.createdAt)}</td>
            <td>{formatBanEnd(ban.until)}</td>
            <td>{ban.createdBy}</td>
            <td className="row-actions">
              <button type="button" className="secondary" onClick={() => lift(ban)} disabled={action.busy}>
                Lift
              </button>
            </td>
          </tr>
        ))}
      </DataTable>
    </>
  );
}
