import type { JSX } from 'react';
import { formatDateTime } from '../format';
import type { Client } from '../types';
import { PlaceholderRow } from './Feedback';

interface ClientsTableProps {
  clients: Client[];
  loading: boolean;
  busy: boolean;
  onKick: (client: Client) => void;
  onBan: (client: Client) => void;
}

export function ClientsTable({ clients, loading, busy, onKick, onBan }: ClientsTableProps): JSX.Element {
  return (
    <div className="table-wrap">
      <table>
        <thead>
          <tr>
            <th scope="col">Username</th>
            <th scope="col">User id</th>
            <th scope="col">Kind</th>
            <th scope="col">IP</th>
            <th scope="col">Instance</th>
            <th scope="col">Rooms</th>
            <th scope="col">Connected at</th>
            <th scope="col">
              <span className="visually-hidden">Actions</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {clients.length === 0 && (
            <PlaceholderRow columns={8} text={loading ? 'Loading…' : 'No connected client matches.'} />
          )}
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
        </tbody>
      </table>
    </div>
  );
}
