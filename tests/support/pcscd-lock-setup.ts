// Setup file of the Vitest project "pcscd" (vitest.config.ts): each of its test files holds the
// pcscd lock from before its first line runs (files decide at import whether a pcscd is already
// running) until after its own afterAll hooks have stopped what it started.
import { afterAll } from 'vitest';
import { lockPcscd } from './pcscd-lock';

const lock = await lockPcscd();
afterAll(() => lock.release());
