// Worker thread of verify-export: checks batches of JSONL lines (row hash, approvals) in parallel.
import { parentPort, workerData } from 'node:worker_threads';
import { createTrustStore, type TrustedAuthority } from '../verification/trust-store';
import { checkRowLine, type LineCheck } from './row-check';
import { createNodeVerifier } from '../protocol/node-signature';
import { RecordedApprovalVerifier } from '../verification/recorded-approval';

export interface VerifyWorkerData {
  authorities: TrustedAuthority[] | null; // null: no trust store, rows are only hashed
  clockSkewMs?: number;
}

export interface VerifyBatch {
  id: number;
  lines: string[];
}

export interface VerifyBatchResult {
  id: number;
  checks: LineCheck[]; // per line, in order
}

const data = workerData as VerifyWorkerData;
const verifier = data.authorities
  ? new RecordedApprovalVerifier({
      trustStore: createTrustStore(data.authorities),
      verifier: createNodeVerifier(),
      clockSkewMs: data.clockSkewMs,
    })
  : null;

parentPort?.on('message', (batch: VerifyBatch) => {
  const checks = batch.lines.map((line) => checkRowLine(line, verifier));
  parentPort?.postMessage({ id: batch.id, checks } satisfies VerifyBatchResult);
});
