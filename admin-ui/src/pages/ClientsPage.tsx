import { useCallback, useState, type FormEvent, type JSX } from 'react';
import { kickClient, listClients, type ClientFilter } from '../admin-api';
import { BanForm, type BanTarget } from '../components/BanForm';
import { ClientsTable } from '../components/ClientsTable';
import { Outcome } from '../components/Feedback';
import { formatDateTime } from '../format';
import type { Ban, Client } from '../types';
import { useAction } from '../use-action';
import { usePagedList } from '../use-paged-list';

/** Every connected socket across the cluster, with Kick and Ban. */
export function ClientsPage(): JSX.Element {
  const [draft, setDraft] = useState<ClientFilter>({ q: '', roomId: '' });
  const [filter, setFilter] = useState<ClientFilter>({ q: '', roomId: '' });
  const [kickReason, setKickReason] = useState('');
  const [banTarget, setBanTarget] = useState<BanTarget | null>(null);
  const action = useAction();
  const fetchPage = useCallback((cursor?: string) => listClients(filter, cursor), [filter]);
  const list = usePagedList(fetchPage);
  const { reload, remove } = list;

  function search(event: FormEvent<HTMLFormElement>): void {
    event.preventDefault();
    setFilter({ q: draft.q.trim(), roomId: draft.roomId.trim() });
    reload();
  }

  function kick(client: Client): void {
    void action.run(async () => {
      await kickClient(client.socketId, kickReason.trim());
      remove((candidate) => candidate.socketId === client.socketId);
      return `Kicked ${client.user.username} (${client.socketId}).`;
    });
  }

  function openBan(client: Client): void {
    action.clear();
    setBanTarget({ userId: client.user.id, username: client.user.username, ip: client.ip });
  }

  function banned(ban: Ban): void {
    // The server disconnects every matching socket at once.
    remove(
      (client) =>
        (ban.userId !== undefined && client.user.id === ban.userId) || (ban.ip !== undefined && client.ip === ban.ip),
    );
    const who = ban.userId === undefined ? `IP address ${ban.ip ?? ''}` : (banTarget?.username ?? ban.userId);
    action.report(
      ban.until === null ? `Banned ${who} permanently.` : `Banned ${who} until ${formatDateTime(ban.until)}.`,
    );
    setBanTarget(null);
  }

  return (
    <>
      <h1>Clients</h1>
      <form role="search" className="toolbar" onSubmit={search}>
        <label>
          Search clients (username, user id or IP)
          <input type="search" value={draft.q} onChange={(event) => setDraft({ ...draft, q: event.target.value })} />
        </label>
        <label>
          Room id
          <input value={draft.roomId} onChange={(event) => setDraft({ ...draft, roomId: event.target.value })} />
        </label>
        <button type="submit">Search</button>
      </form>
      {/* One action panel at a time, so the ban form's "Reason" is the only reason field on screen. */}
      {banTarget ? (
        <BanForm key={banTarget.userId} target={banTarget} onBanned={banned} onCancel={() => setBanTarget(null)} />
      ) : (
        <div className="toolbar">
          <label>
            Kick reason (optional)
            <input value={kickReason} onChange={(event) => setKickReason(event.target.value)} />
          </label>
        </div>
      )}
      <Outcome error={list.error ?? action.error} status={action.status} />
      <ClientsTable
        clients={list.items}
        loading={list.loading}
        busy={action.busy}
        more={list}
        onKick={kick}
        onBan={openBan}
      />
    </>
  );
}
