// Reader feedback for the customer: the ACS ACR122U "Bi-Color LED and Buzzer Control"
// pseudo-APDU FF 00 40 P2 04 T1 T2 N B. The reader firmware answers it itself (it never
// reaches the phone). P2 bits: 0 final red, 1 final green, 2 red mask, 3 green mask,
// 4 initial red blink state, 5 initial green blink state, 6 red blink mask, 7 green blink mask.
// T1/T2 are in 100 ms units, N repetitions, B links the buzzer (1 = during T1).
import type { ReaderFeedback } from './reader-service';

/** Green blink and one short beep. */
const APPROVED = Uint8Array.from([0xff, 0x00, 0x40, 0xae, 0x04, 0x02, 0x01, 0x01, 0x01]);
/** Red blink and three short beeps. */
const DECLINED = Uint8Array.from([0xff, 0x00, 0x40, 0x5d, 0x04, 0x01, 0x01, 0x03, 0x01]);

/** Readers whose firmware understands this pseudo-APDU (the ACR1252U uses other escape commands). */
export function supportsAcsFeedback(readerName: string): boolean {
  return /\bACR122/i.test(readerName);
}

export function acsFeedbackApdu(result: ReaderFeedback): Uint8Array {
  return result === 'approved' ? APPROVED : DECLINED;
}
