import { formatPath, parsePath, parseYamlSource } from './yaml-source';

const TEXT = `# a comment
name: A sync
left:
  connection: CRM A (sandbox)
  filter:
    combine: all
    conditions:
      - { field: Email, op: exists }
      - field: Status
        op: neq
mappings:
  - { left: email, right: Email, direction: both }
  - left: jobtitle
    right: Title
    policy: left_wins
    transforms:
      leftToRight:
        - kind: value_map
          map:
            "Open - Not Contacted": NEW
`;

describe('YAML sources keep their lines', () => {
  const source = parseYamlSource(TEXT);

  it('parses to plain data', () => {
    expect(source.problems).toEqual([]);
    expect(source.data).toMatchObject({
      name: 'A sync',
      mappings: [{ left: 'email' }, { left: 'jobtitle', policy: 'left_wins' }],
    });
  });

  it('maps a path to the line of its key, in block and flow style', () => {
    expect(source.lineOf([])).toBe(2);
    expect(source.lineOf(['name'])).toBe(2);
    expect(source.lineOf(['left', 'connection'])).toBe(4);
    expect(source.lineOf(['left', 'filter', 'conditions', 0, 'op'])).toBe(8);
    expect(source.lineOf(['left', 'filter', 'conditions', 1, 'op'])).toBe(10);
    expect(source.lineOf(['mappings', 0, 'direction'])).toBe(12);
    expect(source.lineOf(['mappings', 1])).toBe(13);
    expect(source.lineOf(['mappings', 1, 'policy'])).toBe(15);
    expect(
      source.lineOf(['mappings', 1, 'transforms', 'leftToRight', 0, 'map', 'Open - Not Contacted']),
    ).toBe(20);
  });

  it("falls back to the nearest ancestor for what the file lacks (a missing key's parent)", () => {
    expect(source.lineOf(['left', 'object'])).toBe(3);
    expect(source.lineOf(['mappings', 1, 'skipNulls'])).toBe(13);
    expect(source.lineOf(['mappings', 7, 'left'])).toBe(11);
    expect(source.lineOf(['nothing', 'here'])).toBe(2);
  });

  it('reports YAML errors with their line: syntax, duplicate keys, a second document', () => {
    expect(parseYamlSource('name: a\nleft: [\n').problems).toEqual([
      expect.objectContaining({ line: expect.any(Number) as number, path: '' }),
    ]);
    const duplicate = parseYamlSource('name: a\nleft: {}\nname: b\n');
    expect(duplicate.problems).toEqual([
      { line: 3, path: '', problem: 'YAML: Map keys must be unique' },
    ]);
    expect(duplicate.data).toBeUndefined();
    expect(parseYamlSource('name: a\n---\nname: b\n').problems).toHaveLength(1);
  });

  it('formats and parses paths the way the API names them', () => {
    const paths: Array<Array<string | number>> = [
      ['mappings', 2, 'policy'],
      ['left', 'filter', 'conditions', 0, 'value'],
      ['mappings', 0, 'transforms', 'leftToRight', 1, 'map', 'Open - Not Contacted'],
      [],
    ];
    expect(paths.map(formatPath)).toEqual([
      'mappings[2].policy',
      'left.filter.conditions[0].value',
      'mappings[0].transforms.leftToRight[1].map["Open - Not Contacted"]',
      '',
    ]);
    for (const path of paths) expect(parsePath(formatPath(path))).toEqual(path);
  });
});
