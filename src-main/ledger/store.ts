// Row <-> SQL mapping for the entries and line_items tables.
import type Database from 'better-sqlite3';
import type { EntryKind, EntryStatus, LedgerItem, LedgerRow } from './row';

const PLAIN_COLUMNS = `
  e.seq, e.kind, e.business_date, e.recorded_at, e.local_time, e.terminal_id, e.merchant_id, e.transaction_id, e.status,
  e.reason, e.detail, e.amount, e.currency, e.account_id, e.license_serial, e.authority_kid, e.app_counter, e.started_at,
  e.finished_at, e.apdu_count, e.demo, e.original_transaction_id, e.note, e.operator, e.z_number, e.report`;
const BYTES_COLUMNS = [
  'payment_request',
  'payment_response',
  'license_cose',
  'deduction_request',
  'authorization_cose',
  'payment_authorization',
  'prev_hash',
  'hash',
];

/**
 * A row's eight BLOB columns as nine values: one packed BLOB (concat() copies the bytes as they
 * are and skips NULLs) and each column's byte length (NULL stays NULL). better-sqlite3 gives
 * every BLOB value its own ArrayBuffer, and eight of them per row were half the time of reading
 * a day; `unpackBytes` slices the one back into views.
 */
const PACKED_BYTES = `CAST(concat(${BYTES_COLUMNS.map((column) => `e.${column}`).join(', ')}) AS BLOB),
  ${BYTES_COLUMNS.map((column) => `octet_length(e.${column})`).join(', ')}`;

type RowBytes = Pick<
  LedgerRow,
  'paymentRequest' | 'paymentResponse' | 'license' | 'deductionRequest' | 'authorization' | 'paymentAuthorization' | 'prevHash' | 'hash'
>;

/** The PACKED_BYTES values starting at `at` of a raw row, as views into the packed BLOB. */
function unpackBytes(raw: unknown[], at: number): RowBytes {
  const packed = raw[at] as Buffer;
  let offset = 0;
  const next = (index: number): Buffer | null => {
    const length = raw[at + 1 + index] as number | null;
    if (length === null) return null;
    offset += length;
    return packed.subarray(offset - length, offset);
  };
  return {
    paymentRequest: next(0),
    paymentResponse: next(1),
    license: next(2),
    deductionRequest: next(3),
    authorization: next(4),
    paymentAuthorization: next(5),
    prevHash: next(6) as Buffer,
    hash: next(7) as Buffer,
  };
}

/**
 * A whole row as `statement.raw(true)` reads it (mapped by position in `fromDb`): the plain
 * columns, the packed bytes, and the row's items as a JSON array.
 */
export const ROW_COLUMNS = `${PLAIN_COLUMNS},
  ${PACKED_BYTES},
  (SELECT json_group_array(json_array(i.description, i.quantity, i.unit_price))
     FROM (SELECT * FROM line_items WHERE entry_seq = e.seq ORDER BY position) AS i),
  e.authority_id`;

const PACKED_AT = 26;
const ITEMS_AT = PACKED_AT + 1 + BYTES_COLUMNS.length;
const AUTHORITY_ID_AT = ITEMS_AT + 1;

export function fromDb(raw: unknown[]): LedgerRow {
  // Most rows have no items: skip the JSON parse for them. Fields are copied one by one (no
  // spread), which matters when a whole day or chain is read.
  const itemsJson = raw[ITEMS_AT] as string;
  const items =
    itemsJson === '[]'
      ? []
      : (JSON.parse(itemsJson) as [string, number, number][]).map(([description, quantity, unitPrice]): LedgerItem => ({
          description,
          quantity,
          unitPrice,
        }));
  const bytes = unpackBytes(raw, PACKED_AT);
  return {
    seq: raw[0] as number,
    kind: raw[1] as EntryKind,
    businessDate: raw[2] as string,
    recordedAt: raw[3] as number,
    localTime: raw[4] as string,
    terminalId: raw[5] as string,
    merchantId: raw[6] as string,
    transactionId: raw[7] as string | null,
    status: raw[8] as EntryStatus,
    reason: raw[9] as string | null,
    detail: raw[10] as string | null,
    amount: raw[11] as number | null,
    currency: raw[12] as string | null,
    accountId: raw[13] as string | null,
    licenseSerial: raw[14] as string | null,
    authorityKid: raw[15] as string | null,
    authorityId: raw[AUTHORITY_ID_AT] as string | null,
    appCounter: raw[16] as number | null,
    startedAt: raw[17] as number | null,
    finishedAt: raw[18] as number | null,
    apduCount: raw[19] as number | null,
    demo: raw[20] === 1,
    originalTransactionId: raw[21] as string | null,
    note: raw[22] as string | null,
    operator: raw[23] as string | null,
    zNumber: raw[24] as number | null,
    report: raw[25] as string | null,
    items,
    paymentRequest: bytes.paymentRequest,
    paymentResponse: bytes.paymentResponse,
    license: bytes.license,
    deductionRequest: bytes.deductionRequest,
    authorization: bytes.authorization,
    paymentAuthorization: bytes.paymentAuthorization,
    prevHash: bytes.prevHash,
    hash: bytes.hash,
  };
}

export interface Statements {
  insertEntry: Database.Statement;
  insertItem: Database.Statement;
}

const ENTRY_COLUMNS = [
  'seq',
  'kind',
  'business_date',
  'recorded_at',
  'local_time',
  'terminal_id',
  'merchant_id',
  'transaction_id',
  'status',
  'reason',
  'detail',
  'amount',
  'currency',
  'account_id',
  'license_serial',
  'authority_kid',
  'app_counter',
  'started_at',
  'finished_at',
  'apdu_count',
  'demo',
  'original_transaction_id',
  'note',
  'operator',
  'z_number',
  'report',
  'payment_request',
  'payment_response',
  'license_cose',
  'deduction_request',
  'authorization_cose',
  'payment_authorization',
  'prev_hash',
  'hash',
  'authority_id',
];

export function prepareStatements(db: Database.Database): Statements {
  return {
    insertEntry: db.prepare(`INSERT INTO entries (${ENTRY_COLUMNS.join(', ')}) VALUES (${ENTRY_COLUMNS.map(() => '?').join(', ')})`),
    insertItem: db.prepare('INSERT INTO line_items (entry_seq, position, description, quantity, unit_price) VALUES (?, ?, ?, ?, ?)'),
  };
}

/** better-sqlite3 binds Buffers as BLOBs: a plain Uint8Array is wrapped (no copy). */
const blob = (value: Uint8Array | null): Buffer | null =>
  value === null || Buffer.isBuffer(value) ? value : Buffer.from(value.buffer, value.byteOffset, value.byteLength);

export function insertRow(statements: Statements, row: LedgerRow): void {
  // Positional parameters in ENTRY_COLUMNS order: no per-row object copies.
  statements.insertEntry.run(
    row.seq,
    row.kind,
    row.businessDate,
    row.recordedAt,
    row.localTime,
    row.terminalId,
    row.merchantId,
    row.transactionId,
    row.status,
    row.reason,
    row.detail,
    row.amount,
    row.currency,
    row.accountId,
    row.licenseSerial,
    row.authorityKid,
    row.appCounter,
    row.startedAt,
    row.finishedAt,
    row.apduCount,
    row.demo ? 1 : 0,
    row.originalTransactionId,
    row.note,
    row.operator,
    row.zNumber,
    row.report,
    blob(row.paymentRequest),
    blob(row.paymentResponse),
    blob(row.license),
    blob(row.deductionRequest),
    blob(row.authorization),
    blob(row.paymentAuthorization),
    blob(row.prevHash),
    blob(row.hash),
    row.authorityId,
  );
  const items = row.items;
  for (let index = 0; index < items.length; index++) {
    const item = items[index] as LedgerItem;
    statements.insertItem.run(row.seq, index + 1, item.description, item.quantity, item.unitPrice);
  }
}
