import type { JSX } from 'react';
import { formatDateTime, formatMegabytes, formatShortDateTime } from '../format';
import type { Instance } from '../types';
import { DataTable } from './DataTable';

const COLUMNS = [
  'Instance',
  'Host',
  'PID',
  'Version',
  'Started',
  'Last heartbeat',
  'Connections',
  'Users',
  'Messages last minute',
  'Memory (RSS)',
  'Heap used',
  'Event-loop lag',
  'Overload refusals last minute',
];

/** A compact date (the time alone when it is today); the full one on hover. */
function When({ iso }: { iso: string }): JSX.Element {
  return (
    <time dateTime={iso} title={formatDateTime(iso)}>
      {formatShortDateTime(iso)}
    </time>
  );
}

/** One row per live instance; sized (see `table.instances`) to fit a 1280 px window without scrolling. */
export function InstancesTable({ instances, waiting }: { instances: Instance[]; waiting: boolean }): JSX.Element {
  return (
    <DataTable
      columns={COLUMNS}
      className="nowrap instances"
      empty={instances.length === 0}
      loading={waiting}
      loadingText="Waiting for live figures…"
      emptyText="No live instance."
    >
      {instances.map((instance) => (
        <tr key={instance.id} data-testid={`instance-row-${instance.id}`}>
          <td>
            <code>{instance.id}</code>
          </td>
          <td className="host">{instance.host}</td>
          <td>{instance.pid}</td>
          <td>{instance.version}</td>
          <td>
            <When iso={instance.startedAt} />
          </td>
          <td>
            <When iso={instance.lastHeartbeat} />
          </td>
          <td className="number">{instance.connections}</td>
          <td className="number">{instance.users}</td>
          <td className="number">{instance.messagesLastMinute}</td>
          <td className="number">{formatMegabytes(instance.memory.rss)}</td>
          <td className="number">{formatMegabytes(instance.memory.heapUsed)}</td>
          <td className="number">{instance.eventLoopLagMs.toFixed(1)} ms</td>
          <td className="number" data-testid="instance-overload-refusals">
            {instance.overloadRefusalsLastMinute}
          </td>
        </tr>
      ))}
    </DataTable>
  );
}
