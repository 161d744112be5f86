/**
 * Test helpers for people who write a session store: `testSessionStore` runs the contract every
 * store must pass (node:test). A separate entry (`latchkey/testing`), so apps never load it.
 */
export { testSessionStore, type StoreFixture } from './testing/store-contract.js';
