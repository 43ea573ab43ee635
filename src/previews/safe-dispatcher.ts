import { lookup as dnsLookup, type LookupAddress, type LookupOptions } from 'node:dns';
import { Agent } from 'undici';
import { isAddressAllowed } from './address-policy.js';

export type LookupFunction = (
  hostname: string,
  options: LookupOptions,
  callback: (err: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => void,
) => void;

/** Raised inside the connector when a host name resolves to a refused address. */
export class ForbiddenAddressError extends Error {
  readonly code = 'PREVIEW_FORBIDDEN_ADDRESS';
  constructor(readonly hostname: string, readonly address: string) {
    super(`${hostname} resolves to ${address}, which previews may not be downloaded from`);
    this.name = 'ForbiddenAddressError';
  }
}

/**
 * An undici Agent whose sockets can only reach allowed addresses. The check runs in the DNS
 * lookup the socket itself uses, i.e. at CONNECT time: checking a name first and connecting later
 * would let DNS rebinding answer "public" to the check and "127.0.0.1" to the connection. If ANY
 * address of a name is refused the whole name is refused (no guessing which one would be used).
 * IP literals never go through lookup: downloadPreview checks those before connecting.
 */
export function createPreviewDispatcher({
  allowInsecure,
  lookup = dnsLookup as LookupFunction,
  connectTimeoutMs = 10_000,
}: {
  allowInsecure: boolean;
  lookup?: LookupFunction;
  connectTimeoutMs?: number;
}): Agent {
  const guardedLookup: LookupFunction = (hostname, options, callback) => {
    lookup(hostname, options, (err, address, family) => {
      if (err) return callback(err, address, family);
      const all = Array.isArray(address) ? address : [{ address, family: family ?? 0 }];
      const refused = all.find((a) => !isAddressAllowed({ address: a.address, allowLoopback: allowInsecure }));
      if (refused) return callback(new ForbiddenAddressError(hostname, refused.address) as NodeJS.ErrnoException, address, family);
      callback(null, address, family);
    });
  };
  return new Agent({ connect: { lookup: guardedLookup, timeout: connectTimeoutMs }, connections: 16 });
}

const shared = new Map<boolean, Agent>();

/** The process-wide default dispatcher for downloads (one per insecure setting). */
export function defaultPreviewDispatcher(allowInsecure: boolean): Agent {
  let agent = shared.get(allowInsecure);
  if (!agent) {
    agent = createPreviewDispatcher({ allowInsecure });
    shared.set(allowInsecure, agent);
  }
  return agent;
}

/** Closes the default download dispatchers (graceful shutdown); they are recreated on next use. */
export async function closePreviewDispatchers(): Promise<void> {
  const agents = [...shared.values()];
  shared.clear();
  await Promise.all(agents.map((a) => a.close()));
}
