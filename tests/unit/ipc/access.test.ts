// The access rule on its own: each level against the terminal's state, as the handlers apply it.
import { describe, expect, it } from 'vitest';
import { accessRefusal, type AccessState } from '../../../src-main/ipc/access';
import { REQUESTS, REQUEST_NAMES } from '../../../src-main/ipc/requests';

const READY: AccessState = { managerActive: false, setupComplete: true, readerKind: 'pcsc' };

describe('access rule', () => {
  it('manager requests need a session; setup requests only before setup; demo requests the simulated phone', () => {
    expect(accessRefusal('updateSettings', 'manager', READY)?.code).toBe('manager_session_required');
    expect(accessRefusal('updateSettings', 'manager', { ...READY, managerActive: true })).toBeUndefined();
    expect(accessRefusal('completeSetup', 'setup', READY)?.code).toBe('setup_done');
    expect(accessRefusal('completeSetup', 'setup', { ...READY, setupComplete: false })).toBeUndefined();
    expect(accessRefusal('previewTrustKey', 'setup-or-manager', { ...READY, setupComplete: false })).toBeUndefined();
    expect(accessRefusal('previewTrustKey', 'setup-or-manager', READY)?.code).toBe('manager_session_required');
    expect(accessRefusal('phoneTap', 'demo', READY)?.code).toBe('not_available');
    expect(accessRefusal('phoneTap', 'demo', { ...READY, readerKind: 'stub' })).toBeUndefined();
  });

  it('before setup, only the requests the wizard and the idle checkout need are answered', () => {
    const beforeSetup = { ...READY, setupComplete: false, readerKind: 'stub' as const };
    const open = REQUEST_NAMES.filter((name) => REQUESTS[name].access === 'anyone' && !accessRefusal(name, 'anyone', beforeSetup));
    expect(open.sort()).toEqual(
      [
        'appState',
        'currentPayment',
        'getSettings',
        'listCountries',
        'lockManager',
        'managerSession',
        'pinStatus',
        'readerStatus',
        'setLanguage',
      ].sort(),
    );
    expect(accessRefusal('startPayment', 'anyone', beforeSetup)).toEqual({
      code: 'setup_required',
      message: 'startPayment: complete the first-run setup first',
    });
  });
});
