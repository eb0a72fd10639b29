// The wire between a terminal and the settlement service's upload route, in one place for both
// sides: the terminal's "Send to settlement" (send-day.ts) and the service
// (src-settlement/http/). A business day goes up as multipart/form-data with the four export
// files, the signed manifest first (the service checks its signer before it takes the rest);
// the answer is JSON: the day stored or already held, with the newest signed revocation lists
// the service holds, or a coded refusal (docs/settlement.md, "HTTP API").
import { z } from 'zod';

export const UPLOAD_DAY_PATH = '/api/v1/days';
export const LATEST_REVOCATIONS_PATH = '/api/v1/revocations/latest';

/** Multipart field names, in the order they must arrive; `manifest` first. */
export const UPLOAD_PARTS = ['manifest', 'csv', 'items', 'jsonl'] as const;
export type UploadPart = (typeof UPLOAD_PARTS)[number];

/** What the service says about an uploaded day it took: stored now, or held already. */
export const HeldDaySchema = z.object({
  terminalId: z.string(),
  merchantId: z.string(),
  businessDate: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
  /** Rows stored by this upload (absent for a day already held). */
  rows: z.int().nonnegative().optional(),
  /** Findings this upload raised (0 for a day already held). */
  findings: z.int().nonnegative(),
});
export type HeldDay = z.infer<typeof HeldDaySchema>;

export const UploadAcceptedSchema = z.object({
  status: z.enum(['stored', 'already_held']),
  day: HeldDaySchema,
  /** The newest signed revocation list of each authority the service holds, as the authority wrote it. */
  revocationLists: z.array(z.unknown()).max(64).default([]),
});
export type UploadAccepted = z.infer<typeof UploadAcceptedSchema>;

/** Every error answer of the service, on every route. */
export const ErrorAnswerSchema = z.object({
  error: z.object({
    code: z.string().regex(/^[A-Z][A-Z0-9_]{1,63}$/),
    message: z.string(),
    /** verify-export's coded problems behind VERIFICATION_FAILED. */
    problems: z.array(z.object({ code: z.string(), detail: z.string() })).optional(),
  }),
});
export type ErrorAnswer = z.infer<typeof ErrorAnswerSchema>;
