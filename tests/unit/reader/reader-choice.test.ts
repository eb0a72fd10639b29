import { describe, expect, it } from 'vitest';
import { acsFeedbackApdu, supportsAcsFeedback } from '../../../src-main/reader/feedback';
import { cardKindFromAtr, chooseReaders, isSamSlot, isVirtualReader, usableReaders } from '../../../src-main/reader/reader-choice';
import { ATR_ISO_DEP_PHONE, ATR_MIFARE_CLASSIC_1K } from '../../../src-main/reader/vpcd-card';

const hex = (text: string): Uint8Array => Uint8Array.from(Buffer.from(text.replace(/\s+/g, ''), 'hex'));

describe('reader choice', () => {
  const names = [
    'ACS ACR1252 1S CL Reader [ACR1252 1S CL Reader PICC] 00 00',
    'ACS ACR1252 1S CL Reader [ACR1252 1S CL Reader SAM] 00 01',
    'ACS ACR122U PICC Interface 01 00',
  ];

  it('tells vsmartcard virtual readers from hardware', () => {
    expect(isVirtualReader('Virtual PCD 00 00')).toBe(true);
    expect(isVirtualReader('Virtual PCD 00 01')).toBe(true);
    for (const name of names) expect(isVirtualReader(name)).toBe(false);
  });

  it('ignores SAM slots', () => {
    expect(isSamSlot(names[1]!)).toBe(true);
    expect(isSamSlot(names[0]!)).toBe(false);
    expect(isSamSlot('Samsung thing')).toBe(false);
    // Sorted by name, so the automatic order does not depend on plug-in order.
    expect(usableReaders(names)).toEqual([names[2], names[0]]);
  });

  it('watches every usable reader in automatic mode and only the configured one otherwise', () => {
    expect(chooseReaders(names, undefined)).toEqual([names[2], names[0]]);
    expect(chooseReaders(names, '')).toEqual([names[2], names[0]]);
    expect(chooseReaders(names, names[2])).toEqual([names[2]]);
    expect(chooseReaders(names, names[1])).toEqual([]);
    expect(chooseReaders(names, 'unplugged reader')).toEqual([]);
    expect(chooseReaders([], undefined)).toEqual([]);
  });
});

describe('card kind from the ATR a PC/SC part 3 reader builds', () => {
  it('recognises an HCE phone and ISO 14443-4 cards with historical bytes', () => {
    expect(cardKindFromAtr(ATR_ISO_DEP_PHONE)).toBe('iso-dep');
    // ISO 14443-4 type A with ATS historical bytes (a JCOP card through an ACR122U).
    expect(cardKindFromAtr(hex('3B 8A 80 01 00 31 C1 73 C8 40 00 00 90 00 90'))).toBe('iso-dep');
    // ISO 14443-4 type B (ATQB application data + protocol info).
    expect(cardKindFromAtr(hex('3B 88 80 01 00 00 00 00 33 81 81 00 3A'))).toBe('iso-dep');
  });

  it('recognises storage tags', () => {
    expect(cardKindFromAtr(ATR_MIFARE_CLASSIC_1K)).toBe('other');
    // MIFARE Ultralight / NTAG.
    expect(cardKindFromAtr(hex('3B 8F 80 01 80 4F 0C A0 00 00 03 06 03 00 03 00 00 00 00 68'))).toBe('other');
    // FeliCa.
    expect(cardKindFromAtr(hex('3B 8F 80 01 80 4F 0C A0 00 00 03 06 11 00 3B 00 00 00 00 42'))).toBe('other');
  });

  it('treats an unreadable ATR as not a phone', () => {
    expect(cardKindFromAtr(new Uint8Array())).toBe('other');
    expect(cardKindFromAtr(hex('3F 80'))).toBe('other');
  });
});

describe('ACS LED and buzzer feedback', () => {
  it('is offered for the ACR122U only', () => {
    expect(supportsAcsFeedback('ACS ACR122U PICC Interface 00 00')).toBe(true);
    expect(supportsAcsFeedback(names()[0]!)).toBe(false);
    expect(supportsAcsFeedback('Identiv uTrust 3700 F CL Reader 00 00')).toBe(false);
    expect(supportsAcsFeedback('Virtual PCD 00 00')).toBe(false);
  });

  it('sends the Bi-Color LED and Buzzer Control pseudo-APDU', () => {
    const approved = acsFeedbackApdu('approved');
    const declined = acsFeedbackApdu('declined');
    expect([...approved.slice(0, 3)]).toEqual([0xff, 0x00, 0x40]);
    expect(approved[4]).toBe(0x04);
    expect(approved.length).toBe(9);
    // Approved ends green (bit 1), declined ends red (bit 0); both buzz (last byte).
    expect(approved[3]! & 0b11).toBe(0b10);
    expect(declined[3]! & 0b11).toBe(0b01);
    expect(approved[8]).not.toBe(0);
    expect(declined[7]).toBeGreaterThan(approved[7]!);
  });
});

function names(): string[] {
  return ['ACS ACR1252 1S CL Reader [ACR1252 1S CL Reader PICC] 00 00'];
}
