import { createMemorySessionStore } from '../../src/sessions/memory-store.js';
import { runStoreContract } from './store-contract.js';

runStoreContract('memory', async () => ({ store: createMemorySessionStore(), cleanup: async () => {} }));
