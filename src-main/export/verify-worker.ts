// Worker thread of verify-export: re-verifies batches of approved JSONL lines in parallel.
import { parentPort, workerData } from 'node:worker_threads';
import { createTrustStore, type TrustedAuthority } from '../verification/trust-store';
import { parseJsonRecord, rowLabel } from './records';
import { ApprovalVerifier } from './reverify';

export interface VerifyWorkerData {
  authorities: TrustedAuthority[];
  clockSkewMs?: number;
}

export interface VerifyBatch {
  id: number;
  lines: string[];
}

export interface VerifyBatchResult {
  id: number;
  problems: string[][]; // per line, in order
}

const data = workerData as VerifyWorkerData;
const verifier = new ApprovalVerifier({ trustStore: createTrustStore(data.authorities), clockSkewMs: data.clockSkewMs });

parentPort?.on('message', (batch: VerifyBatch) => {
  const problems = batch.lines.map((line) => {
    try {
      const row = parseJsonRecord(line);
      return verifier.check(row).map((problem) => `${rowLabel(row)}: ${problem}`);
    } catch (error) {
      return [`cannot re-verify: ${(error as Error).message}`];
    }
  });
  parentPort?.postMessage({ id: batch.id, problems } satisfies VerifyBatchResult);
});
