import type { JSX } from 'react';
import { Counters } from '../components/Counters';
import { InstancesTable } from '../components/InstancesTable';
import { StatsChart } from '../components/StatsChart';
import { useLiveStats, type LiveStatus } from '../live';

const STATUS_TEXT: Record<LiveStatus, string> = {
  connecting: 'connecting',
  live: 'live',
  disconnected: 'disconnected',
};

function LiveIndicator({ status }: { status: LiveStatus }): JSX.Element {
  return (
    <span className={`live-indicator live-${status}`} data-testid="live-status" role="status">
      {STATUS_TEXT[status]}
    </span>
  );
}

/** Live figures pushed on the /admin namespace (`admin:stats`). */
export function DashboardPage({ token }: { token: string }): JSX.Element {
  const { status, stats } = useLiveStats(token);
  const series = stats?.series ?? [];
  const times = series.map((sample) => sample.at);
  return (
    <>
      <div className="page-title">
        <h1>Dashboard</h1>
        <LiveIndicator status={status} />
      </div>
      <Counters overview={stats?.overview ?? null} />
      <h2>Activity</h2>
      <div className="charts">
        <StatsChart
          title="Messages per minute"
          variant="messages"
          values={series.map((sample) => sample.messagesLastMinute)}
          times={times}
        />
        <StatsChart
          title="Connections"
          variant="connections"
          values={series.map((sample) => sample.connections)}
          times={times}
        />
      </div>
      <h2>Instances</h2>
      <InstancesTable instances={stats?.instances ?? []} waiting={stats === null} />
    </>
  );
}
