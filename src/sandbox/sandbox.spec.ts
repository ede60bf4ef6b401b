import type { INestApplication } from '@nestjs/common';
import { loadConfig } from '../config/environment';
import { sandboxWanted } from './sandbox';

/** An app whose only service is ConnectionsService.hasRealConnections. */
function appWith(realConnections: boolean): INestApplication {
  return {
    get: () => ({ hasRealConnections: () => Promise.resolve(realConnections) }),
  } as unknown as INestApplication;
}

describe('sandboxWanted', () => {
  it('runs the sandbox by default on the embedded database without real connections', async () => {
    const config = loadConfig({});
    expect(await sandboxWanted(appWith(false), config, true)).toMatchObject({ on: true });
    expect(await sandboxWanted(appWith(true), config, true)).toEqual({
      on: false,
      reason: 'a real (non-sandbox) connection exists',
    });
    expect(await sandboxWanted(appWith(false), config, false)).toMatchObject({ on: false });
  });

  it('follows SYNCLINE_SANDBOX=on and off whatever the database and connections', async () => {
    const on = loadConfig({ SYNCLINE_SANDBOX: 'on' });
    const off = loadConfig({ SYNCLINE_SANDBOX: 'off' });
    expect(await sandboxWanted(appWith(true), on, false)).toMatchObject({ on: true });
    expect(await sandboxWanted(appWith(false), off, true)).toMatchObject({ on: false });
  });
});
