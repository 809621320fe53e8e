import { useEffect, useState, type JSX } from 'react';
import { closeRoom, deleteMessage, getRoom, listRecentMessages } from '../admin-api';
import { errorMessage } from '../api';
import { ErrorMessage, StatusMessage } from '../components/Feedback';
import { RoomMessages } from '../components/RoomMessages';
import { RoomSummary } from '../components/RoomSummary';
import type { Message, RoomDetail } from '../types';

const RECENT_MESSAGES = 50;

/** One room: figures, members, its latest messages (each deletable), and Close room. */
export function RoomDetailPage({ roomId }: { roomId: string }): JSX.Element {
  const [detail, setDetail] = useState<RoomDetail | null>(null);
  const [messages, setMessages] = useState<Message[] | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [messagesError, setMessagesError] = useState<string | null>(null);
  const [actionError, setActionError] = useState<string | null>(null);
  const [status, setStatus] = useState<string | null>(null);
  const [closed, setClosed] = useState(false);
  const [busy, setBusy] = useState(false);
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

  async function run(action: () => Promise<void>): Promise<void> {
    setBusy(true);
    setActionError(null);
    setStatus(null);
    try {
      await action();
    } catch (error) {
      setActionError(errorMessage(error));
    } finally {
      setBusy(false);
    }
  }

  function removeMessage(message: Message): void {
    void run(async () => {
      await deleteMessage(roomId, message.id);
      setMessages((previous) => previous?.filter((candidate) => candidate.id !== message.id) ?? null);
      setStatus(`Message #${message.seq} deleted.`);
    });
  }

  function refresh(): void {
    setStatus(null);
    setActionError(null);
    setVersion((previous) => previous + 1);
  }

  function close(): void {
    const name = detail?.room.name ?? roomId;
    if (!window.confirm(`Close the room “${name}”? Everyone in it will be removed.`)) {
      return;
    }
    void run(async () => {
      await closeRoom(roomId);
      setClosed(true);
      setStatus(`Room “${name}” closed.`);
    });
  }

  return (
    <>
      <p className="breadcrumb">
        <a href="#/rooms">Back to rooms</a>
      </p>
      <h1>Room: {detail?.room.name ?? roomId}</h1>
      <ErrorMessage message={loadError ?? actionError} />
      <StatusMessage message={status} />
      {!closed && detail && (
        <>
          <div className="toolbar">
            <button type="button" className="secondary" onClick={refresh}>
              Refresh
            </button>
            <button type="button" className="danger" onClick={close} disabled={busy}>
              Close room
            </button>
          </div>
          <RoomSummary detail={detail} />
          <section aria-labelledby="room-messages-title">
            <h2 id="room-messages-title">Recent messages</h2>
            <ErrorMessage message={messagesError} />
            <RoomMessages messages={messages} onDelete={removeMessage} disabled={busy} />
          </section>
        </>
      )}
    </>
  );
}
