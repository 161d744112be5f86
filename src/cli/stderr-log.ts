import type { FastifyBaseLogger } from 'fastify';

/**
 * A logger for commands: warnings and errors as one line each on stderr (`latchkey: …`), the rest
 * dropped. What the server would log as JSON, a person at a terminal reads as a sentence.
 */
export function stderrLog(stream: NodeJS.WritableStream = process.stderr): FastifyBaseLogger {
  const line = (first: unknown, second?: unknown) => {
    const message = typeof first === 'string' ? first : typeof second === 'string' ? second : '';
    const reason = typeof first === 'object' && first !== null && 'reason' in first ? ` (${String((first as { reason: unknown }).reason)})` : '';
    stream.write(`latchkey: ${message}${reason}\n`);
  };
  const quiet = () => {};
  const log = {
    level: 'warn',
    fatal: line,
    error: line,
    warn: line,
    info: quiet,
    debug: quiet,
    trace: quiet,
    silent: quiet,
    child: () => log,
  };
  return log as unknown as FastifyBaseLogger;
}
