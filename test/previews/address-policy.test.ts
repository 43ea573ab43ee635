import { test } from 'node:test';
import assert from 'node:assert/strict';
import { classifyAddress, isAddressAllowed } from '../../src/previews/address-policy.js';
import { isHostAllowed } from '../../src/previews/hosts.js';

test('public IPv4 and IPv6 addresses are allowed', () => {
  for (const ip of ['8.8.8.8', '93.184.216.34', '2a00:1450:4001:82b::200e', '2606:4700::6810:85e5']) {
    assert.equal(classifyAddress(ip), 'public', ip);
  }
});

test('loopback is refused unless insecure mode allows it', () => {
  for (const ip of ['127.0.0.1', '127.8.9.10', '::1', '::ffff:127.0.0.1', '::ffff:7f00:1']) {
    assert.equal(classifyAddress(ip), 'loopback', ip);
    assert.equal(isAddressAllowed({ address: ip, allowLoopback: false }), false, ip);
    assert.equal(isAddressAllowed({ address: ip, allowLoopback: true }), true, ip);
  }
});

test('private, link-local, CGNAT, multicast, unspecified and reserved are always refused', () => {
  const refused = [
    '10.0.0.1', '172.16.5.4', '172.31.255.255', '192.168.1.1', '169.254.169.254', '100.64.0.1', '0.0.0.0',
    '224.0.0.1', '239.255.255.250', '255.255.255.255', '192.0.2.1', '198.18.0.1',
    '::', 'fc00::1', 'fd12:3456::1', 'fe80::1', 'ff02::1', '::ffff:10.0.0.1', '::ffff:a9fe:a9fe',
    '::ffff:192.168.0.1', '64:ff9b::7f00:1', '::7f00:1', 'fe80::1%eth0', '[::ffff:169.254.169.254]',
  ];
  for (const ip of refused) {
    assert.equal(isAddressAllowed({ address: ip, allowLoopback: true }), false, ip);
  }
});

test('something that is not an IP address is refused, not guessed', () => {
  assert.equal(classifyAddress('localhost'), 'private');
  assert.equal(classifyAddress(''), 'private');
});

test('host allowlist: exact names and *.suffix rules', () => {
  const allowedHosts = ['p.scdn.co', '*.dzcdn.net', '127.0.0.1'];
  assert.equal(isHostAllowed({ host: 'p.scdn.co', allowedHosts }), true);
  assert.equal(isHostAllowed({ host: 'P.SCDN.CO.', allowedHosts }), true);
  assert.equal(isHostAllowed({ host: 'cdnt-preview.dzcdn.net', allowedHosts }), true);
  assert.equal(isHostAllowed({ host: 'cdns-preview-d.dzcdn.net', allowedHosts }), true);
  assert.equal(isHostAllowed({ host: '127.0.0.1', allowedHosts }), true);
  assert.equal(isHostAllowed({ host: 'dzcdn.net', allowedHosts }), false);
  assert.equal(isHostAllowed({ host: 'evil-dzcdn.net', allowedHosts }), false);
  assert.equal(isHostAllowed({ host: 'dzcdn.net.evil.com', allowedHosts }), false);
  assert.equal(isHostAllowed({ host: 'x.p.scdn.co', allowedHosts }), false);
  assert.equal(isHostAllowed({ host: 'localhost', allowedHosts }), false);
  assert.equal(isHostAllowed({ host: '', allowedHosts: ['*.'] }), false);
  assert.equal(isHostAllowed({ host: 'anything', allowedHosts: [] }), false);
});
