import type { JSX } from 'react';
import { formatDateTime } from '../format';
import type { Message } from '../types';
import { DataTable } from './DataTable';

const COLUMNS = ['Seq', 'Sent', 'From', 'Message'];

interface RoomMessagesProps {
  messages: Message[] | null;
  onDelete: (message: Message) => void;
  disabled: boolean;
}

/** The latest messages of a room, oldest first; content is shown as text, never as HTML. */
export function RoomMessages({ messages, onDelete, disabled }: RoomMessagesProps): JSX.Element {
  return (
    <DataTable columns={COLUMNS} actions empty={!messages?.length} loading={messages === null} emptyText="No message.">
      {messages?.map((message) => (
        <tr key={message.id} data-testid={`message-row-${message.id}`} className={`message-${message.kind}`}>
          <td className="number">{message.seq}</td>
          <td>{formatDateTime(message.sentAt)}</td>
          <td>{message.kind === 'system' ? 'system' : message.username}</td>
          <td className="message-content">{message.content}</td>
          <td className="row-actions">
            <button type="button" className="danger" onClick={() => onDelete(message)} disabled={disabled}>
              Delete
            </button>
          </td>
        </tr>
      ))}
    </DataTable>
  );
}
