// What a refusal from main means, in words of the interface language. Main's refusals carry an
// English sentence after their code ("[rejected] the current PIN is wrong (4 tries left)"); the
// ones a manager meets are matched here to a translated sentence with their figures. Anything
// not listed is still shown with main's own words, never hidden (ErrorNote).
import type en from '../../resources/i18n/en/ui.json';
import type { Vars } from './interpolate';

type UiKey = keyof typeof en;

export interface RefusalText {
  key: UiKey;
  vars: Vars;
}

type Rule = readonly [RegExp, UiKey, (match: RegExpExecArray) => Vars];

const none = (): Vars => ({});

/** Main's wording (src-main/ipc/terminal-services.ts, src-main/app/*) -> translation key. */
const RULES: readonly Rule[] = [
  [/^the current PIN is wrong \((\d+) tries left\)/, 'refusal.pinWrong', (m) => ({ left: Number(m[1]) })],
  [/^the PIN is locked until (\S+)/, 'refusal.pinLocked', (m) => ({ until: m[1] ?? '' })],
  [/^no manager PIN is set/, 'refusal.pinNotSet', none],
  [/^this is not a valid trust-store entry: (.*)$/s, 'refusal.trustEntryInvalid', (m) => ({ why: m[1] ?? '' })],
  [/^the (trust-store entry|revocation list) is not valid JSON/, 'refusal.notJson', none],
  [/^a different key named (\S+) is already in the trust store/, 'refusal.trustKidTaken', (m) => ({ kid: m[1] ?? '' })],
  [/^key (\S+) was retired; a retired key is not trusted again/, 'refusal.trustRetiredAgain', (m) => ({ kid: m[1] ?? '' })],
  [/^key (\S+) is already retired/, 'refusal.trustAlreadyRetired', (m) => ({ kid: m[1] ?? '' })],
  [/^this key preview has expired or was already used/, 'refusal.previewExpired', none],
  [/^no key (\S+) in the trust store/, 'refusal.trustNoKey', (m) => ({ kid: m[1] ?? '' })],
  [/^revocation list refused: (.*)$/s, 'refusal.crlRefused', (m) => ({ why: m[1] ?? '' })],
  [/^a payment is in progress: finish or cancel it first/, 'refusal.paymentInProgress', none],
  [/^demo mode is already off/, 'refusal.demoAlreadyOff', none],
  [/^business day (\S+) is not closed/, 'refusal.dayNotClosed', (m) => ({ date: m[1] ?? '' })],
  [/^no transaction (\S+)/, 'refusal.noTransaction', (m) => ({ id: m[1] ?? '' })],
  [/^settings refused: (.*)$/s, 'refusal.settings', (m) => ({ why: m[1] ?? '' })],
  [/^the simulated phone is available in demo mode only/, 'refusal.demoOnly', none],
];

/** The translated sentence of a refusal main explained, or undefined when it is not one of the listed. */
export function refusalText(detail: string): RefusalText | undefined {
  for (const [pattern, key, vars] of RULES) {
    const match = pattern.exec(detail.trim());
    if (match) return { key, vars: vars(match) };
  }
  return undefined;
}
