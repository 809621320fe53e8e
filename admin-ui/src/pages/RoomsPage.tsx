import { useCallback, useState, type FormEvent, type JSX } from 'react';
import { listRooms } from '../admin-api';
import { ErrorMessage, LoadMore, PlaceholderRow } from '../components/Feedback';
import { formatDateTime } from '../format';
import { navigate, roomHref } from '../router';
import { usePagedList } from '../use-paged-list';

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
      <div className="table-wrap">
        <table>
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Visibility</th>
              <th scope="col">Members</th>
              <th scope="col">Messages</th>
              <th scope="col">Expires</th>
              <th scope="col">
                <span className="visually-hidden">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {list.items.length === 0 && (
              <PlaceholderRow columns={6} text={list.loading ? 'Loading…' : q ? 'No room matches.' : 'No room.'} />
            )}
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
          </tbody>
        </table>
      </div>
      <LoadMore {...list} />
    </>
  );
}
