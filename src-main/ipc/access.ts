// Who may call a request: the access levels the request table (requests.ts) gives each request,
// and the one rule that applies them to the terminal's state. Pure: main's handlers pass the
// state in and answer with the failure this returns.
import type { IpcErrorCode } from './constants';
import type { RequestName } from './requests';

/**
 * Who may call a request:
 * - 'anyone': the cashier screen at any time;
 * - 'setup': only while the first-run wizard is not complete;
 * - 'manager': needs an active manager session (PIN unlock);
 * - 'setup-or-manager': during the wizard, or with a manager session;
 * - 'demo': only while the reader is the simulated phone.
 */
export type Access = 'anyone' | 'setup' | 'manager' | 'setup-or-manager' | 'demo';

export interface AccessState {
  managerActive: boolean;
  setupComplete: boolean;
  readerKind: 'pcsc' | 'stub';
}

/** Requests that make no sense before the wizard has set merchant, terminal and PIN. */
const NO_SETUP_NEEDED: ReadonlySet<RequestName> = new Set<RequestName>([
  'appState',
  'listCountries',
  'setLanguage',
  'readerStatus',
  'currentPayment',
  'pinStatus',
  'managerSession',
  'lockManager',
  'getSettings',
  'phoneScenarios',
  'phoneTap',
  'phoneRemove',
]);

/** Why `name` (of access level `access`) may not run now; undefined when it may. */
export function accessRefusal(name: RequestName, access: Access, state: AccessState): { code: IpcErrorCode; message: string } | undefined {
  if (access === 'manager' && !state.managerActive) return { code: 'manager_session_required', message: `${name} needs the manager PIN` };
  if (access === 'setup' && state.setupComplete) return { code: 'setup_done', message: `${name}: the first-run setup is already complete` };
  if (access === 'setup-or-manager' && state.setupComplete && !state.managerActive) {
    return { code: 'manager_session_required', message: `${name} needs the manager PIN` };
  }
  if (access === 'demo' && state.readerKind !== 'stub') {
    return { code: 'not_available', message: `${name} works only with the simulated phone (demo mode)` };
  }
  if (access !== 'setup' && access !== 'setup-or-manager' && !NO_SETUP_NEEDED.has(name) && !state.setupComplete) {
    return { code: 'setup_required', message: `${name}: complete the first-run setup first` };
  }
  return undefined;
}
