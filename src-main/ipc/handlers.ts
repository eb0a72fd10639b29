// Main-process side of the IPC contract, free of Electron: one handler per request channel.
// Each handler parses its argument with the contract's zod schema, applies the request's access
// rule (manager session, first-run state, simulated phone), runs the service, and parses the
// result with the result schema before it leaves main. Every answer is an envelope
// {ok, value | error}; nothing thrown inside reaches the caller as a raw exception.
// The Electron main process registers these with ipcMain.handle (after its top-level-frame
// check); the Chromium test harness calls them from a Playwright binding.
import { z } from 'zod';
import {
  EVENTS,
  REQUESTS,
  REQUEST_NAMES,
  eventChannel,
  requestChannel,
  type EventName,
  type EventPayload,
  type IpcEnvelope,
  type IpcErrorCode,
  type IpcFailure,
  type ManagerSession,
  type ParsedArgs,
  type RequestName,
  type RequestResult,
} from './contract';
import type { Terminal } from '../app/terminal';
import { accessRefusal } from './access';
import { knownFailure } from './error-map';
import { terminalServices } from './terminal-services';
import { IpcServiceError, type IpcServices, type ServiceRequest, type Platform, type SessionRequest } from './services';

export { IpcServiceError, MAX_DOCUMENT_BYTES } from './services';
export type { IpcServices, PinCheckResult, Platform, PrintJob, TextDocumentKind } from './services';

export type IpcHandler = (arg: unknown) => Promise<IpcEnvelope<unknown>>;
export type EventForwarder = (channel: string, payload: unknown) => void;

export interface IpcHandlerSet {
  /** channel -> handler, for ipcMain.handle or a test binding. */
  readonly handlers: ReadonlyMap<string, IpcHandler>;
  /** Answers one request by channel; an unknown channel gets an `invalid_argument` envelope. */
  invoke(channel: string, arg: unknown): Promise<IpcEnvelope<unknown>>;
  /** Every event main pushes to the renderer, already validated, with its channel. */
  onEvent(forward: EventForwarder): () => void;
  /** Ends the manager session timer and the service subscriptions. */
  close(): void;
}

export interface IpcHandlerOptions {
  clock?: () => number;
  /** Manager session length; every manager request made within it extends it. Default 5 min. */
  managerSessionMs?: number;
  /** Where unexpected errors are reported (their details never reach the renderer). */
  onInternalError?: (request: string, error: unknown) => void;
}

export const MANAGER_SESSION_MS = 5 * 60_000;

function issuesOf(error: z.ZodError): IpcFailure['issues'] {
  return error.issues.map((i) => ({ path: i.path.map(String).join('.') || '(argument)', message: i.message }));
}

function failure(code: IpcErrorCode, message: string, issues?: IpcFailure['issues'], refusal?: IpcFailure['refusal']): IpcEnvelope<never> {
  return { ok: false, error: { code, message, ...(issues ? { issues } : {}), ...(refusal ? { refusal } : {}) } };
}

/**
 * The handlers for one terminal: what Electron main registers with ipcMain.handle (after its
 * top-level-frame check) and what the Chromium harness binds into the page.
 */
export function createIpcHandlers(terminal: Terminal, platform: Platform, options: IpcHandlerOptions = {}): IpcHandlerSet {
  return createIpcHandlersFor(terminalServices(terminal, platform), options);
}

/** The handlers over any implementation of the services (createIpcHandlers builds them from the terminal). */
export function createIpcHandlersFor(services: IpcServices, options: IpcHandlerOptions = {}): IpcHandlerSet {
  const clock = options.clock ?? Date.now;
  const sessionMs = options.managerSessionMs ?? MANAGER_SESSION_MS;
  const forwarders = new Set<EventForwarder>();
  let sessionExpiresAt: number | undefined;
  let sessionTimer: ReturnType<typeof setTimeout> | undefined;

  function emit<N extends EventName>(name: N, payload: EventPayload<N>): void {
    const parsed = EVENTS[name].safeParse(payload);
    if (!parsed.success) {
      options.onInternalError?.(`event ${name}`, parsed.error);
      return;
    }
    for (const forward of forwarders) {
      try {
        forward(eventChannel(name), parsed.data);
      } catch (error) {
        options.onInternalError?.(`event ${name}`, error);
      }
    }
  }

  function session(): ManagerSession {
    return sessionExpiresAt !== undefined && sessionExpiresAt > clock() ? { active: true, expiresAt: sessionExpiresAt } : { active: false };
  }

  function endSession(): void {
    if (sessionTimer) clearTimeout(sessionTimer);
    sessionTimer = undefined;
    const wasActive = sessionExpiresAt !== undefined;
    sessionExpiresAt = undefined;
    if (wasActive) emit('managerSession', { active: false });
  }

  function extendSession(): void {
    sessionExpiresAt = clock() + sessionMs;
    if (sessionTimer) clearTimeout(sessionTimer);
    sessionTimer = setTimeout(endSession, sessionMs);
    sessionTimer.unref?.();
  }

  function refusal(name: RequestName): IpcEnvelope<never> | undefined {
    const access = REQUESTS[name].access;
    const managerActive = session().active;
    // A session that ran out ends (and says so) at the first manager request after it.
    if (access === 'manager' && !managerActive && sessionExpiresAt !== undefined) endSession();
    const refused = accessRefusal(name, access, {
      managerActive,
      setupComplete: services.setupComplete(),
      readerKind: services.readerKind(),
    });
    return refused ? failure(refused.code, refused.message) : undefined;
  }

  const sessionRequests: { [N in SessionRequest]: (arg: ParsedArgs<N>) => Promise<RequestResult<N>> } = {
    async unlockManager({ pin }) {
      const check = await services.checkPin(pin);
      if (check.result === 'ok') {
        extendSession();
        const current = session();
        emit('managerSession', current);
        return { ok: true, session: current };
      }
      if (check.result === 'not-set') {
        throw new IpcServiceError('setup_required', 'no manager PIN is set: complete the first-run setup', {
          refusal: { reason: 'pin_not_set', values: {} },
        });
      }
      return { ok: false, reason: check.result === 'locked' ? 'locked' : 'wrong_pin', pin: services.pinState() };
    },
    async lockManager() {
      endSession();
      return session();
    },
    async managerSession() {
      return session();
    },
  };

  async function handle(name: RequestName, raw: unknown): Promise<IpcEnvelope<unknown>> {
    const spec = REQUESTS[name];
    // A plain copy, as IPC delivers it: no prototype, getter or shared reference of the caller's
    // reaches the schema or the services.
    let arg: unknown;
    try {
      arg = structuredClone(raw);
    } catch {
      return failure('invalid_argument', `${name}: the argument is not plain data`);
    }
    const parsedArg = spec.args.safeParse(arg);
    if (!parsedArg.success) {
      return failure('invalid_argument', `${name}: ${z.prettifyError(parsedArg.error).replace(/\n/g, '; ')}`, issuesOf(parsedArg.error));
    }
    const refused = refusal(name);
    if (refused) return refused;
    if (spec.access === 'manager') extendSession();
    let value: unknown;
    try {
      const run = (name in sessionRequests ? sessionRequests[name as SessionRequest] : services[name as ServiceRequest]) as (
        a: unknown,
      ) => unknown;
      value = await run(parsedArg.data);
    } catch (error) {
      const known = knownFailure(error);
      if (known) return failure(known.code, known.message, undefined, known.refusal);
      options.onInternalError?.(name, error);
      return failure('internal', `${name} failed; see the terminal log`);
    }
    const parsedResult = spec.result.safeParse(value);
    if (!parsedResult.success) {
      options.onInternalError?.(`${name} result`, parsedResult.error);
      return failure('internal', `${name} answered outside the contract; see the terminal log`);
    }
    return { ok: true, value: parsedResult.data };
  }

  const handlers = new Map<string, IpcHandler>();
  for (const name of REQUEST_NAMES) handlers.set(requestChannel(name), (arg) => handle(name, arg));

  const unsubscribe = services.subscribe(emit);

  return {
    handlers,
    invoke(channel, arg) {
      const handler = handlers.get(channel);
      return handler ? handler(arg) : Promise.resolve(failure('invalid_argument', `unknown request ${String(channel)}`));
    },
    onEvent(forward) {
      forwarders.add(forward);
      return () => {
        forwarders.delete(forward);
      };
    },
    close() {
      unsubscribe();
      if (sessionTimer) clearTimeout(sessionTimer);
      sessionTimer = undefined;
      forwarders.clear();
    },
  };
}
