// The markdown summary of a run's JSON: Parley against the bare Socket.IO and raw ws baselines.

/** @param {unknown} value */
const cell = (value) => (value === null || value === undefined || Number.isNaN(value) ? '—' : String(value));

/** a / b to 2 decimals, or — */
const ratio = (/** @type {number | null | undefined} */ a, /** @type {number | null | undefined} */ b) =>
  typeof a === 'number' && typeof b === 'number' && b !== 0 ? (Math.round((a / b) * 100) / 100).toFixed(2) : '—';

/** @param {Record<string, number>} counts */
const total = (counts) => Object.values(counts ?? {}).reduce((a, b) => a + b, 0);

/**
 * A table with one row per metric and the columns Parley | bare | ws | Parley/bare | bare/ws.
 * @param {[string, (r: any) => number | null | undefined][]} rows
 * @param {any} parley @param {any} bare @param {any} ws
 */
function comparison(rows, parley, bare, ws) {
  const lines = [
    '| metric | Parley | bare Socket.IO | raw ws | Parley/bare | bare/ws |',
    '| --- | ---: | ---: | ---: | ---: | ---: |',
  ];
  for (const [label, pick] of rows) {
    const [p, b, w] = [parley, bare, ws].map((r) => (r ? pick(r) : null));
    lines.push(`| ${label} | ${cell(p)} | ${cell(b)} | ${cell(w)} | ${ratio(p, b)} | ${ratio(b, w)} |`);
  }
  return lines.join('\n');
}

/** @type {[string, (r: any) => number | null | undefined][]} */
const STEP_ROWS = [
  ['sent msg/s', (s) => s.sentPerSec],
  ['delivered msg/s (within the step)', (s) => s.deliveredPerSec],
  ['throughput msg/s (incl. backlog)', (s) => s.throughputPerSec],
  ['backlog after the step s', (s) => s.backlogSeconds],
  ['latency p50 ms', (s) => s.latencyMs?.p50],
  ['latency p90 ms', (s) => s.latencyMs?.p90],
  ['latency p99 ms', (s) => s.latencyMs?.p99],
  ['latency p99.9 ms', (s) => s.latencyMs?.p999],
  ['lost deliveries', (s) => s.lost],
  ['connections dropped', (s) => total(s.drops)],
  ['reconnected before the step', (s) => s.reopenedBefore ?? 0],
  ['waited for the server to go quiet s', (s) => s.quietWaitSeconds ?? 0],
  ['send errors (acks)', (s) => total(s.ackErrors) + s.unacked],
  ['server CPU s / M deliveries', (s) => s.serverCpuSecPerMillion],
  ['machine CPU busy (0–1)', (s) => s.machineBusy],
  ['load-gen loop delay p99 ms', (s) => s.loadgen.loopDelayP99Ms],
  ['load-gen loop delay max ms', (s) => s.loadgen.loopDelayMaxMs],
  ['load-gen send lag p99 ms', (s) => s.loadgen.sendLagMs?.p99],
  ['load-gen send lag max ms', (s) => s.loadgen.sendLagMs?.max],
];

/** @param {any} run  the JSON of bench/run.mjs */
export function toMarkdown(run) {
  const { parley, bare, ws } = run.results;
  const any = parley ?? bare ?? ws;
  const m = run.machine;
  const out = [
    `# Parley benchmark (${run.mode})`,
    '',
    `${run.startedAt}, ${run.durationSeconds} s. Machine: ${m.cpuModel}, ${m.cores} cores, ${m.ramMiB} MiB RAM, Node ${m.node}, ${m.os}, open files ${m.openFileLimit}.`,
    `Load: ${run.settings.workers} worker processes on the same machine, sources ${run.settings.sourceAddresses} addresses 127.0.0.2+; messages of ${run.settings.messageBytes} characters, sent open-loop; each step measures ${run.settings.stepMs / 1000} s after ${(run.settings.warmupMs ?? 0) / 1000} s at its rate that are not measured.`,
    `Parley: \`node dist/main.js\`, NODE_ENV=production, ${run.parley.engine} engine (cluster: redis), history and rate limits on.`,
    `Raised for few source addresses: ${Object.entries(run.parley.perIpOverrides)
      .map(([k, v]) => `${k}=${v}`)
      .join(', ')}.`,
    `Message limits: ${
      Object.keys(run.parley.messageLimitOverrides).length
        ? Object.entries(run.parley.messageLimitOverrides)
            .map(([k, v]) => `${k}=${v}`)
            .join(', ') +
          ' (raised: the busiest user sends ' +
          run.parley.busiestUserRate +
          ' msg/s)'
        : `defaults (the busiest user sends ${run.parley.busiestUserRate} msg/s)`
    }.`,
    `Clock: ${run.clock}`,
  ];
  if (any) {
    out.push(
      '',
      `## Capacity (${any.capacity.attempted} idle connections, each joined to a ${run.settings.capacity.roomSize}-user room)`,
      '',
    );
    out.push(
      comparison(
        [
          ['connections', (r) => r.capacity.connections],
          ['connect errors', (r) => total(r.capacity.connectErrors)],
          ['drops while idle', (r) => total(r.capacity.idle.drops)],
          ['ramp s', (r) => r.capacity.rampSeconds],
          ['connect+join p99 ms', (r) => r.capacity.connectTimeMs?.p99],
          ['RSS KiB / connection', (r) => r.capacity.rssPerConnKiB],
          ['heap KiB / connection', (r) => r.capacity.heapPerConnKiB],
          ['idle CPU µs/s per connection', (r) => r.capacity.idle.cpuMicrosPerSecPerConn],
        ],
        parley,
        bare,
        ws,
      ),
    );
    out.push('', '## Fan-out');
    const stepOf = (/** @type {any} */ r, /** @type {string} */ shape, /** @type {number} */ i) =>
      r?.fanout[shape]?.steps[i];
    for (const { rooms, size } of run.settings.shapes) {
      const shape = `${rooms}x${size}`;
      for (const [i, deliveryRate] of run.settings.deliveryRates.entries()) {
        out.push('', `### ${shape} (rooms × users), ${deliveryRate} deliveries/s offered`, '');
        out.push(comparison(STEP_ROWS, stepOf(parley, shape, i), stepOf(bare, shape, i), stepOf(ws, shape, i)));
      }
      const half = bare?.fanout[shape]?.half;
      if (half) {
        out.push(
          '',
          `### ${shape} (rooms × users), ${half.deliveryRate} deliveries/s: half of bare's best rate under load`,
          '',
        );
        out.push(comparison(STEP_ROWS, parley?.fanout[shape]?.half, half, null));
      }
    }
  }
  const c = parley?.churn ?? bare?.churn ?? ws?.churn;
  if (c) {
    out.push(
      '',
      `## Churn: ${c.shape}, ${c.fraction * 100}% of connections reconnect per ${c.periodSeconds} s, ${c.deliveryRate} deliveries/s`,
      '',
    );
    out.push('Loss and latency count receivers that stayed connected all along.', '');
    out.push(
      comparison(
        [
          ['reconnects done', (s) => s.churn.reconnected],
          ['reconnect errors', (s) => total(s.churn.errors)],
          ['reconnect p99 ms', (s) => s.churn.reconnectTimeMs?.p99],
          ...STEP_ROWS,
        ],
        parley?.churn,
        bare?.churn,
        ws?.churn,
      ),
    );
  }
  const pairs = Object.entries(run.paired?.shapes ?? {});
  const saturated = pairs.filter(([, pair]) => pair.saturation);
  if (saturated.length > 0) {
    out.push(
      '',
      `## Throughput at saturation, paired (${run.paired.saturationRounds} rounds)`,
      '',
      "Bare and Parley both up with their clients connected, taking turns at the profile's top rate (ABBA order): one overloaded step is too noisy to compare on (the same server's throughput moves by half between steps), so the throughput targets are judged on the median of the rounds. Throughput counts the backlog (every delivery ÷ the time until the last ack); delivered/s counts deliveries within the step, and half of bare's median of it is the latency comparison's rate.",
      '',
      '| shape | offered/s | round | bare throughput/s | Parley throughput/s | Parley/bare | bare delivered/s | Parley delivered/s |',
      '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
    );
    for (const [shape, { saturation }] of saturated) {
      saturation.steps.bare.forEach((/** @type {any} */ b, /** @type {number} */ i) => {
        const p = saturation.steps.parley[i];
        out.push(
          `| ${shape} | ${saturation.deliveryRate} | ${b.round} | ${cell(b.throughputPerSec)} | ${cell(p?.throughputPerSec)} | ${ratio(p?.throughputPerSec, b.throughputPerSec)} | ${cell(b.deliveredPerSec)} | ${cell(p?.deliveredPerSec)} |`,
        );
      });
      const t = saturation.medianThroughputPerSec;
      const d = saturation.medianDeliveredPerSec;
      out.push(
        `| ${shape} | ${saturation.deliveryRate} | **median** | ${cell(t.bare)} | ${cell(t.parley)} | ${ratio(t.parley, t.bare)} | ${cell(d.bare)} | ${cell(d.parley)} |`,
      );
    }
  }
  const latencyPairs = pairs.filter(([, pair]) => pair.steps);
  if (latencyPairs.length > 0) {
    out.push(
      '',
      `## Latency at half of bare's rate under load, paired (${run.paired.rounds} rounds)`,
      '',
      'Bare and Parley both up with their clients connected, taking turns at the same rate (ABBA order), so that what else the machine does at a moment falls on both alike. ' +
        (run.paired.saturationRounds > 0
          ? "The rate is half of bare's median delivered/s in the saturation rounds above (for a shape without them, half of bare's best step). "
          : 'The rate is the one given with `--paired-only`. ') +
        "The latency target is judged on the pooled p99: every delivery of every round of one server in one histogram (the median of the rounds' p99s is given too).",
      '',
      '| shape | deliveries/s | round | bare p50 ms | Parley p50 ms | bare p99 ms | Parley p99 ms | Parley/bare p99 |',
      '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
    );
    for (const [shape, pair] of latencyPairs) {
      pair.steps.bare.forEach((/** @type {any} */ b, /** @type {number} */ i) => {
        const p = pair.steps.parley[i];
        out.push(
          `| ${shape} | ${pair.deliveryRate} | ${b.round} | ${cell(b.latencyMs?.p50)} | ${cell(p?.latencyMs?.p50)} | ${cell(b.latencyMs?.p99)} | ${cell(p?.latencyMs?.p99)} | ${ratio(p?.latencyMs?.p99, b.latencyMs?.p99)} |`,
        );
      });
      const m = pair.medianP99Ms;
      out.push(
        `| ${shape} | ${pair.deliveryRate} | median | | | ${cell(m.bare)} | ${cell(m.parley)} | ${ratio(m.parley, m.bare)} |`,
      );
      const pooled = pair.pooledLatencyMs;
      if (pooled) {
        out.push(
          `| ${shape} | ${pair.deliveryRate} | **pooled** | ${cell(pooled.bare?.p50)} | ${cell(pooled.parley?.p50)} | ${cell(pooled.bare?.p99)} | ${cell(pooled.parley?.p99)} | ${ratio(pooled.parley?.p99, pooled.bare?.p99)} |`,
        );
      }
    }
  }
  const cl = run.cluster?.parley ?? run.cluster?.bare;
  if (cl) {
    out.push('', `## Two instances on Redis: ${cl.shape} (members of each room on both)`, '');
    for (const [i, step] of cl.steps.entries()) {
      out.push(
        `${step.deliveryRate} deliveries/s offered (raw ws has no cluster mode; CPU includes redis-server):`,
        '',
      );
      out.push(comparison(STEP_ROWS, run.cluster.parley?.steps[i], run.cluster.bare?.steps[i], null), '');
    }
  } else {
    out.push('', `## Two instances on Redis: not run (${run.cluster?.skipped ?? 'unknown'})`);
  }
  out.push(
    '',
    "## The issue's targets (informative; nothing is asserted on speed)",
    '',
    '| target | Parley | reference | verdict |',
    '| --- | --- | --- | --- |',
  );
  for (const g of run.goals) {
    out.push(`| ${g.goal} | ${g.parley} | ${g.reference} | ${g.verdict} |`);
  }
  out.push('', ...run.notes.map((/** @type {string} */ n) => `- ${n}`), '');
  return out.join('\n');
}
