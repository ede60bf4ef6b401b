import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as prettier from 'prettier';
import { offlineApiDocument } from './api-document';
import { apiTypes } from './api-types';

const FILE = join(__dirname, '..', 'console', 'src', 'api-types.ts');

describe('the API types of the console', () => {
  it('are those of the OpenAPI document as it is now (else run `npm run api-types`)', async () => {
    const document = await offlineApiDocument();
    const options = (await prettier.resolveConfig(FILE)) ?? {};
    const expected = await prettier.format(await apiTypes(document), {
      ...options,
      parser: 'typescript',
    });
    expect(readFileSync(FILE, 'utf8')).toBe(expected);
  });

  it('name every schema of the document, with the value lists the console offers', async () => {
    const document = await offlineApiDocument();
    const text = await apiTypes(document);
    for (const name of Object.keys(document.components?.schemas ?? {}))
      expect(text).toContain(`export interface ${name} `);
    expect(text).toMatch(/export const RECORD_ACTIONS = \[.*"created".*\] as const;/);
    expect(text).toMatch(/export const ERROR_CODES = \[.*"rate_limited".*\] as const;/);
  });

  it('describe a nullable reference as the type or null', async () => {
    const text = await apiTypes({
      openapi: '3.0.0',
      info: { title: 't', version: '1' },
      paths: {},
      components: {
        schemas: {
          LinkDto: { type: 'object', properties: { url: { type: 'string' } }, required: ['url'] },
          HolderDto: {
            type: 'object',
            properties: {
              link: { nullable: true, allOf: [{ $ref: '#/components/schemas/LinkDto' }] },
              note: { type: 'string', nullable: true },
              settings: { type: 'object' },
            },
            required: ['link', 'note', 'settings'],
          },
          RecordEventDto: {
            type: 'object',
            properties: {
              action: { enum: ['created'] },
              errorCode: { enum: ['rate_limited', null], nullable: true },
            },
          },
          RunDto: { type: 'object', properties: { status: { enum: ['queued'] } } },
          MeDto: { type: 'object', properties: { role: { enum: ['admin'] } } },
        },
      },
    });
    expect(text).toContain('link: LinkDto | null;');
    expect(text).toContain('note: string | null;');
    expect(text).toMatch(/settings: \{\s+\[k: string\]: unknown;\s+\};/);
  });
});
