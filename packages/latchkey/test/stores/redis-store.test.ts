import { createRedisSessionStore } from '../../src/index.js';
import { testSessionStore } from '../../src/testing.js';
import { redisClient } from '../services.js';

testSessionStore('Redis', async () => {
  const client = await redisClient();
  if (typeof client === 'string') return client;
  const prefix = `latchkey-test:${process.pid}:${Date.now()}:`;
  return {
    store: createRedisSessionStore(client, { prefix }),
    async cleanup() {
      const keys = await client.keys(`${prefix}*`);
      if (keys.length > 0) await client.del(...keys);
      client.disconnect();
    },
  };
});
