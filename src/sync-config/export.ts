/**
 * Server to files: each sync as a YAML definition, connection ids replaced by names, keys in a
 * fixed order and defaults left out, so that `plan` right after an export shows no change and an
 * export of an unchanged server rewrites nothing. A sync already defined in a file of the folder
 * is written back to that file; others get a file named after the sync.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { Document, isMap, isSeq, type Node } from 'yaml';
import type { SynclineClient } from './client';
import { serverSyncs } from './plan';
import { SYNC_SCHEMA } from './schema';
import type { Progress } from './server-check';
import { fileSpec, specFromServer, type SyncSpec } from './spec';
import { parseYamlSource } from './yaml-source';

export interface ExportResult {
  written: Array<{ file: string; name: string; status: 'created' | 'updated' | 'unchanged' }>;
  /** Files of the folder whose sync is not on the server (left as they are). */
  notOnServer: Array<{ file: string; name: string }>;
  /** The schema, written when the folder had none. */
  schemaWritten?: string;
}

export function slugOf(name: string): string {
  const slug = name
    .normalize('NFKD')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
  return slug === '' ? 'sync' : slug;
}

function flow(node: unknown): void {
  if (isMap(node) || isSeq(node)) node.flow = true;
}

/** The YAML text of a definition, with the schema comment editors read. */
export function specToYaml(spec: SyncSpec, schemaPath = '../schema/sync.schema.json'): string {
  const doc = new Document(fileSpec(spec));
  doc.commentBefore = ` yaml-language-server: $schema=${schemaPath}`;
  const root = doc.contents;
  if (isMap(root)) {
    flow(root.get('match', true));
    flow(root.get('schedule', true));
    flow(root.get('alerts', true));
    for (const side of ['left', 'right']) {
      const filter = root.getIn([side, 'filter', 'conditions'], true) as Node | undefined;
      if (isSeq(filter)) filter.items.forEach(flow);
    }
    const mappings = root.get('mappings', true);
    if (isSeq(mappings))
      for (const mapping of mappings.items) {
        if (!isMap(mapping)) continue;
        const transforms = mapping.get('transforms', true);
        if (!isMap(transforms)) {
          flow(mapping);
          continue;
        }
        // Steps on one line each, but for value maps: a line per value reads better.
        for (const pair of transforms.items)
          if (isSeq(pair.value))
            for (const step of pair.value.items) if (isMap(step) && !step.has('map')) flow(step);
      }
  }
  return doc.toString({ lineWidth: 100, flowCollectionPadding: true, singleQuote: true });
}

/** The sync names defined by the YAML files of a folder, by file. */
function namesInFolder(syncsDir: string): Map<string, string> {
  const names = new Map<string, string>();
  if (!existsSync(syncsDir)) return names;
  for (const entry of readdirSync(syncsDir).sort()) {
    if (!/\.ya?ml$/i.test(entry)) continue;
    const data = parseYamlSource(readFileSync(join(syncsDir, entry), 'utf8')).data as {
      name?: unknown;
    } | null;
    if (typeof data?.name === 'string' && !names.has(data.name)) names.set(data.name, entry);
  }
  return names;
}

export async function exportConfig(
  dir: string,
  client: SynclineClient,
  progress?: Progress,
): Promise<ExportResult> {
  const [syncs, connections] = await Promise.all([serverSyncs(client), client.connections()]);
  const connectionNames = new Map(connections.map((c) => [c.id, c.name]));
  const syncsDir = join(dir, 'syncs');
  mkdirSync(syncsDir, { recursive: true });
  const existing = namesInFolder(syncsDir);
  const taken = new Set(existing.values());
  const result: ExportResult = { written: [], notOnServer: [] };
  const schemaFile = join(dir, 'schema', 'sync.schema.json');
  const schemaPath = relative(syncsDir, schemaFile).split('\\').join('/');

  let done = 0;
  for (const sync of syncs) {
    progress?.(done, syncs.length, sync.name);
    let entry = existing.get(sync.name);
    if (entry === undefined) {
      const slug = slugOf(sync.name);
      entry = `${slug}.yaml`;
      for (let n = 2; taken.has(entry); n += 1) entry = `${slug}-${String(n)}.yaml`;
      taken.add(entry);
    }
    const path = join(syncsDir, entry);
    const text = specToYaml(specFromServer(sync, connectionNames), schemaPath);
    const before = existsSync(path) ? readFileSync(path, 'utf8') : undefined;
    if (before !== text) writeFileSync(path, text);
    result.written.push({
      file: relative(dir, path),
      name: sync.name,
      status: before === undefined ? 'created' : before === text ? 'unchanged' : 'updated',
    });
    done += 1;
  }
  progress?.(done, syncs.length, '');
  const onServer = new Set(syncs.map((sync) => sync.name));
  for (const [name, entry] of existing)
    if (!onServer.has(name))
      result.notOnServer.push({ file: relative(dir, join(syncsDir, entry)), name });
  if (!existsSync(schemaFile)) {
    mkdirSync(join(dir, 'schema'), { recursive: true });
    writeFileSync(schemaFile, `${JSON.stringify(SYNC_SCHEMA, null, 2)}\n`);
    result.schemaWritten = relative(dir, schemaFile);
  }
  return result;
}
