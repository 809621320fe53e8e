import type { JSX } from 'react';
import type { Overview } from '../types';

const COUNTERS: { key: keyof Overview; label: string; testId: string }[] = [
  { key: 'instances', label: 'Instances', testId: 'counter-instances' },
  { key: 'connections', label: 'Connections', testId: 'counter-connections' },
  { key: 'users', label: 'Users', testId: 'counter-users' },
  { key: 'rooms', label: 'Rooms', testId: 'counter-rooms' },
  { key: 'messagesLastMinute', label: 'Messages last minute', testId: 'counter-messages-last-minute' },
];

/** Cluster totals; each value element carries `data-testid="counter-<name>"` and holds only the number. */
export function Counters({ overview }: { overview: Overview | null }): JSX.Element {
  return (
    <dl className="counters">
      {COUNTERS.map((counter) => (
        <div key={counter.key} className="counter">
          <dt>{counter.label}</dt>
          <dd data-testid={counter.testId}>{overview ? String(overview[counter.key]) : '—'}</dd>
        </div>
      ))}
    </dl>
  );
}
