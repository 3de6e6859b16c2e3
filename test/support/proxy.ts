/**
 * A loopback HTTP proxy in front of the emulator: a stand-in for a server that differs from it in
 * one documented way (a refusal, an answer to the letter of a schema, an echo of the request). Real
 * HTTP both ways; nothing of the client is replaced.
 */
import { createServer, request, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ProxyHooks {
  /** Answer the request here instead of forwarding it (its body read): status and JSON body. */
  answer?(req: IncomingMessage, body: Buffer): { status: number; body: unknown } | undefined;
  /** A forwarded answer's body as the client gets it. */
  rewrite?(req: IncomingMessage, status: number, body: Buffer): Buffer;
}

export interface Proxy {
  /** The proxy's `…/v1`, to give meetctl as WEBEX_BASE_URL. */
  baseUrl: string;
  close(): Promise<void>;
}

export async function startProxy(targetBaseUrl: string, hooks: ProxyHooks): Promise<Proxy> {
  const target = new URL(targetBaseUrl);
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      const own = hooks.answer?.(req, body);
      if (own) {
        res.writeHead(own.status, { 'content-type': 'application/json' });
        res.end(JSON.stringify(own.body));
        return;
      }
      const forward = request({ host: target.hostname, port: target.port, path: req.url, method: req.method, headers: req.headers }, (answer) => {
        const parts: Buffer[] = [];
        answer.on('data', (c: Buffer) => parts.push(c));
        answer.on('end', () => {
          const received = Buffer.concat(parts);
          const sent = hooks.rewrite ? hooks.rewrite(req, answer.statusCode ?? 502, received) : received;
          const headers = { ...answer.headers, 'content-length': String(sent.length) };
          delete headers['transfer-encoding'];
          res.writeHead(answer.statusCode ?? 502, headers);
          res.end(sent);
        });
      });
      forward.end(body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
