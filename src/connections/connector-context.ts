import { Logger } from '@nestjs/common';
import { systemClock } from '../../connectors/sdk/clock';
import type { ConnectorContext, ConnectorLogger } from '../../connectors/sdk/contract';

/** A connector's log lines go to the app's logger (pino), under the connection's name. */
export function connectorLogger(name: string): ConnectorLogger {
  const logger = new Logger(`connector:${name}`);
  return {
    debug: (message, context) => {
      logger.debug({ ...context }, message);
    },
    info: (message, context) => {
      logger.log({ ...context }, message);
    },
    warn: (message, context) => {
      logger.warn({ ...context }, message);
    },
    error: (message, context) => {
      logger.error({ ...context }, message);
    },
  };
}

export function connectorContext(name: string, signal?: AbortSignal): ConnectorContext {
  return { logger: connectorLogger(name), clock: systemClock, ...(signal ? { signal } : {}) };
}
