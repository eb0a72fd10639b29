// One error model: every error thrown on purpose is a CodedError, and the IPC layer maps each
// domain's codes through its typed table, telling errors apart by class, never by name.
import { describe, expect, it } from 'vitest';
import { AppError, RefusingError } from '../../../src-main/app/errors';
import { CountriesError } from '../../../src-main/app/countries';
import { PinError } from '../../../src-main/app/pin';
import { SettingsError } from '../../../src-main/app/settings';
import { KeyFileError } from '../../../src-main/fs/secret-file';
import { StartPaymentError } from '../../../src-main/checkout/types';
import { CodedError, DetailedError } from '../../../src-main/domain/coded-error';
import { RecordFormatError } from '../../../src-main/export/records';
import { TerminalKeyError } from '../../../src-main/export/terminal-key';
import { CashierError } from '../../../src-main/ipc/contract';
import { knownFailure } from '../../../src-main/ipc/error-map';
import { IpcServiceError } from '../../../src-main/ipc/services';
import { parseWireError } from '../../../src-main/ipc/wire-error';
import { LedgerError } from '../../../src-main/ledger/errors';
import { ProtocolError } from '../../../src-main/domain/protocol-error';
import { ChannelError } from '../../../src-main/transport/channel';
import { RevocationListError } from '../../../src-main/verification/revocation';
import { TrustEntryError } from '../../../src-main/verification/trust-store';
import { PhoneVanishedError, ReaderFaultError } from '../../../src-main/wallet/phone-wallet';

describe('the error model', () => {
  it('every domain error is a CodedError with its code and its own name', () => {
    const errors: [CodedError, string, string][] = [
      [new AppError('not_found', 'x'), 'AppError', 'not_found'],
      [new CountriesError('x'), 'CountriesError', 'COUNTRIES_INVALID'],
      [new PinError('corrupt', 'x'), 'PinError', 'corrupt'],
      [new SettingsError('rejected', '/p', 'x'), 'SettingsError', 'rejected'],
      [new KeyFileError('KEY_FILE_NOT_REGULAR', '/p', 'x'), 'KeyFileError', 'KEY_FILE_NOT_REGULAR'],
      [new StartPaymentError('closed', 'x'), 'StartPaymentError', 'closed'],
      [new RecordFormatError('x'), 'RecordFormatError', 'RECORD_FORMAT'],
      [new TerminalKeyError('x'), 'TerminalKeyError', 'TERMINAL_KEY'],
      [new CashierError({ code: 'conflict', message: 'x' }), 'CashierError', 'conflict'],
      [new IpcServiceError('not_available', 'x'), 'IpcServiceError', 'not_available'],
      [new LedgerError('VOID_OTHER_DAY', 'x'), 'LedgerError', 'VOID_OTHER_DAY'],
      [new ProtocolError('amount_mismatch', 'x'), 'ProtocolError', 'amount_mismatch'],
      [new ChannelError('timeout', 'x'), 'ChannelError', 'timeout'],
      [new RevocationListError('REVOCATION_NOT_NEWER', 'x'), 'RevocationListError', 'REVOCATION_NOT_NEWER'],
      [new TrustEntryError('x'), 'TrustEntryError', 'TRUST_ENTRY_INVALID'],
      [new PhoneVanishedError(), 'PhoneVanishedError', 'phone_vanished'],
      [new ReaderFaultError(), 'ReaderFaultError', 'reader_fault'],
    ];
    for (const [error, name, code] of errors) {
      expect(error).toBeInstanceOf(CodedError);
      expect(error).toBeInstanceOf(Error);
      expect([error.name, error.code]).toEqual([name, code]);
    }
    expect(new ProtocolError('amount_mismatch', 'x').reason).toBe('amount_mismatch');
    expect(new ChannelError('timeout', 'x').failure).toBe('timeout');
  });

  it('the errors written "code: detail" keep the detail apart; the refusing ones carry their refusal', () => {
    const detailed: [DetailedError, string][] = [
      [new ProtocolError('amount_mismatch', 'paid 5'), 'amount_mismatch: paid 5'],
      [new LedgerError('VOID_OTHER_DAY', 'yesterday'), 'VOID_OTHER_DAY: yesterday'],
      [new KeyFileError('KEY_FILE_TOO_OPEN', '/k', 'mode 0644'), 'KEY_FILE_TOO_OPEN: mode 0644'],
      [new RevocationListError('REVOCATION_NOT_NEWER', 'sequence 3'), 'REVOCATION_NOT_NEWER: sequence 3'],
    ];
    for (const [error, message] of detailed) {
      expect(error).toBeInstanceOf(DetailedError);
      expect([error.message, error.detail]).toEqual([message, message.slice(message.indexOf(': ') + 2)]);
    }
    expect(new KeyFileError('KEY_FILE_TOO_OPEN', '/k', 'x').path).toBe('/k');
    const why = { reason: 'demo_only' as const, values: {} };
    for (const error of [
      new AppError('not_found', 'gone', { refusal: why }),
      new IpcServiceError('not_found', 'gone', { refusal: why }),
      new SettingsError('rejected', '/s', 'gone', { refusal: why }),
    ]) {
      expect(error).toBeInstanceOf(RefusingError);
      expect([error.message, error.refusal]).toEqual(['gone', why]);
    }
    expect(new AppError('not_found', 'gone').refusal).toBeUndefined();
  });

  it('maps each domain refusal to its contract code and leaves everything else internal', () => {
    expect(knownFailure(new AppError('setup_done', 'done'))).toEqual({ code: 'setup_done', message: 'done' });
    expect(knownFailure(new IpcServiceError('not_found', 'gone'))).toEqual({ code: 'not_found', message: 'gone' });
    expect(knownFailure(new StartPaymentError('invalid_items', 'no'))?.code).toBe('invalid_argument');
    expect(knownFailure(new StartPaymentError('payment_in_progress', 'busy'))?.code).toBe('payment_in_progress');
    expect(knownFailure(new StartPaymentError('closed', 'shut'))?.code).toBe('not_available');
    // A damaged ledger: the payment refused before its tap and any write the file refused say the same.
    const damaged = { code: 'not_available', refusal: { reason: 'ledger_damaged', values: {} } };
    expect(knownFailure(new StartPaymentError('ledger_damaged', 'no payment can be recorded'))).toMatchObject(damaged);
    expect(knownFailure(new LedgerError('LEDGER_CORRUPT', 'quick_check found damage'))).toMatchObject(damaged);
    expect(knownFailure(new LedgerError('VOID_ALREADY_VOIDED', 'twice'))).toEqual({
      code: 'conflict',
      message: 'VOID_ALREADY_VOIDED: twice',
    });
    expect(knownFailure(new LedgerError('VOID_NOT_FOUND', 'who'))?.code).toBe('not_found');
    expect(knownFailure(new SettingsError('rejected', '/s', 'bad'))?.code).toBe('rejected');
    // Failures of the machine, not refusals of the request: internal (logged, not shown).
    expect(knownFailure(new LedgerError('LEDGER_DISK_FULL', 'full'))).toBeUndefined();
    expect(knownFailure(new SettingsError('corrupt', '/s', 'bad'))).toBeUndefined();
    expect(knownFailure(new ProtocolError('amount_mismatch', 'x'))).toBeUndefined();
    // A look-alike with the right name but another class is not trusted.
    const impostor = Object.assign(new Error('x'), { name: 'AppError', code: 'not_found' });
    expect(knownFailure(impostor)).toBeUndefined();
  });

  it('one wire format: main writes "[code] message", the renderer reads code and detail back', () => {
    const error = new CashierError({ code: 'rejected', message: 'wrong current PIN' });
    expect(error.message).toBe('[rejected] wrong current PIN');
    expect(parseWireError(new Error(error.message))).toEqual({ code: 'rejected', detail: 'wrong current PIN' });
    expect(parseWireError('Error invoking remote method: [not_found] gone')).toEqual({ code: 'not_found', detail: 'gone' });
    expect(parseWireError(new Error('[no_such_code] x'))).toEqual({ code: 'unknown', detail: '[no_such_code] x' });
    expect(parseWireError(new TypeError('boom'))).toEqual({ code: 'unknown', detail: 'boom' });
  });
});
