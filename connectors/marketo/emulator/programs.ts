/**
 * Programs and their members ("Program Members"; the Asset API's Get Programs and Get Channels):
 * a program belongs to a channel whose progression statuses are ordered steps; Sync Program Member
 * Status sets up to 300 leads to a status (created or updated), never back to an earlier step or
 * the same one (skipped, 1037); Delete Program Members takes them out (skipped, 1037, when not in
 * the program); Get Program Members filters by a searchable field (`leadId`, `statusName`,
 * `reachedSuccess`), 300 values a call.
 */
import { type LeadRouteContext, MAX_BATCH, listParam, paged } from './leads';
import { type Answer, Refused, asText, blank, ok, skipped } from './responses';

export interface ProgressionStatus {
  name: string;
  step: number;
  success: boolean;
}

export interface StoredChannel {
  id: number;
  name: string;
  applicableProgramType: string;
  statuses: ProgressionStatus[];
}

export interface ProgramMember {
  leadId: number;
  statusName: string;
  step: number;
  reachedSuccess: boolean;
  membershipDate: number;
}

export interface StoredProgram {
  id: number;
  name: string;
  type: string;
  channel: string;
  createdAt: number;
  members: Map<number, ProgramMember>;
}

/** A few of Marketo's default channels and their progression statuses. */
export const DEFAULT_CHANNELS: readonly StoredChannel[] = [
  {
    id: 1,
    name: 'Webinar',
    applicableProgramType: 'event',
    statuses: [
      { name: 'Not in Program', step: 0, success: false },
      { name: 'Invited', step: 10, success: false },
      { name: 'Registered', step: 20, success: false },
      { name: 'No Show', step: 30, success: false },
      { name: 'Attended', step: 30, success: true },
      { name: 'Attended On-demand', step: 40, success: true },
    ],
  },
  {
    id: 2,
    name: 'Content',
    applicableProgramType: 'program',
    statuses: [
      { name: 'Not in Program', step: 0, success: false },
      { name: 'Member', step: 10, success: false },
      { name: 'Engaged', step: 20, success: true },
    ],
  },
];

const PROGRAM_MEMBER_SEARCHABLE = ['leadId', 'statusName', 'reachedSuccess'];

function iso(ms: number): string {
  return `${new Date(Math.floor(ms / 1000) * 1000).toISOString().slice(0, 19)}Z`;
}

function programOf(context: LeadRouteContext, id: string): StoredProgram {
  const program = context.store.programs.get(Number(id));
  if (program === undefined) throw new Refused('1013', 'Program not found');
  return program;
}

export function getPrograms(context: LeadRouteContext): Answer {
  const maxReturn = Number(context.query.get('maxReturn') ?? '20');
  if (!Number.isInteger(maxReturn) || maxReturn < 1 || maxReturn > 200)
    throw new Refused('1003', 'maxReturn must be between 1 and 200');
  const offset = Number(context.query.get('offset') ?? '0');
  const programs = [...context.store.programs.values()].slice(offset, offset + maxReturn);
  if (programs.length === 0)
    return ok({ warnings: ['No assets found for the given search criteria.'] });
  return ok({
    result: programs.map((program) => ({
      id: program.id,
      name: program.name,
      type: program.type,
      channel: program.channel,
      status: 'unlocked',
      createdAt: iso(program.createdAt),
      updatedAt: iso(program.createdAt),
    })),
  });
}

export function getChannels(context: LeadRouteContext): Answer {
  const names = new Set(listParam(context.query, 'name'));
  return ok({
    result: context.store.channels
      .filter((channel) => names.size === 0 || names.has(channel.name))
      .map((channel) => ({
        id: channel.id,
        name: channel.name,
        applicableProgramType: channel.applicableProgramType,
        progressionStatuses: channel.statuses.map((status) => ({
          name: status.name,
          step: status.step,
          success: status.success,
          hidden: false,
        })),
      })),
  });
}

function memberAnswer(program: StoredProgram, member: ProgramMember): Record<string, unknown> {
  return {
    leadId: member.leadId,
    programId: program.id,
    statusName: member.statusName,
    reachedSuccess: member.reachedSuccess,
    acquiredBy: false,
    membershipDate: iso(member.membershipDate),
  };
}

export function getProgramMembers(context: LeadRouteContext, id: string): Answer {
  const program = programOf(context, id);
  const filterType = context.query.get('filterType');
  if (filterType === null || filterType === '') throw blank('filterType');
  if (!PROGRAM_MEMBER_SEARCHABLE.includes(filterType))
    throw new Refused('1003', `Invalid filterType '${filterType}'`);
  const values = new Set(listParam(context.query, 'filterValues'));
  if (values.size === 0) throw blank('filterValues');
  if (values.size > MAX_BATCH)
    throw new Refused('1003', `Too many values in filterValues: at most ${MAX_BATCH}`);
  const matching = [...program.members.values()]
    .filter((member) => values.has(asText(member[filterType as keyof ProgramMember])))
    .sort((a, b) => a.leadId - b.leadId);
  const { page, next } = paged(matching, context.query, `g${program.id}`);
  return ok({
    result: page.map((member, seq) => ({ seq, ...memberAnswer(program, member) })),
    moreResult: next !== undefined,
    ...(next === undefined ? {} : { nextPageToken: next }),
  });
}

function leadIdsOf(body: unknown): unknown[] {
  const input = (body as { input?: unknown } | undefined)?.input;
  if (!Array.isArray(input) || input.length === 0) throw blank('input');
  if (input.length > MAX_BATCH)
    throw new Refused('1003', `Too many records in input: at most ${MAX_BATCH}`);
  return input.map((item) => (item as { leadId?: unknown } | null)?.leadId);
}

export function syncMemberStatus(context: LeadRouteContext, id: string): Answer {
  const program = programOf(context, id);
  const statusName = (context.body as { statusName?: unknown } | undefined)?.statusName;
  if (typeof statusName !== 'string' || statusName === '') throw blank('statusName');
  const channel = context.store.channels.find((candidate) => candidate.name === program.channel);
  const status = channel?.statuses.find((candidate) => candidate.name === statusName);
  const now = context.store.clock.now().getTime();
  return ok({
    result: leadIdsOf(context.body).map((raw, seq) => {
      const leadId = Number(raw);
      if (!Number.isInteger(leadId) || context.store.lead(leadId) === undefined)
        return { seq, ...skipped('1004', 'Lead not found') };
      if (status === undefined || status.step === 0)
        return { seq, ...skipped('1025', `Program status '${statusName}' not found`) };
      const member = program.members.get(leadId);
      if (member !== undefined && member.step >= status.step)
        return {
          seq,
          ...skipped('1037', 'Lead skipped because it is already in or past this status'),
        };
      program.members.set(leadId, {
        leadId,
        statusName: status.name,
        step: status.step,
        reachedSuccess: (member?.reachedSuccess ?? false) || status.success,
        membershipDate: member?.membershipDate ?? now,
      });
      return { seq, status: member === undefined ? 'created' : 'updated', leadId };
    }),
  });
}

export function deleteMembers(context: LeadRouteContext, id: string): Answer {
  const program = programOf(context, id);
  return ok({
    result: leadIdsOf(context.body).map((raw, seq) => {
      const leadId = Number(raw);
      if (!program.members.delete(leadId))
        return { seq, ...skipped('1037', 'Lead not in program') };
      return { seq, status: 'deleted', leadId };
    }),
  });
}
