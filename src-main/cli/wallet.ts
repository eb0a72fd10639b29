// `npm run cli -- wallet <subcommand>`: the reference phone wallet. Subcommands live in the
// table at the bottom; each is `(args) => Promise<exit code>` with its lines in `help`.
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { createWalletCredentials } from '../authority/authority';
import { loadAuthorityKey } from '../authority/key-file';
import { saveWalletFile } from '../wallet/wallet-file';
import { parseCurrency, parseMinorUnits, runSubcommand, type Subcommands } from './authority';
import { usageError } from './usage';
import { serveHelp } from './wallet-serve';

export const help = `usage: npm run cli -- wallet <subcommand> [options]

Reference phone wallet (the phone side of the payment protocol).

  init   --authority-key FILE --out WALLET.json --account ID --limit MINOR --currency CCY
         [--valid-days N (default 365)] [--serial SERIAL] [--force]
         Create a wallet: a new P-256 app key and a license for it from the authority.
         The wallet file holds the app private key: it is written with mode 0600.

${serveHelp}`;

const DAY = 86_400_000;

async function init(args: string[]): Promise<number> {
  const { values } = parseArgs({
    args,
    options: {
      'authority-key': { type: 'string' },
      out: { type: 'string' },
      account: { type: 'string' },
      limit: { type: 'string' },
      currency: { type: 'string' },
      'valid-days': { type: 'string' },
      serial: { type: 'string' },
      force: { type: 'boolean' },
    },
  });
  for (const name of ['authority-key', 'out', 'account', 'limit', 'currency'] as const) {
    if (!values[name]) {
      return usageError('wallet init', `--${name} is required`);
    }
  }
  const out = values.out as string;
  if (existsSync(out) && !values.force) {
    console.error(`wallet init: ${out} already exists (use --force to replace it)`);
    return 2;
  }
  const days = values['valid-days'] === undefined ? 365 : Number(values['valid-days']);
  if (!Number.isFinite(days) || days <= 0) {
    console.error('wallet init: --valid-days must be a positive number');
    return 2;
  }
  const authority = await loadAuthorityKey(values['authority-key'] as string);
  const now = Date.now();
  const wallet = createWalletCredentials(
    authority,
    {
      accountId: values.account as string,
      offlineLimit: parseMinorUnits(values.limit as string, 'limit'),
      currency: parseCurrency(values.currency as string),
      notBefore: now,
      notAfter: now + days * DAY,
      ...(values.serial === undefined ? {} : { serial: values.serial }),
    },
    (length) => new Uint8Array(randomBytes(length)),
  );
  saveWalletFile(out, { appSecretKey: wallet.appSecretKey, license: wallet.license });
  console.log(`wallet for account ${values.account} with license ${wallet.serial} from ${authority.kid} written to ${out} (mode 0600)`);
  return 0;
}

const subcommands: Subcommands = {
  init,
  serve: async (args) => (await import('./wallet-serve')).serve(args),
};

export function run(args: string[]): Promise<number> {
  return runSubcommand('wallet', subcommands, args);
}
