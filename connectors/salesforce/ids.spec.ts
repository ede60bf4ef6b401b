import { idSuffix, isSalesforceId, toId18 } from './ids';

describe('Salesforce ids', () => {
  it('adds the case-encoding suffix to a 15-character id', () => {
    // Blocks 001A0 (A is the 4th: bit 3, I), 00000 (A) and 6Vm9r (V is the 2nd: bit 1, C).
    expect(toId18('001A0000006Vm9r')).toBe('001A0000006Vm9rIAC');
    expect(idSuffix('000000000000000')).toBe('AAA');
    expect(idSuffix('ZZZZZZZZZZZZZZZ')).toBe('555');
  });

  it('keeps 18-character ids and other strings as they are', () => {
    expect(toId18('001A0000006Vm9rIAC')).toBe('001A0000006Vm9rIAC');
    expect(toId18('ann@example.com')).toBe('ann@example.com');
    expect(isSalesforceId('001A0000006Vm9r')).toBe(true);
    expect(isSalesforceId('001A0000006Vm9rIAC')).toBe(true);
    expect(isSalesforceId('001A0000006Vm9')).toBe(false);
  });
});
