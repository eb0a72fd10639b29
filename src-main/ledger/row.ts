// The shape of one ledger row, as stored, hashed, exported and re-verified.

export type EntryKind = 'sale' | 'void' | 'close';
/** sale: approved | declined; void: voided; close: closed. */
export type EntryStatus = 'approved' | 'declined' | 'voided' | 'closed';

export interface LedgerItem {
  description: string;
  quantity: number;
  unitPrice: number; // integer minor units
}

export interface LedgerRow {
  seq: number;
  kind: EntryKind;
  businessDate: string;
  recordedAt: number; // epoch ms as read from the clock (may go backwards; seq is the order)
  localTime: string; // recordedAt in the store's zone with UTC offset, fixed at recording time
  terminalId: string;
  merchantId: string;
  transactionId: string | null; // null only for close rows
  status: EntryStatus;
  reason: string | null; // decline reason code (sale rows)
  detail: string | null; // decline detail
  amount: number | null; // integer minor units
  currency: string | null;
  accountId: string | null;
  licenseSerial: string | null;
  authorityKid: string | null;
  /**
   * The license's credit authority (trust-store entry of authorityKid): with licenseSerial, the
   * license's identity. Null on rows without a license, when the kid was not in the trust store,
   * and on rows recorded before authority ids (their authority is authorityKid).
   */
  authorityId: string | null;
  appCounter: number | null;
  startedAt: number | null;
  finishedAt: number | null;
  apduCount: number | null;
  demo: boolean;
  originalTransactionId: string | null; // void rows: the sale they cancel
  note: string | null; // void reason typed by the manager
  operator: string | null; // who voided / closed
  zNumber: number | null; // close rows
  report: string | null; // close rows: the Z report as JSON
  items: LedgerItem[];
  paymentRequest: Uint8Array | null;
  paymentResponse: Uint8Array | null;
  license: Uint8Array | null;
  deductionRequest: Uint8Array | null;
  authorization: Uint8Array | null;
  paymentAuthorization: Uint8Array | null; // the fourth message (SNEP response carrying the authorization)
  prevHash: Uint8Array; // 32 bytes; all zero for seq 1
  hash: Uint8Array; // 32 bytes
}

export type UnhashedRow = Omit<LedgerRow, 'hash'>;
