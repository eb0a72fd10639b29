// The bench's virtual phone, in its own process as a real phone is: the reference wallet (demo
// 'approve' phone of the bench world) behind vpcd. Driven by lines on stdin:
//   in   -> the phone enters the reader's field (connects to vpcd); answers "in"
//   out  -> it leaves; answers {"busyMs":..,"apdus":..}: time spent computing answers this tap
// Usage: tsx scripts/bench/virtual-phone.ts <vpcd port>
import { createInterface } from 'node:readline';
import { performance } from 'node:perf_hooks';
import { VpcdCard } from '../../src-main/reader/vpcd-card';
import { createWorld } from './world';

const port = Number(process.argv[2] ?? 35963);
const wallet = createWorld(Date.now()).env.walletFor('approve');
let busyMs = 0;
let apdus = 0;
const card = new VpcdCard({
  port,
  onReset: () => wallet.reset(),
  handler: async (apdu) => {
    const t0 = performance.now();
    apdus += 1;
    try {
      return await wallet.handleApdu(apdu);
    } finally {
      busyMs += performance.now() - t0;
    }
  },
});

const lines = createInterface({ input: process.stdin });
lines.on('line', (line) => {
  void (async () => {
    if (line === 'in') {
      busyMs = 0;
      apdus = 0;
      wallet.reset();
      await card.connect();
      console.log('in');
    } else if (line === 'out') {
      await card.close();
      console.log(JSON.stringify({ busyMs, apdus }));
    }
  })().catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : String(error));
    process.exit(1);
  });
});
lines.on('close', () => {
  void card.close().then(() => process.exit(0));
});
console.log('ready');
