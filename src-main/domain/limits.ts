// Documented caps (docs/protocol.md, 2.6 "Limits"): checked before any parsing.

/** Largest SNEP message (header + information field) either side accepts. */
export const MAX_MESSAGE_BYTES = 8192;
/** Largest data field in one short command APDU. */
export const MAX_COMMAND_CHUNK = 255;
/** Largest data field in one short response APDU (Le = 00). */
export const MAX_RESPONSE_CHUNK = 256;
