import { useEffect, useState, type JSX } from 'react';
import { closeRoom, deleteMessage, getRoom, listRecentMessages } from '../admin-api';
import { errorMessage } from '../api';
import { ErrorMessage, Outcome } from '../components/Feedback';
import { RoomMessages } from '../components/RoomMessages';
import { RoomSummary } from '../components/RoomSummary';
import type { Message, RoomDetail } from '../types';
import { useAction } from '../use-action';

const RECENT_MESSAGES = 50;

/** One room: figures, members, its latest messages (each deletable), and Close room. */
export function RoomDetailPage({ roomId }: { roomId: string }): JSX.Element {
  const [detail, setDetail] = useState<RoomDetail | null>(null);
  const [messages, setMessages] = useState<Message[] | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [messagesError, setMessagesError] = useState<string | null>(null);
  const action = useAction();
  const [closed, setClosed] = useState(false);
  const [version, setVersion] = useState(0);

  useEffect(() => {
    let current = true;
    getRoom(roomId).then(
      (room) => {
        if (current) {
          setDetail(room);
          setLoadError(null);
        }
      },
      (error: unknown) => {
        if (current) {
          setLoadError(errorMessage(error));
        }
      },
    );
    listRecentMessages(roomId, RECENT_MESSAGES).then(
      (history) => {
        if (current) {
          setMessages(history.items);
          setMessagesError(null);
        }
      },
      (error: unknown) => {
        if (current) {
          setMessagesError(errorMessage(error));
        }
      },
    );
    return () => {
      current = false;
    };
  }, [roomId, version]);

  function removeMessage(message: Message): void {
    void action.run(async () => {
      await deleteMessage(roomId, message.id);
      setMessages((previous) => previous?.filter((candidate) => candidate.id !== message.id) ?? null);
      return `Message #${message.seq} deleted.`;
    });
  }

  function refresh(): void {
    action.clear();
    setVersion((previous) => previous + 1);
  }

  function close(): void {
    const name = detail?.room.name ?? roomId;
    if (!window.confirm(`Close the room “${name}”? Everyone in it will be removed.`)) {
      return;
    }
    void action.run(async () => {
      await closeRoom(roomId);
      setClosed(true);
      return `Room “${name}” closed.`;
    });
  }

  return (
    <>
      <p className="breadcrumb">
        <a href="#/rooms">Back to rooms</a>
      </p>
      <h1>Room: {detail?.room.name ?? roomId}</h1>
      <Outcome error={loadError ?? action.error} status={action.status} />
      {!closed && detail && (
        <>
          <div className="toolbar">
            <button type="button" className="secondary" onClick={refresh}>
              Refresh
            </button>
            <button type="button" className="danger" onClick={close} disabled={action.busy}>
              Close room
            </button>
          </div>
          <RoomSummary detail={detail} />
          <section aria-labelledby="room-messages-title">
            <h2 id="room-messages-title">Recent messages</h2>
            <ErrorMessage message={messagesError} />
            <RoomMessages messages={messages} onDelete={removeMessage} disabled={action.busy} />
          </section>
        </>
      )}
    </>
  );
}
