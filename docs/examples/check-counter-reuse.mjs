// Checks a counter_reuse evidence file with nothing but docs/protocol.md and the authority's
// public key: node docs/examples/check-counter-reuse.mjs evidence.json [trust-entry.json]
// (without the trust entry, the one inside the evidence is used: compare its fingerprint with
// the authority's published one). Prints OK and exits 0 when the evidence proves that one app
// key signed two different transactions with the same counter; exits 1 otherwise.
import { createHash, createPublicKey, verify } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { decode, encode } from 'cborg';

const [evidencePath, trustPath] = process.argv.slice(2);
const evidence = JSON.parse(readFileSync(evidencePath, 'utf8'));
const trust = trustPath ? JSON.parse(readFileSync(trustPath, 'utf8')) : evidence.authorityKey;
const b64u = (text) => new Uint8Array(Buffer.from(text, 'base64url'));
const sha256 = (bytes) => new Uint8Array(createHash('sha256').update(bytes).digest());
const same = (a, b) => Buffer.from(a).equals(Buffer.from(b));
const fail = (why) => {
  console.log(`NOT PROVEN: ${why}`);
  process.exit(1);
};

// §6: untagged COSE_Sign1 = [protected bstr, unprotected {}, payload bstr, signature bstr].
function coseSign1(bytes) {
  const [protectedBytes, , payload, signature] = decode(bytes, { useMaps: true });
  const header = decode(protectedBytes, { useMaps: true });
  return { protectedBytes, payload, signature, alg: header.get(1), kid: header.get(4) };
}
// §6: Sig_structure = ["Signature1", protected, h'', payload].
const toBeSigned = (cose) => encode(['Signature1', cose.protectedBytes, new Uint8Array(0), cose.payload]);

// An ES256 key (SEC1 04||X||Y) or an Ed25519 key as a Node key object.
function publicKey(alg, point) {
  if (alg === 'EdDSA') return createPublicKey({ key: { kty: 'OKP', crv: 'Ed25519', x: Buffer.from(point).toString('base64url') }, format: 'jwk' });
  const x = Buffer.from(point.subarray(1, 33)).toString('base64url');
  const y = Buffer.from(point.subarray(33, 65)).toString('base64url');
  return createPublicKey({ key: { kty: 'EC', crv: 'P-256', x, y }, format: 'jwk' });
}
function verifies(alg, key, cose) {
  if (alg === 'EdDSA') return cose.alg === -8 && verify(null, toBeSigned(cose), key, cose.signature);
  // ES256 (alg -7): raw 64-byte r||s, high S accepted.
  return cose.alg === -7 && cose.signature.length === 64 && verify('sha256', toBeSigned(cose), { key, dsaEncoding: 'ieee-p1363' }, cose.signature);
}

if (evidence.kind !== 'counter_reuse') fail(`this checks counter_reuse evidence, not ${evidence.kind}`);
// The license: signed by the authority key its kid names (§6, "license").
const licenseBytes = b64u(evidence.license.cose);
const license = coseSign1(licenseBytes);
const kid = new TextDecoder().decode(license.kid);
if (kid !== trust.kid) fail(`license kid ${kid} is not the authority key ${trust.kid}`);
if (!verifies(trust.alg, publicKey(trust.alg, b64u(trust.publicKey)), license)) fail('the license signature does not verify with the authority key');
// §5.3 license-content: 1 serial, 3 app public key.
const content = decode(license.payload, { useMaps: true });
const serial = content.get(1);
const appKey = publicKey('ES256', content.get(3));
const licenseHash = sha256(licenseBytes);

const seen = [];
for (const approval of evidence.approvals) {
  const authorization = coseSign1(b64u(approval.record.authorization));
  if (!verifies('ES256', appKey, authorization)) fail(`authorization of row ${approval.record.seq} does not verify with the licensed app key`);
  // §5.3 authorization-content: 2 transaction id, 8 license hash, 9 counter.
  const signed = decode(authorization.payload, { useMaps: true });
  if (!same(signed.get(8), licenseHash)) fail(`authorization of row ${approval.record.seq} is for another license`);
  seen.push({ transaction: Buffer.from(signed.get(2)).toString('hex'), counter: signed.get(9), terminal: signed.get(6) });
}
if (seen.length !== 2) fail(`expected two authorizations, found ${seen.length}`);
const [a, b] = seen;
if (a.counter !== b.counter) fail(`the counters differ (${a.counter}, ${b.counter})`);
if (a.transaction === b.transaction) fail('both authorizations sign the same transaction');
console.log(
  `OK: license ${kid}/${serial} signed counter ${a.counter} twice: transaction ${a.transaction} at ${a.terminal} and ${b.transaction} at ${b.terminal}`,
);
