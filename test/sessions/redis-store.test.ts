import { createRedisSessionStore } from '../../src/sessions/redis-store.js';
import { redisClient } from '../services.js';
import { runStoreContract } from './store-contract.js';

runStoreContract('Redis', async () => {
  const client = await redisClient();
  if (typeof client === 'string') return client;
  const prefix = `latchkey-test:${process.pid}:${Date.now()}:`;
  return {
    store: createRedisSessionStore(client, prefix),
    async cleanup() {
      const keys = await client.keys(`${prefix}*`);
      if (keys.length > 0) await client.del(...keys);
      client.disconnect();
    },
  };
});
