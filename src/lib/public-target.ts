import { lookup } from 'node:dns/promises';
import { isIP, type LookupFunction } from 'node:net';
import { classifyAddress, type AddressClass } from './ip-address.js';

/*
 * Where the server may connect on a user's behalf (SSRF), for every outgoing request (the import
 * download and each of its redirects, webhook deliveries): resolve the host once, refuse it
 * unless every address is public, and hand back the checked address so the caller connects to
 * exactly that one (pinnedLookup: no DNS rebinding between check and connect).
 */

export interface Target {
  readonly address: string;
  readonly family: 4 | 6;
}

/** `refused`: an address is not public; otherwise the name could not be resolved at all. */
export type TargetCheck = { readonly ok: true; readonly target: Target } | { readonly ok: false; readonly reason: string; readonly refused: boolean };

export interface TargetOptions {
  /** Allow loopback, private, link-local and other non-public addresses (an operator's choice). */
  readonly allowPrivateAddresses: boolean;
  /** Tests only: resolve host names (default: the system resolver, dns.lookup). */
  readonly resolveHost?: (host: string) => Promise<readonly Target[]>;
  /** Tests only: classify addresses (default: classifyAddress). */
  readonly classify?: (address: string) => AddressClass;
}

/**
 * Resolves a URL's host name (or takes its IP literal) and checks every address; `reason` is a
 * short sentence end ("example.org (10.0.0.5) is a private address, not a public one").
 * Never throws.
 */
export async function checkHost(hostname: string, options: TargetOptions): Promise<TargetCheck> {
  const host = hostname.replace(/^\[|\]$/g, '');
  const classify = options.classify ?? classifyAddress;
  let addresses: Target[];
  if (isIP(host)) addresses = [{ address: host, family: isIP(host) as 4 | 6 }];
  else {
    try {
      addresses = [...(await (options.resolveHost ?? systemResolve)(host))];
    } catch (err) {
      return { ok: false, refused: false, reason: `${host} cannot be resolved (${(err as NodeJS.ErrnoException).code ?? 'no answer'})` };
    }
  }
  if (addresses.length === 0) return { ok: false, refused: false, reason: `${host} has no address` };
  if (!options.allowPrivateAddresses) {
    for (const a of addresses) {
      const kind = classify(a.address);
      if (kind !== 'public')
        return { ok: false, refused: true, reason: `${host === a.address ? a.address : `${host} (${a.address})`} is a ${kind} address, not a public one` };
    }
  }
  return { ok: true, target: addresses[0]! };
}

async function systemResolve(host: string): Promise<Target[]> {
  return (await lookup(host, { all: true, verbatim: true })).map((a) => ({ address: a.address, family: a.family as 4 | 6 }));
}

/** A socket lookup that answers with the checked address whatever the name resolves to by now. */
export function pinnedLookup(target: Target): LookupFunction {
  return (_hostname, options, callback) => {
    if ((options as { all?: boolean }).all) (callback as unknown as (e: null, a: Target[]) => void)(null, [target]);
    else callback(null, target.address, target.family);
  };
}
