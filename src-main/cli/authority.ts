// `npm run cli -- authority <create|issue|revoke|export-trust>`: the credit authority's tools.
// Private keys go to files with mode 0600 and are never printed.
import { randomBytes } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { createAuthority, exportTrustEntry, issueLicense, publishRevocationList } from '../authority/authority';
import { loadAuthorityKey, saveAuthorityKey } from '../authority/key-file';
import { fromBase64Url, fromHex, toBase64Url } from '../domain/bytes';
import { isValidP256PublicKey } from '../protocol/signature';
import { CURRENCY_PATTERN } from '../protocol/fields';
import { authorityFingerprint } from '../verification/trust-store';
import { parseArgsMessage, usageError } from './usage';

export const help = `usage: npm run cli -- authority <subcommand> [options]

Credit authority tools. Private keys are written with mode 0600 and never printed.

  create        --kid KID --key FILE [--authority ID] [--alg ES256|EdDSA] [--name NAME] [validity]
                Create an authority key pair; writes the private key file. ID names the
                credit authority the key belongs to: give every key of one authority
                (a rotated key too) the same ID, since they issue licenses in one serial
                space. Without it the key is an authority of its own (ID = KID).
  export-trust  --key FILE [--out FILE]
                Write the trust-store entry (public key, validity, fingerprint) that a
                terminal imports; to stdout without --out.
  issue         --key FILE --app-public-key KEY --account ID --limit MINOR --currency CCY
                [--serial SERIAL] [validity] --out FILE
                Issue an APP public key license. KEY is the 65-byte uncompressed P-256
                point in hex or base64url; MINOR is the offline limit in minor units.
  revoke        --key FILE --sequence N [--serial SERIAL]... [--revoke-kid KID]... --out FILE
                Publish a signed revocation list of license serials and authority kids.
                A list replaces this key's previous one on the terminal, so it must hold
                everything still revoked, and N must be higher than the last list's number:
                terminals refuse an equal or lower one (REVOCATION_NOT_NEWER).

validity: --valid-days N (from now; default 3650 for create, 365 for issue)
          or --not-before ISO-DATE --not-after ISO-DATE`;

const DAY = 86_400_000;
const random = (length: number) => new Uint8Array(randomBytes(length));

export class UsageError extends TypeError {}

function required(values: Record<string, unknown>, name: string): string {
  const value = values[name];
  if (typeof value !== 'string' || value.length === 0) throw new UsageError(`--${name} is required`);
  return value;
}

function validity(values: Record<string, unknown>, defaultDays: number): { notBefore: number; notAfter: number } {
  const now = Date.now();
  const parse = (name: string): number | undefined => {
    const text = values[name];
    if (text === undefined) return undefined;
    const ms = typeof text === 'string' ? Date.parse(text) : Number.NaN;
    if (Number.isNaN(ms)) throw new UsageError(`--${name} is not a date`);
    return ms;
  };
  const days = values['valid-days'] === undefined ? defaultDays : Number(values['valid-days']);
  if (!Number.isFinite(days) || days <= 0) throw new UsageError('--valid-days must be a positive number');
  const notBefore = parse('not-before') ?? now;
  const notAfter = parse('not-after') ?? notBefore + days * DAY;
  if (notAfter <= notBefore) throw new UsageError('--not-after must be after --not-before');
  return { notBefore, notAfter };
}

const validityOptions = {
  'valid-days': { type: 'string' },
  'not-before': { type: 'string' },
  'not-after': { type: 'string' },
} as const;

async function create(args: string[]): Promise<number> {
  const { values } = parseArgs({
    args,
    options: {
      kid: { type: 'string' },
      key: { type: 'string' },
      authority: { type: 'string' },
      alg: { type: 'string' },
      name: { type: 'string' },
      ...validityOptions,
    },
  });
  const alg = values.alg ?? 'ES256';
  if (alg !== 'ES256' && alg !== 'EdDSA') throw new UsageError('--alg must be ES256 or EdDSA');
  const keyPath = required(values, 'key');
  const authority = createAuthority({
    kid: required(values, 'kid'),
    ...(values.authority === undefined ? {} : { authorityId: values.authority }),
    alg,
    random,
    ...validity(values, 3650),
    ...(values.name === undefined ? {} : { name: values.name }),
  });
  await saveAuthorityKey(keyPath, authority);
  console.log(`created authority key ${authority.kid} of authority ${authority.authorityId} (${authority.alg})`);
  console.log(`fingerprint ${authorityFingerprint(authority.publicKey)}`);
  console.log(`private key written to ${keyPath} (mode 0600)`);
  return 0;
}

async function exportTrust(args: string[]): Promise<number> {
  const { values } = parseArgs({ args, options: { key: { type: 'string' }, out: { type: 'string' } } });
  const authority = await loadAuthorityKey(required(values, 'key'));
  const text = `${JSON.stringify(exportTrustEntry(authority), null, 2)}\n`;
  if (values.out === undefined) {
    process.stdout.write(text);
  } else {
    await writeFile(values.out, text);
    console.log(`trust-store entry for ${authority.kid} written to ${values.out}`);
    console.log(`fingerprint ${authorityFingerprint(authority.publicKey)}`);
  }
  return 0;
}

function parseAppKey(text: string): Uint8Array {
  let key: Uint8Array;
  try {
    key = /^[0-9a-fA-F]{130}$/.test(text) ? fromHex(text) : fromBase64Url(text);
  } catch {
    throw new UsageError('--app-public-key must be hex or base64url');
  }
  if (!isValidP256PublicKey(key)) throw new UsageError('--app-public-key is not a valid uncompressed P-256 point');
  return key;
}

export function parseMinorUnits(text: string, name: string): number {
  if (!/^\d+$/.test(text) || !Number.isSafeInteger(Number(text)))
    throw new UsageError(`--${name} must be an integer number of minor units`);
  return Number(text);
}

export function parseCurrency(text: string): string {
  if (!CURRENCY_PATTERN.test(text)) throw new UsageError('--currency must be an ISO 4217 code such as CNY');
  return text;
}

async function issue(args: string[]): Promise<number> {
  const { values } = parseArgs({
    args,
    options: {
      key: { type: 'string' },
      'app-public-key': { type: 'string' },
      account: { type: 'string' },
      limit: { type: 'string' },
      currency: { type: 'string' },
      serial: { type: 'string' },
      out: { type: 'string' },
      ...validityOptions,
    },
  });
  const authority = await loadAuthorityKey(required(values, 'key'));
  const out = required(values, 'out');
  const { serial, license } = issueLicense(
    authority,
    {
      accountId: required(values, 'account'),
      appPublicKey: parseAppKey(required(values, 'app-public-key')),
      offlineLimit: parseMinorUnits(required(values, 'limit'), 'limit'),
      currency: parseCurrency(required(values, 'currency')),
      ...validity(values, 365),
      ...(values.serial === undefined ? {} : { serial: values.serial }),
    },
    random,
  );
  const file = { type: 'nfcpay-license', version: 1, serial, kid: authority.kid, license: toBase64Url(license) };
  await writeFile(out, `${JSON.stringify(file, null, 2)}\n`);
  console.log(`license ${serial} issued by ${authority.kid}, written to ${out}`);
  return 0;
}

async function revoke(args: string[]): Promise<number> {
  const { values } = parseArgs({
    args,
    options: {
      key: { type: 'string' },
      sequence: { type: 'string' },
      serial: { type: 'string', multiple: true },
      'revoke-kid': { type: 'string', multiple: true },
      out: { type: 'string' },
    },
  });
  const authority = await loadAuthorityKey(required(values, 'key'));
  const out = required(values, 'out');
  const sequence = parseMinorUnits(required(values, 'sequence'), 'sequence');
  const file = publishRevocationList(authority, {
    sequence,
    issuedAt: Date.now(),
    licenseSerials: values.serial ?? [],
    authorityKids: values['revoke-kid'] ?? [],
  });
  await writeFile(out, `${JSON.stringify(file, null, 2)}\n`);
  console.log(
    `revocation list #${sequence} signed by ${authority.kid}: ${(values.serial ?? []).length} serial(s), ${(values['revoke-kid'] ?? []).length} authority key(s), written to ${out}`,
  );
  return 0;
}

const subcommands: Subcommands = {
  create,
  'export-trust': exportTrust,
  issue,
  revoke,
};

export type Subcommands = Record<string, (args: string[]) => Promise<number>>;

/**
 * Runs the subcommand named by `args[0]`. Usage errors (TypeError, which parseArgs throws
 * too) exit 2, anything else 1; only the message is printed, never a stack.
 */
export async function runSubcommand(command: string, table: Subcommands, args: string[]): Promise<number> {
  const [name, ...rest] = args;
  const subcommand = name === undefined || !Object.hasOwn(table, name) ? undefined : table[name];
  if (!subcommand) {
    const known = Object.keys(table).join(', ');
    return usageError(command, name === undefined ? `give a subcommand (${known})` : `unknown subcommand ${name} (${known})`);
  }
  try {
    return await subcommand(rest);
  } catch (error) {
    console.error(`${command} ${name}: ${parseArgsMessage(error)}`);
    return error instanceof TypeError ? 2 : 1;
  }
}

export function run(args: string[]): Promise<number> {
  return runSubcommand('authority', subcommands, args);
}
