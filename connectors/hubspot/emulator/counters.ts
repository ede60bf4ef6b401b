/** Calls the emulator received (the emulator kit's counters), with HubSpot's write calls told apart. */
import { EndpointCounters } from '../../sdk/testing/emulator-kit';

const WRITE_ENDPOINT =
  /^(POST \/crm\/v3\/objects\/\w+(\/batch\/(create|update|upsert|archive))?|PATCH .*|DELETE .*)$/;

export class EmulatorCounters extends EndpointCounters {
  /** Calls that create, change or archive records (single and batch). */
  writeCalls(): number {
    return this.matching(WRITE_ENDPOINT);
  }
}
