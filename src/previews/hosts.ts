// Host allowlist rule for preview downloads, kept tiny and explicit so it can be audited:
// an entry is either an exact host name ("p.scdn.co", "127.0.0.1") or "*.suffix", which matches
// any host with at least one more label in front ("*.dzcdn.net" matches "cdnt-preview.dzcdn.net"
// but not "dzcdn.net" nor "evil-dzcdn.net"). Comparison is case-insensitive, trailing dot ignored.

export function normalizeHost(host: string): string {
  return host.toLowerCase().replace(/\.$/, '').replace(/^\[(.*)\]$/, '$1');
}

export function isHostAllowed({ host, allowedHosts }: { host: string; allowedHosts: readonly string[] }): boolean {
  const wanted = normalizeHost(host);
  if (wanted === '') return false;
  return allowedHosts.some((entry) => {
    const rule = normalizeHost(entry.trim());
    if (rule.startsWith('*.')) {
      const suffix = rule.slice(1); // ".dzcdn.net"
      return wanted.length > suffix.length && wanted.endsWith(suffix);
    }
    return rule !== '' && rule === wanted;
  });
}
