/** A webhook on the loopback interface that keeps the alerts posted to it, for alert tests. */
import { createServer } from 'node:http';

export interface ReceivedAlert {
  text: string;
  syncline: { event: string; syncId: string; health?: string };
}

export interface AlertReceiver {
  /** With a secret-looking path, as Slack's webhooks have. */
  url: string;
  received: ReceivedAlert[];
  close(): Promise<void>;
}

export async function startAlertReceiver(): Promise<AlertReceiver> {
  const received: ReceivedAlert[] = [];
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString()));
    req.on('end', () => {
      received.push(JSON.parse(body) as ReceivedAlert);
      res.writeHead(200).end('ok');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address !== null ? address.port : 0;
  return {
    url: `http://127.0.0.1:${String(port)}/hook/secret-token`,
    received,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => {
          resolve();
        });
      }),
  };
}
