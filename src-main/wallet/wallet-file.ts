// A reference wallet on disk: app secret key, license and counter in one JSON file, mode
// 0600 (refused on load when others could read or replace it), rewritten atomically whenever
// the counter moves (so it survives restarts).
import { z } from 'zod';
import { fromBase64Url, toBase64Url } from '../domain/bytes';
import { isValidSecretKey } from '../protocol/signature';
import { writeFileAtomic } from '../fs/atomic-file';
import { parseSecretJson } from '../authority/key-file';
import { KeyFileError, readSecretFileSync } from '../fs/secret-file';
import type { CounterStore } from './counter-store';
import { PhoneWallet, type WalletCredentials } from './phone-wallet';
import type { Misbehaviour } from './misbehaviour';

export const WALLET_FILE_TYPE = 'nfcpay-wallet';

const walletFileSchema = z
  .object({
    type: z.literal(WALLET_FILE_TYPE),
    version: z.literal(1),
    appSecretKey: z.string(),
    license: z.string(),
    counter: z.number().int().nonnegative(),
  })
  .strict();

function serialize(credentials: WalletCredentials, counter: number): string {
  const json = {
    type: WALLET_FILE_TYPE,
    version: 1,
    appSecretKey: toBase64Url(credentials.appSecretKey),
    license: toBase64Url(credentials.license),
    counter,
  };
  return `${JSON.stringify(json, null, 2)}\n`;
}

export function saveWalletFile(path: string, credentials: WalletCredentials, counter = 0): void {
  writeFileAtomic(path, serialize(credentials, counter), 0o600);
}

export function loadWalletFile(path: string): { credentials: WalletCredentials; counter: CounterStore } {
  let text: string;
  try {
    text = readSecretFileSync(path, 'the wallet');
  } catch (error) {
    if (error instanceof KeyFileError) throw error;
    throw new Error(`cannot read wallet ${path}: ${error instanceof Error ? error.message : String(error)}`);
  }
  const result = walletFileSchema.safeParse(parseSecretJson(text, path));
  if (!result.success) throw new Error(`${path} is not a wallet file`);
  const credentials = { appSecretKey: fromBase64Url(result.data.appSecretKey), license: fromBase64Url(result.data.license) };
  if (!isValidSecretKey('ES256', credentials.appSecretKey)) throw new Error(`${path} holds an invalid app key`);
  let value = result.data.counter;
  return {
    credentials,
    counter: {
      last: () => value,
      commit: (counter) => {
        saveWalletFile(path, credentials, counter);
        value = counter;
      },
    },
  };
}

/** The wallet in `path` as a phone, optionally misbehaving. */
export function openWalletFile(path: string, misbehaviour: Misbehaviour = {}): PhoneWallet {
  const { credentials, counter } = loadWalletFile(path);
  return new PhoneWallet({ credentials, counter, misbehaviour });
}
