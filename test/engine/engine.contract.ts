import { describeAccessAndAccounts } from './contract/accounts.contract.js';
import { describeAttempts } from './contract/attempts.contract.js';
import { type EngineFactory, useEngine } from './contract/fixtures.js';
import { describeHistory } from './contract/history.contract.js';
import { describeInstances } from './contract/instances.contract.js';
import { describeModeration } from './contract/moderation.contract.js';
import { describePresence } from './contract/presence.contract.js';
import { describeRateLimits } from './contract/rate-limits.contract.js';
import { describeRooms } from './contract/rooms.contract.js';

export type { EngineFactory, EngineUnderTest } from './contract/fixtures.js';

/**
 * The contract every ChatEngine must pass (see the doc comments of src/engine/engine.port.ts).
 * It uses the port only, so the same suite runs unchanged against every engine. `makeEngine` must
 * give a fresh, empty engine on each call (for Redis: its own key prefix) and `dispose` must
 * release it; each test gets its own engine.
 */
export function runEngineContract(name: string, makeEngine: EngineFactory): void {
  describe(name, () => {
    const ctx = useEngine(makeEngine);
    describeRooms(ctx);
    describePresence(ctx);
    describeHistory(ctx);
    describeAccessAndAccounts(ctx);
    describeInstances(ctx);
    describeAttempts(ctx);
    describeModeration(ctx);
    describeRateLimits(ctx);
  });
}
