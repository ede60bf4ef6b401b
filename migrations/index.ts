/**
 * Every migration, in order, listed explicitly so the compiled app, the CLI and the tests run the
 * same list. `npm run migration:generate -- Name` writes a new file here; add its class below.
 */
import { Instance1764000000000 } from './1764000000000-Instance';
import { SyncEngine1764000001000 } from './1764000001000-SyncEngine';
import { ApiKeys1764000002000 } from './1764000002000-ApiKeys';
import { ConnectionSandbox1764000003000 } from './1764000003000-ConnectionSandbox';
import { SyncsApi1764000004000 } from './1764000004000-SyncsApi';
import { Scheduling1764000005000 } from './1764000005000-Scheduling';
import { WriteIntents1764000007000 } from './1764000007000-WriteIntents';
import { ConnectorCapabilities1764000008000 } from './1764000008000-ConnectorCapabilities';
import { SyncKinds1764000009000 } from './1764000009000-SyncKinds';
import { FullRefresh1764000010000 } from './1764000010000-FullRefresh';
import { DegradedHealth1764000011000 } from './1764000011000-DegradedHealth';
import { RecordKey1764000012000 } from './1764000012000-RecordKey';
import { LogValues1764000013000 } from './1764000013000-LogValues';
import { RetryOnly1764000014000 } from './1764000014000-RetryOnly';
import { RunErrorCode1764000015000 } from './1764000015000-RunErrorCode';
import { SentAlerts1764000016000 } from './1764000016000-SentAlerts';
import { ConnectionTokens1764000017000 } from './1764000017000-ConnectionTokens';
import { FirstRunConfirmed1764000018000 } from './1764000018000-FirstRunConfirmed';

export const MIGRATIONS = [
  Instance1764000000000,
  SyncEngine1764000001000,
  ApiKeys1764000002000,
  ConnectionSandbox1764000003000,
  SyncsApi1764000004000,
  Scheduling1764000005000,
  WriteIntents1764000007000,
  ConnectorCapabilities1764000008000,
  SyncKinds1764000009000,
  FullRefresh1764000010000,
  DegradedHealth1764000011000,
  RecordKey1764000012000,
  LogValues1764000013000,
  RetryOnly1764000014000,
  RunErrorCode1764000015000,
  SentAlerts1764000016000,
  ConnectionTokens1764000017000,
  FirstRunConfirmed1764000018000,
];
