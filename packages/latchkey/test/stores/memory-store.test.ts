import { createMemorySessionStore } from '../../src/index.js';
import { testSessionStore } from '../../src/testing.js';

testSessionStore('memory', async () => ({ store: createMemorySessionStore(), cleanup: async () => {} }));
