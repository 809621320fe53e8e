import { MemoryEngine } from '../../src/engine/memory/memory.engine.js';
import { runEngineContract } from './engine.contract.js';

runEngineContract('MemoryEngine', () => {
  const engine = new MemoryEngine();
  return Promise.resolve({ engine, dispose: () => engine.close() });
});
