/**
 * The audiences a Marketo connection offers: its static lists (`1001`), and each status of each
 * program past `Not in Program` (`program:2001:Registered`), read from the Asset API's programs
 * and their channels' progression statuses.
 */
import type { AudienceDescriptor } from '../sdk/contract';
import { wireText } from './errors';
import { MARKETO_BATCH, type ReadParts } from './read';

interface RawList {
  id?: unknown;
  name?: unknown;
  programName?: unknown;
}

/** A program status as an audience: `program:<program id>:<status name>`. */
export interface ProgramAudience {
  program: number;
  status: string;
}

export function programAudience(audience: string): ProgramAudience | undefined {
  const match = /^program:(\d+):(.+)$/.exec(audience);
  if (match === null) return undefined;
  return { program: Number(match[1]), status: match[2] };
}

interface RawProgram {
  id?: unknown;
  name?: unknown;
  channel?: unknown;
}

interface RawChannel {
  name?: unknown;
  progressionStatuses?: { name?: unknown; step?: unknown }[];
}

/** Progression statuses (name, step) per channel, from the Asset API's Get Channels. */
export async function channelSteps(parts: ReadParts): Promise<Map<string, Map<string, number>>> {
  const channels = new Map<string, Map<string, number>>();
  for (let offset = 0; ; offset += 200) {
    const answer = await parts.client.get<RawChannel>('asset/v1/channels.json', {
      maxReturn: 200,
      offset,
    });
    const page = answer.result ?? [];
    for (const channel of page)
      channels.set(
        wireText(channel.name),
        new Map(
          (channel.progressionStatuses ?? []).map((status) => [
            wireText(status.name),
            Number(status.step),
          ]),
        ),
      );
    if (page.length < 200) return channels;
  }
}

/** Every program, from the Asset API's Get Programs (200 a page). */
export async function programs(parts: ReadParts): Promise<RawProgram[]> {
  const all: RawProgram[] = [];
  for (let offset = 0; ; offset += 200) {
    const answer = await parts.client.get<RawProgram>('asset/v1/programs.json', {
      maxReturn: 200,
      offset,
    });
    const page = answer.result ?? [];
    all.push(...page);
    if (page.length < 200) return all;
  }
}

/** Static lists, then each status of each program (but `Not in Program`). */
export async function marketoAudiences(parts: ReadParts): Promise<AudienceDescriptor[]> {
  const lists = await staticLists(parts);
  const steps = await channelSteps(parts);
  const statuses: AudienceDescriptor[] = [];
  for (const program of await programs(parts))
    for (const [status, step] of steps.get(wireText(program.channel)) ?? [])
      if (step > 0)
        statuses.push({
          id: `program:${wireText(program.id)}:${status}`,
          name: `${wireText(program.name)} › ${status}`,
          writable: true,
        });
  return [...lists, ...statuses];
}

export async function staticLists(parts: ReadParts): Promise<AudienceDescriptor[]> {
  const lists: AudienceDescriptor[] = [];
  let token: string | undefined;
  do {
    const answer = await parts.client.get<RawList>('v1/lists.json', {
      batchSize: MARKETO_BATCH,
      nextPageToken: token,
    });
    for (const list of answer.result ?? [])
      lists.push({
        id: String(list.id),
        name:
          typeof list.programName === 'string'
            ? `${list.programName} › ${String(list.name)}`
            : String(list.name),
        writable: true,
      });
    token = answer.nextPageToken;
  } while (token !== undefined && token !== '');
  return lists;
}
