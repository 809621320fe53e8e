import type { JSX } from 'react';
import { formatDateTime } from '../format';
import type { RoomDetail } from '../types';

/** A room's settings and figures, and who is in it now. */
export function RoomSummary({ detail }: { detail: RoomDetail }): JSX.Element {
  const { room, stats, members } = detail;
  const facts: [string, string][] = [
    ['Id', room.id],
    ['Topic', room.topic ?? '—'],
    ['Visibility', room.hasPassword ? `${room.visibility} (password)` : room.visibility],
    ['Members online', `${room.memberCount} / ${room.maxUsers}`],
    ['Messages', String(stats.messageCount)],
    ['Participants', String(stats.participantCount)],
    ['Created by', stats.createdBy],
    ['Created', formatDateTime(room.createdAt)],
    ['Last activity', formatDateTime(stats.lastActivityAt)],
    ['Expires', room.expiresAt ? formatDateTime(room.expiresAt) : 'Never'],
  ];
  return (
    <div className="room-summary">
      <section aria-labelledby="room-stats-title">
        <h2 id="room-stats-title">Stats</h2>
        <dl className="facts">
          {facts.map(([term, value]) => (
            <div key={term}>
              <dt>{term}</dt>
              <dd>{value}</dd>
            </div>
          ))}
        </dl>
      </section>
      <section aria-labelledby="room-members-title">
        <h2 id="room-members-title">Members</h2>
        {members.length === 0 ? (
          <p className="placeholder">Nobody is in the room now.</p>
        ) : (
          <ul className="members">
            {members.map((member) => (
              <li key={member.id} data-testid={`member-${member.id}`}>
                <strong>{member.username}</strong> <span className="muted">{member.kind}</span>{' '}
                <code className="muted">{member.id}</code>
              </li>
            ))}
          </ul>
        )}
      </section>
    </div>
  );
}
