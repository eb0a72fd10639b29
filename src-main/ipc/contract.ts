// The one IPC contract between the main process and the renderer, in parts:
// - constants.ts: limits, languages, error and refusal codes (no zod: the renderer imports them);
// - schemas.ts: the zod schema of every argument and result, and the types inferred from them;
// - requests.ts: the request table (access, argument, result), the events and channel names;
// - access.ts: who may call a request (the access levels and the rule that applies them);
// - failure.ts and wire-error.ts: the error wire format;
// - api.ts: the shape of `window.cashier`.
// Main (handlers.ts) validates every argument with these schemas; the preload (src-preload/api.ts)
// turns the tables into `window.cashier`; the renderer imports this module type-only.
export * from './constants';
export * from './schemas';
export * from './requests';
export * from './access';
export * from './failure';
export * from './api';
