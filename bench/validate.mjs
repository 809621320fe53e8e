// What makes a run a harness failure: a scenario that did not run or produced no numbers.
// Speed is never judged here.

/** @param {unknown} value */
const isNumber = (value) => typeof value === 'number' && Number.isFinite(value);

/**
 * @param {any} step
 * @param {string} where
 * @param {string[]} problems
 */
function checkStep(step, where, problems) {
  if (!step) {
    problems.push(`${where}: missing`);
    return;
  }
  // A step with no delivery still measured something when receivers dropped (deliveries count
  // only to receivers connected all step long, and a server far behind times its clients out) or
  // when the server refused every message (RATE_LIMITED under overload): the report shows both.
  const dropped = Object.values(step.drops ?? {}).reduce((a, b) => a + b, 0);
  const allRefused = step.sent > 0 && (step.ackErrors?.RATE_LIMITED ?? 0) >= step.sent;
  if (!(step.delivered > 0) && dropped === 0 && !allRefused) {
    problems.push(`${where}: no message was delivered`);
  }
  for (const key of ['deliveredPerSec', 'serverCpuSeconds', 'lost']) {
    if (!isNumber(step[key])) {
      problems.push(`${where}: ${key} is not a number`);
    }
  }
  // Latency is measured on deliveries: a step without any (for the reasons above) has none.
  if (step.delivered > 0 && (!step.latencyMs || !isNumber(step.latencyMs.p99))) {
    problems.push(`${where}: no latency recorded`);
  }
}

/**
 * @param {any} run
 * @param {string[]} kinds
 * @param {boolean} clustered
 * @returns {string[]} what went wrong
 */
export function validate(run, kinds, clustered) {
  /** @type {string[]} */
  const problems = [];
  for (const kind of kinds) {
    const r = run.results[kind];
    if (
      !(r?.capacity?.connections > 0) ||
      !isNumber(r.capacity.rssPerConnKiB) ||
      !isNumber(r.capacity.idle.cpuSeconds)
    ) {
      problems.push(`${kind} capacity: no connections or no figures`);
    }
    for (const [shape, fan] of Object.entries(r?.fanout ?? {})) {
      /** @type {any[]} */ (fan.steps).forEach((step, i) =>
        checkStep(step, `${kind} fan-out ${shape} step ${i + 1}`, problems),
      );
      if (fan.half) {
        checkStep(fan.half, `${kind} fan-out ${shape} half-rate step`, problems);
      }
    }
    if (Object.keys(r?.fanout ?? {}).length !== run.settings.shapes.length) {
      problems.push(`${kind} fan-out: not every shape ran`);
    }
    const churnShape = `${run.settings.churn.shape.rooms}x${run.settings.churn.shape.size}`;
    if (run.settings.shapes.some((/** @type {any} */ s) => `${s.rooms}x${s.size}` === churnShape)) {
      checkStep(r?.churn, `${kind} churn`, problems);
    }
    if (r?.churn && !(r.churn.churn?.reconnected > 0)) {
      problems.push(`${kind} churn: no client reconnected`);
    }
  }
  if (kinds.includes('bare') && kinds.includes('parley')) {
    const pairs = Object.entries(run.paired?.shapes ?? {});
    if (pairs.length !== run.settings.shapes.length) {
      problems.push('paired latency comparison: not every shape ran');
    }
    for (const [shape, pair] of pairs) {
      for (const kind of ['bare', 'parley']) {
        const size = Number(shape.split('x')[1]);
        if (run.paired.saturationRounds > 0 && run.settings.paired.saturationSizes.includes(size)) {
          const rounds = pair.saturation?.steps[kind] ?? [];
          if (rounds.length !== run.paired.saturationRounds) {
            problems.push(
              `paired ${kind} ${shape} at saturation: ${rounds.length} of ${run.paired.saturationRounds} rounds ran`,
            );
          }
          rounds.forEach((/** @type {any} */ step, /** @type {number} */ i) =>
            checkStep(step, `paired ${kind} ${shape} saturation round ${i + 1}`, problems),
          );
        }
        const steps = pair.steps?.[kind] ?? [];
        if (steps.length !== run.paired.rounds) {
          problems.push(`paired ${kind} ${shape}: ${steps.length} of ${run.paired.rounds} rounds ran`);
        }
        steps.forEach((/** @type {any} */ step, /** @type {number} */ i) =>
          checkStep(step, `paired ${kind} ${shape} round ${i + 1}`, problems),
        );
      }
    }
  }
  if (clustered) {
    for (const kind of kinds.filter((k) => k !== 'ws')) {
      const steps = run.cluster[kind]?.steps ?? [];
      if (steps.length === 0) {
        problems.push(`${kind} cluster: did not run`);
      }
      steps.forEach((/** @type {any} */ step, /** @type {number} */ i) =>
        checkStep(step, `${kind} cluster step ${i + 1}`, problems),
      );
    }
  }
  return problems;
}
