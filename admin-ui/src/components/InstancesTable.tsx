import type { JSX } from 'react';
import { formatDateTime, formatMegabytes } from '../format';
import type { Instance } from '../types';
import { PlaceholderRow } from './Feedback';

export function InstancesTable({ instances, waiting }: { instances: Instance[]; waiting: boolean }): JSX.Element {
  return (
    <div className="table-wrap">
      <table className="nowrap">
        <thead>
          <tr>
            <th scope="col">Instance</th>
            <th scope="col">Host</th>
            <th scope="col">PID</th>
            <th scope="col">Version</th>
            <th scope="col">Started</th>
            <th scope="col">Last heartbeat</th>
            <th scope="col">Connections</th>
            <th scope="col">Users</th>
            <th scope="col">Messages last minute</th>
            <th scope="col">Memory (RSS)</th>
            <th scope="col">Heap used</th>
            <th scope="col">Event-loop lag</th>
          </tr>
        </thead>
        <tbody>
          {instances.length === 0 && (
            <PlaceholderRow columns={12} text={waiting ? 'Waiting for live figures…' : 'No live instance.'} />
          )}
          {instances.map((instance) => (
            <tr key={instance.id} data-testid={`instance-row-${instance.id}`}>
              <td>
                <code>{instance.id}</code>
              </td>
              <td>{instance.host}</td>
              <td>{instance.pid}</td>
              <td>{instance.version}</td>
              <td>{formatDateTime(instance.startedAt)}</td>
              <td>{formatDateTime(instance.lastHeartbeat)}</td>
              <td className="number">{instance.connections}</td>
              <td className="number">{instance.users}</td>
              <td className="number">{instance.messagesLastMinute}</td>
              <td className="number">{formatMegabytes(instance.memory.rss)}</td>
              <td className="number">{formatMegabytes(instance.memory.heapUsed)}</td>
              <td className="number">{instance.eventLoopLagMs.toFixed(1)} ms</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
