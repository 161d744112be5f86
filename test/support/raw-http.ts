import { Socket } from 'node:net';

export interface RawResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
}

/**
 * One HTTP/1.1 connection driven by hand, so a test controls exactly when each request is sent
 * on it (a keep-alive connection that sits idle, then sends just as the server shuts down).
 */
export class RawConnection {
  readonly socket = new Socket();
  #buffer = '';
  #waiting: (() => void) | null = null;
  /** Set once the server has closed the connection. */
  closed = false;
  readonly whenClosed: Promise<void>;

  constructor(readonly port: number) {
    this.socket.setEncoding('latin1');
    this.socket.on('data', (chunk: string) => {
      this.#buffer += chunk;
      this.#waiting?.();
    });
    this.whenClosed = new Promise((resolve) =>
      this.socket.once('close', () => {
        this.closed = true;
        this.#waiting?.();
        resolve();
      }),
    );
    this.socket.on('error', () => {});
  }

  connect(): Promise<void> {
    return new Promise((resolve, reject) => {
      this.socket.once('connect', resolve).once('error', reject);
      this.socket.connect(this.port, '127.0.0.1');
    });
  }

  /** Writes a GET request and returns at once (the bytes are on their way). */
  send(path: string, headers: Record<string, string> = {}): void {
    const lines = [`GET ${path} HTTP/1.1`, 'Host: 127.0.0.1', ...Object.entries(headers).map(([name, value]) => `${name}: ${value}`)];
    this.socket.write(`${lines.join('\r\n')}\r\n\r\n`);
  }

  /** The next complete response on the connection; rejects if the server closes it first. */
  async response(): Promise<RawResponse> {
    for (;;) {
      const parsed = parse(this.#buffer);
      if (parsed) {
        this.#buffer = this.#buffer.slice(parsed.length);
        return parsed.response;
      }
      if (this.closed) throw new Error(`the server closed the connection without a (complete) response${this.#buffer ? `: ${this.#buffer.slice(0, 80)}` : ''}`);
      await new Promise<void>((resolve) => (this.#waiting = resolve));
      this.#waiting = null;
    }
  }

  async get(path: string, headers: Record<string, string> = {}): Promise<RawResponse> {
    this.send(path, headers);
    return this.response();
  }

  close(): void {
    this.socket.destroy();
  }
}

function parse(buffer: string): { response: RawResponse; length: number } | null {
  const end = buffer.indexOf('\r\n\r\n');
  if (end < 0) return null;
  const [statusLine = '', ...headerLines] = buffer.slice(0, end).split('\r\n');
  const headers: Record<string, string> = {};
  for (const line of headerLines) {
    const colon = line.indexOf(':');
    const name = line.slice(0, colon).trim().toLowerCase();
    headers[name] = headers[name] === undefined ? line.slice(colon + 1).trim() : `${headers[name]}, ${line.slice(colon + 1).trim()}`;
  }
  const length = Number(headers['content-length'] ?? 0);
  if (buffer.length < end + 4 + length) return null;
  return { response: { status: Number(statusLine.split(' ')[1]), headers, body: buffer.slice(end + 4, end + 4 + length) }, length: end + 4 + length };
}
