// The shape of `window.cashier`, derived from the request and event tables: types only (and
// the one naming rule for event methods), so the preload can `satisfies` it and the renderer
// import it without zod.
import type { EventName, EventPayload, RequestArgs, RequestName, RequestResult } from './requests';

// ---------------------------------------------------------------------------------------------
// window.cashier
// ---------------------------------------------------------------------------------------------

type RequestFunction<N extends RequestName> =
  undefined extends RequestArgs<N>
    ? [RequestArgs<N>] extends [undefined]
      ? () => Promise<RequestResult<N>>
      : (arg?: RequestArgs<N>) => Promise<RequestResult<N>>
    : (arg: RequestArgs<N>) => Promise<RequestResult<N>>;

export type Unsubscribe = () => void;
type EventMethodName<N extends EventName> = `on${Capitalize<N>}`;

/** The shape of `window.cashier`: one async function per request, one `on<Event>` per event. */
export type CashierApi = { readonly [N in RequestName]: RequestFunction<N> } & {
  readonly [N in EventName as EventMethodName<N>]: (listener: (payload: EventPayload<N>) => void) => Unsubscribe;
};

export function eventMethodName<N extends EventName>(name: N): EventMethodName<N> {
  return `on${name.charAt(0).toUpperCase()}${name.slice(1)}` as EventMethodName<N>;
}
