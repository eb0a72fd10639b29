// Reads every hex string docs/protocol.md §12 prints and compares it with vectors.json: the
// labelled message blocks, the APDU traces, the authority table, the app keys, the order's
// transaction id and the decoded payloads. A hex string it cannot attribute to a value of the
// file is a problem too, so an edit that changes one byte, or moves a block out of the shapes
// read here, is reported.
import type { Vectors } from '../../fixtures/protocol/vectors';

type Apdu = { command: string; response: string };

/** The messages that cross the air; every case prints those it has. */
const WIRE_MESSAGES = ['paymentRequest', 'paymentResponse', 'deductionRequest', 'paymentAuthorization'] as const;
const LONG_HEX = /[0-9a-f]{16,}/g;

export function vectorSection(markdown: string): string | undefined {
  const start = markdown.indexOf('\n## 12. ');
  const end = markdown.indexOf('\n## 13. ');
  return start < 0 || end < start ? undefined : markdown.slice(start, end);
}

/** Every way §12 differs from the vectors; empty when each printed byte is the file's. */
export function vectorDocProblems(markdown: string, vectors: Vectors): string[] {
  const section = vectorSection(markdown);
  if (section === undefined) return ['docs/protocol.md has no section 12 followed by section 13'];
  const problems: string[] = [];
  const printed = new Set<string>();
  const cases = new Map(vectors.cases.map((c) => [c.name as string, c]));
  const same = (what: string, shown: string, expected: string | undefined) => {
    if (expected === undefined) problems.push(`${what}: printed, but not in vectors.json`);
    else if (shown !== expected) problems.push(`${what}: printed ${shown.slice(0, 24)}…, vectors.json has ${expected.slice(0, 24)}…`);
    printed.add(what);
  };

  for (const fence of section.matchAll(/```[\s\S]*?```/g)) {
    if (fence[0].includes('…') || fence[0].includes('...')) problems.push(`a code block in §12 leaves bytes out: ${fence[0].slice(3, 40)}`);
  }

  for (const part of section.split(/\n(?=#{2,4} )/)) {
    const heading = part.slice(0, part.indexOf('\n'));
    const name = /`([a-z-]+)`/.exec(heading)?.[1];
    if (name !== undefined && name !== 'chaining' && !cases.has(name)) problems.push(`heading names an unknown case: ${heading}`);
    const vector = name === undefined ? undefined : cases.get(name);
    let rest = part;
    const consume = (text: string) => {
      rest = rest.replace(text, '');
    };

    for (const [all, label = '', size = '', body = ''] of part.matchAll(/\*\*(\w+)\*\* \((\d+) bytes\)\n\n```\n([\s\S]*?)```/g)) {
      const hex = body.replace(/\n/g, '');
      const expected =
        name === 'chaining'
          ? label === 'message' || label === 'reply'
            ? vectors.chaining[label]
            : undefined
          : vector?.messages[label as keyof typeof vector.messages];
      same(`${name ?? '(no case)'} ${label}`, hex, expected);
      if (Number(size) * 2 !== hex.length)
        problems.push(`${name ?? '(no case)'} ${label}: said to be ${size} bytes, printed ${hex.length / 2}`);
      consume(all);
    }

    for (const [all, body = ''] of part.matchAll(/```\n(C1: [\s\S]*?)```/g)) {
      const apdus: Partial<Apdu>[] = [];
      let last: { apdu: Partial<Apdu>; side: keyof Apdu } | undefined;
      for (const line of body.split('\n').filter((l) => l.length > 0)) {
        const start = /^([CR])(\d+): ([0-9a-f]+)$/.exec(line);
        const more = /^ {4}([0-9a-f]+)$/.exec(line);
        if (start) {
          const index = Number(start[2]) - 1;
          const apdu = (apdus[index] ??= {});
          const side = start[1] === 'C' ? 'command' : 'response';
          apdu[side] = start[3] ?? '';
          last = { apdu, side };
        } else if (more && last) {
          last.apdu[last.side] = `${last.apdu[last.side] ?? ''}${more[1] ?? ''}`;
        } else {
          problems.push(`${name ?? '(no case)'} APDU trace: unreadable line ${line.slice(0, 40)}`);
        }
      }
      const expected = name === 'chaining' ? vectors.chaining.apdus : vector?.apdus;
      if (!expected) problems.push(`an APDU trace outside a case: ${body.slice(0, 40)}`);
      else if (apdus.length !== expected.length)
        problems.push(`${name} APDU trace: ${apdus.length} APDUs printed, vectors.json has ${expected.length}`);
      expected?.forEach((apdu, i) => {
        same(`${name} C${i + 1}`, apdus[i]?.command ?? '', apdu.command);
        same(`${name} R${i + 1}`, apdus[i]?.response ?? '', apdu.response);
      });
      if (expected) printed.add(`${name} apdus`);
      consume(all);
    }

    for (const [all, kid = '', authorityId = '', trusted = '', secret = '', pub = ''] of part.matchAll(
      /^\| \w+ \| `([^`]+)` \| `([^`]+)` \| (yes|no) \| [^|]+ \| `([0-9a-f]+)` \| `([0-9a-f]+)` \|$/gm,
    )) {
      const authority = vectors.authorities.find((a) => a.kid === kid);
      same(`authority ${kid} secret key`, secret, authority?.secretKey);
      same(`authority ${kid} public key`, pub, authority?.publicKey);
      same(`authority ${kid} id`, authorityId, authority?.authorityId);
      same(`authority ${kid} trusted`, trusted, authority === undefined ? undefined : authority.trusted ? 'yes' : 'no');
      consume(all);
    }

    for (const [all, secret = '', pub = ''] of part.matchAll(/App key: secret `([0-9a-f]+)`, public `([0-9a-f]+)`/g)) {
      same(`${name ?? '(no case)'} app secret key`, secret, vector?.appSecretKey);
      same(`${name ?? '(no case)'} app public key`, pub, vector?.appPublicKey);
      consume(all);
    }

    for (const [all, id = ''] of part.matchAll(/transaction id `([0-9a-f]+)`/g)) {
      same('order transaction id', id, vectors.order.transactionId);
      consume(all);
    }

    // The decoded approved payloads: key 2 is the transaction id, key 3 the license's app key.
    for (const [all, key = '', hex = ''] of part.matchAll(/\b([23]): h'([0-9a-f]+)'/g)) {
      same(`decoded key ${key}`, hex, key === '2' ? vectors.order.transactionId : cases.get('approve')?.appPublicKey);
      consume(all);
    }

    for (const [left] of rest.matchAll(LONG_HEX))
      problems.push(`${name ?? heading}: hex not checked against vectors.json: ${left.slice(0, 24)}…`);
  }

  for (const vector of vectors.cases) {
    const wanted = [...WIRE_MESSAGES.filter((m) => vector.messages[m] !== undefined), 'app secret key', 'app public key'];
    if (vector.name === 'approve') wanted.push('license', 'authorization', 'apdus');
    for (const what of wanted) if (!printed.has(`${vector.name} ${what}`)) problems.push(`${vector.name} ${what}: not printed`);
  }
  for (const what of ['message', 'reply', 'apdus']) if (!printed.has(`chaining ${what}`)) problems.push(`chaining ${what}: not printed`);
  for (const a of vectors.authorities) if (!printed.has(`authority ${a.kid} secret key`)) problems.push(`authority ${a.kid}: not printed`);
  return problems;
}

/** Every long hex string of §12 with its offset in the whole document, for mutation checks. */
export function vectorHexSpans(markdown: string): { at: number; length: number }[] {
  const start = markdown.indexOf('\n## 12. ');
  const section = vectorSection(markdown) ?? '';
  return [...section.matchAll(LONG_HEX)].map((m) => ({ at: start + m.index, length: m[0].length }));
}
