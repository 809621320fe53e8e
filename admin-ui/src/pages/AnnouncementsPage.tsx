import { useState, type FormEvent, type JSX } from 'react';
import { sendAnnouncement } from '../admin-api';
import { errorMessage } from '../api';
import { ErrorMessage, StatusMessage } from '../components/Feedback';

/** A system message to one room or to everyone. */
export function AnnouncementsPage(): JSX.Element {
  const [content, setContent] = useState('');
  const [roomId, setRoomId] = useState('');
  const [status, setStatus] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function submit(event: FormEvent<HTMLFormElement>): Promise<void> {
    event.preventDefault();
    const room = roomId.trim();
    setBusy(true);
    setStatus(null);
    setError(null);
    try {
      await sendAnnouncement(content, room);
      setContent('');
      setStatus(room ? `Announcement sent to room ${room}.` : 'Announcement sent to everyone.');
    } catch (caught) {
      setError(errorMessage(caught));
    } finally {
      setBusy(false);
    }
  }

  return (
    <>
      <h1>Announcements</h1>
      <form className="panel" onSubmit={(event) => void submit(event)}>
        <label>
          Announcement
          <textarea value={content} onChange={(event) => setContent(event.target.value)} rows={4} required />
        </label>
        <label>
          Room id (optional: everyone when empty)
          <input value={roomId} onChange={(event) => setRoomId(event.target.value)} autoComplete="off" />
        </label>
        <ErrorMessage message={error} />
        <StatusMessage message={status} />
        <div className="actions">
          <button type="submit" disabled={busy}>
            Send announcement
          </button>
        </div>
      </form>
    </>
  );
}
