import type { JSX } from 'react';
import { formatDateTime } from '../format';
import type { Client } from '../types';
import { DataTable } from './DataTable';
import type { LoadMoreProps } from './Feedback';

const COLUMNS = ['Username', 'User id', 'Kind', 'IP', 'Instance', 'Rooms', 'Connected at'];

interface ClientsTableProps {
  clients: Client[];
  loading: boolean;
  busy: boolean;
  more: LoadMoreProps;
  onKick: (client: Client) => void;
  onBan: (client: Client) => void;
}

export function ClientsTable({ clients, loading, busy, more, onKick, onBan }: ClientsTableProps): JSX.Element {
  return (
    <DataTable
      columns={COLUMNS}
      actions
      empty={clients.length === 0}
      loading={loading}
      emptyText="No connected client matches."
      more={more}
    >
      {clients.map((client) => (
        <tr key={client.socketId} data-testid={`client-row-${client.socketId}`}>
          <td>{client.user.username}</td>
          <td>
            <code>{client.user.id}</code>
          </td>
          <td>{client.user.kind}</td>
          <td>{client.ip}</td>
          <td>
            <code>{client.instanceId}</code>
          </td>
          <td>{client.rooms.length > 0 ? client.rooms.join(', ') : '—'}</td>
          <td>{formatDateTime(client.connectedAt)}</td>
          <td className="row-actions">
            <button type="button" className="secondary" onClick={() => onKick(client)} disabled={busy}>
              Kick
            </button>
            <button type="button" className="danger" onClick={() => onBan(client)}>
              Ban
            </button>
          </td>
        </tr>
      ))}
    </DataTable>
  );
}
