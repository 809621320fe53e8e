// Types of goals.mjs, for the TypeScript tests that check its verdicts (test/bench/).

export interface GoalCheck {
  goal: string;
  parley: string;
  reference: string;
  verdict: 'met' | 'missed' | 'n/a';
}

/** The targets on a run's results (`results.{parley,bare}`) and paired rounds. */
export function checkGoals(results: unknown, paired?: unknown, fullConnections?: number): GoalCheck[];

/** Rounds (of either server) that still had acks to come when the harness stopped waiting for them. */
export function cappedRounds(
  steps: Record<string, Array<{ backlogSeconds?: number; ackErrors?: Record<string, number> }>> | undefined,
): number;

export function maxRate(steps: unknown[]): number;
export function maxLoadedRate(steps: unknown[]): number;
