// Operator requests (findings, evidence, terminals, statements, enrolment, revocation lists)
// carry `Authorization: Bearer <token>`. The token is compared in constant time: both sides are
// hashed to 32 bytes first, so neither the comparison nor a length check tells how much of a
// guess was right.
import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import { HttpRefusal } from './http-errors';

/** A token shorter than this is refused at start-up: it could be guessed. */
export const MIN_OPERATOR_TOKEN_LENGTH = 24;

const digest = (text: string) => createHash('sha256').update(text, 'utf8').digest();

export function checkOperatorToken(token: string): string {
  if (token.length < MIN_OPERATOR_TOKEN_LENGTH || /\s/.test(token)) {
    throw new Error(`the operator token must be at least ${MIN_OPERATOR_TOKEN_LENGTH} characters without spaces`);
  }
  return token;
}

/** A preHandler that lets a request through only with the operator's bearer token. */
export function operatorGuard(token: string): (request: FastifyRequest) => Promise<void> {
  const expected = digest(checkOperatorToken(token));
  return async (request) => {
    const header = request.headers.authorization ?? '';
    const match = /^Bearer ([^\s]+)$/i.exec(header);
    if (!match || !timingSafeEqual(digest(match[1] ?? ''), expected)) {
      throw new HttpRefusal(401, 'UNAUTHORIZED', 'this request needs the operator token: Authorization: Bearer <token>');
    }
  };
}
