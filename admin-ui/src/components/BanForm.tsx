import { useId, useState, type FormEvent, type JSX } from 'react';
import { createBan } from '../admin-api';
import { errorMessage } from '../api';
import type { Ban, NewBan } from '../types';
import { ErrorMessage } from './Feedback';

/** The connected user a ban from the Clients page is about. */
export interface BanTarget {
  userId: string;
  username: string;
  ip: string;
}

interface BanFormProps {
  /** Ban this user (or their IP); without it the form asks for a user id and/or an IP. */
  target?: BanTarget;
  onBanned: (ban: Ban) => void;
  onCancel?: () => void;
}

interface Subject {
  userId?: string;
  ip?: string;
}

/** Reason plus a duration in minutes or permanent; POST /bans. */
export function BanForm({ target, onBanned, onCancel }: BanFormProps): JSX.Element {
  const id = useId();
  const [userId, setUserId] = useState('');
  const [ip, setIp] = useState('');
  const [banIp, setBanIp] = useState(false);
  const [reason, setReason] = useState('');
  const [minutes, setMinutes] = useState('60');
  const [permanent, setPermanent] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  function subject(): Subject {
    if (target) {
      return banIp ? { ip: target.ip } : { userId: target.userId };
    }
    return { userId: userId.trim() || undefined, ip: ip.trim() || undefined };
  }

  async function submit(event: FormEvent<HTMLFormElement>): Promise<void> {
    event.preventDefault();
    const who = subject();
    const duration = Number(minutes);
    if (!who.userId && !who.ip) {
      setError('Enter a user id or an IP address.');
      return;
    }
    if (!permanent && !(Number.isFinite(duration) && duration > 0)) {
      setError('Enter a duration in minutes, or choose permanent.');
      return;
    }
    const ban: NewBan = { ...who, reason: reason.trim() };
    if (!permanent) {
      ban.durationSeconds = Math.round(duration * 60);
    }
    setBusy(true);
    setError(null);
    try {
      const created = await createBan(ban);
      setReason('');
      setUserId('');
      setIp('');
      onBanned(created);
    } catch (caught) {
      setError(errorMessage(caught));
    } finally {
      setBusy(false);
    }
  }

  return (
    <form className="panel ban-form" aria-labelledby={`${id}-title`} onSubmit={(event) => void submit(event)}>
      <h2 id={`${id}-title`}>{target ? `Ban ${target.username}` : 'Create a ban'}</h2>
      {target ? (
        <label className="checkbox">
          <input type="checkbox" checked={banIp} onChange={(event) => setBanIp(event.target.checked)} />
          Ban the IP address {target.ip} instead of the user
        </label>
      ) : (
        <div className="fields">
          <label>
            User id
            <input value={userId} onChange={(event) => setUserId(event.target.value)} autoComplete="off" />
          </label>
          <label>
            IP address
            <input value={ip} onChange={(event) => setIp(event.target.value)} autoComplete="off" />
          </label>
        </div>
      )}
      <div className="fields">
        <label>
          Reason
          <input value={reason} onChange={(event) => setReason(event.target.value)} required />
        </label>
        <label>
          Duration (minutes)
          <input
            type="number"
            min="1"
            step="1"
            value={minutes}
            onChange={(event) => setMinutes(event.target.value)}
            disabled={permanent}
          />
        </label>
        <label className="checkbox">
          <input type="checkbox" checked={permanent} onChange={(event) => setPermanent(event.target.checked)} />
          Permanent
        </label>
      </div>
      <ErrorMessage message={error} />
      <div className="actions">
        <button type="submit" className="danger" disabled={busy}>
          Ban
        </button>
        {onCancel && (
          <button type="button" className="secondary" onClick={onCancel}>
            Cancel
          </button>
        )}
      </div>
    </form>
  );
}
