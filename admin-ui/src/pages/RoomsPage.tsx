import { useCallback, useState, type FormEvent, type JSX } from 'react';
import { listRooms } from '../admin-api';
import { DataTable } from '../components/DataTable';
import { ErrorMessage } from '../components/Feedback';
import { formatDateTime } from '../format';
import { navigate, roomHref } from '../router';
import { usePagedList } from '../use-paged-list';

const COLUMNS = ['Name', 'Visibility', 'Members', 'Messages', 'Expires'];

export function RoomsPage(): JSX.Element {
  const [draft, setDraft] = useState('');
  const [q, setQ] = useState('');
  const fetchPage = useCallback((cursor?: string) => listRooms(q, cursor), [q]);
  const list = usePagedList(fetchPage);
  const { reload } = list;

  function search(event: FormEvent<HTMLFormElement>): void {
    event.preventDefault();
    setQ(draft.trim());
    reload();
  }

  return (
    <>
      <h1>Rooms</h1>
      <form role="search" className="toolbar" onSubmit={search}>
        <label>
          Search rooms by name
          <input type="search" value={draft} onChange={(event) => setDraft(event.target.value)} />
        </label>
        <button type="submit">Search</button>
      </form>
      <ErrorMessage message={list.error} />
      <DataTable
        columns={COLUMNS}
        actions
        empty={list.items.length === 0}
        loading={list.loading}
        emptyText={q ? 'No room matches.' : 'No room.'}
        more={list}
      >
        {list.items.map((room) => (
          <tr key={room.id} data-testid={`room-row-${room.id}`}>
            <td>{room.name}</td>
            <td>
              {room.visibility}
              {room.hasPassword && ' (password)'}
            </td>
            <td className="number">{room.memberCount}</td>
            <td className="number">{room.messageCount}</td>
            <td>{room.expiresAt ? formatDateTime(room.expiresAt) : 'Never'}</td>
            <td className="row-actions">
              <button type="button" onClick={() => navigate(roomHref(room.id))}>
                Open
              </button>
            </td>
          </tr>
        ))}
      </DataTable>
    </>
  );
}
