// The kinds of problem verify-export reports, each with a stable code: settlement desks and the
// app's screen act on the code, the English line beside it is detail for support. Pure (no Node
// imports): the IPC contract takes its list from here. Codes are never renamed or reused; add new
// ones at the end. What each means and what settlement does about it: docs/ledger.md.

export const VERIFY_PROBLEM_CODES = [
  'manifest', // the manifest is unreadable, not this format, names no usable files, or its signature does not verify
  'terminal_key', // signed by another terminal key than the one expected (pinned)
  'file_missing', // a file the manifest names cannot be read
  'file_changed', // a file's bytes differ from what the manifest signed, or a CSV says something else than the records
  'chain', // the rows' hash chain is broken: a row changed, removed or inserted
  'previous_day', // this day does not follow the previous day's export given with it
  'record', // a record is malformed or contradicts the others (business day, ids, voids, counters)
  'approval', // an approval's license or authorization does not verify against the trust store
  'totals', // the manifest's counts, totals, Z number, void list or chain ends differ from the rows
  'no_trust_store', // no trust store given: approvals not checked
  'incomplete', // the check stopped before the end (a worker thread failed)
  'refund', // a refund does not match its sale (not found in this or a --previous export, not refundable, over the remainder, other facts)
] as const;

export type VerifyProblemCode = (typeof VERIFY_PROBLEM_CODES)[number];

/** One problem: its kind, and the English line the CLI prints. */
export interface VerifyProblem {
  code: VerifyProblemCode;
  detail: string;
}
