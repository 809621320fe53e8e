import { MemoryEngine } from '../../src/engine/memory/memory.engine.js';
import { runEngineContract } from './engine.contract.js';

runEngineContract('MemoryEngine', () => {
  const engine = new MemoryEngine('test-instance');
  return Promise.resolve({ engine, instanceId: 'test-instance', dispose: () => engine.close() });
});
