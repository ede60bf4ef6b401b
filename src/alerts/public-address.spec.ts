import { isPublicAddress, NonPublicAddressError, publicOnlyLookup } from './public-address';

describe('public addresses for alert webhooks', () => {
  it.each([
    '127.0.0.1',
    '10.1.2.3',
    '172.16.0.1',
    '172.31.255.255',
    '192.168.1.1',
    '169.254.169.254',
    '100.64.0.1',
    '0.0.0.0',
    '224.0.0.1',
    '::1',
    '::',
    'fe80::1',
    'fd00::1',
    '::ffff:127.0.0.1',
    '::ffff:a9fe:a9fe',
    '64:ff9b::10.0.0.1',
    'not an address',
  ])('%s is not public', (address) => {
    expect(isPublicAddress(address)).toBe(false);
  });

  it.each(['8.8.8.8', '172.32.0.1', '151.101.1.1', '2606:4700::1111', '::ffff:8.8.8.8'])(
    '%s is public',
    (address) => {
      expect(isPublicAddress(address)).toBe(true);
    },
  );

  it('refuses a host name when it resolves to a non-public address, before any connection', async () => {
    const error = await new Promise<Error | null>((resolve) => {
      publicOnlyLookup('localhost', {}, (failure) => {
        resolve(failure);
      });
    });
    expect(error).toBeInstanceOf(NonPublicAddressError);
    expect(error?.message).toBe('the webhook host resolves to an address that is not public');
  });
});
