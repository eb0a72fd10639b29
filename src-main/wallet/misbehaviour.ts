// Ways the reference wallet can misbehave, for tests, demos and the virtual phone.

/** A field of the authorization the wallet can sign with a wrong value. */
export type SignedField = 'transaction' | 'amount' | 'currency' | 'merchant' | 'terminal' | 'nonce' | 'license-hash' | 'transcript';

/** How a reply is spoiled: at which layer of the stack it stops making sense. */
export type ReplyFault = 'status' | 'snep' | 'snep-error' | 'ndef' | 'cbor' | 'message' | 'cose' | 'oversized';

export interface Misbehaviour {
  /** SELECT of the payment AID answers 6A82, as a phone without the app does. */
  notPaymentApp?: boolean;
  /** SELECT answers 6982: the phone wants the user to unlock it ("See phone"). */
  locked?: boolean;
  /** Change the license content after the authority signed it. */
  tamperLicense?: boolean;
  /** Sign this field of the authorization with a value other than the terminal's. */
  wrongField?: SignedField;
  /** Sign the last counter again instead of a new one (0 on a fresh wallet). */
  reuseCounter?: boolean;
  /** Sign the last counter plus this instead of plus 1 (a wallet whose counter jumped by mistake). */
  counterJump?: number;
  /** Sign the authorization with a key other than the licensed one. */
  wrongKey?: boolean;
  /** Emit high-S ECDSA signatures (valid; phone key stores do this). */
  highS?: boolean;
  /** Emit ASN.1 DER signatures instead of raw r||s. */
  derSignature?: boolean;
  /** COSE alg id put in the authorization's protected header (default -7, ES256). */
  authorizationAlg?: number;
  /** Spoil one reply. */
  corruptReply?: { message: 'payment-response' | 'authorization'; fault: ReplyFault };
  /** Wait this long before answering each message. */
  replyDelayMs?: number;
  /** Leave the field when the n-th APDU of a tap arrives (1 = SELECT). */
  vanishAtApdu?: number;
  /** Stop answering from the n-th APDU of a tap on. */
  silentAtApdu?: number;
  /** The reader fails (PC/SC error) at the n-th APDU; only the in-memory channel honours it. */
  readerFaultAtApdu?: number;
}
