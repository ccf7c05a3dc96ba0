// Published reference points of the E-model, as the tests' fixtures.

/** ITU-T G.107 (06/2015) Table B.1: the lower R of each user-satisfaction category and its MOS. */
export const G107_TABLE_B1 = [
  { r: 90, mos: 4.34, users: 'very satisfied' },
  { r: 80, mos: 4.03, users: 'satisfied' },
  { r: 70, mos: 3.6, users: 'some users dissatisfied' },
  { r: 60, mos: 3.1, users: 'many users dissatisfied' },
  { r: 50, mos: 2.58, users: 'nearly all users dissatisfied' },
] as const;

/** G.107 with every parameter at its default (Table 2): R = 93.2, the MOS of a perfect narrow-band connection. */
export const G107_DEFAULT = { r: 93.2, mos: 4.41 } as const;

/**
 * ITU-T G.113 Appendix I: provisional planning values of the equipment impairment factor Ie (Table I.1) and the
 * packet-loss robustness factor Bpl for random loss (Table I.3).
 */
export const G113_CODECS = {
  'G.711, no PLC': { ie: 0, bpl: 4.3 },
  'G.711 with PLC (G.711 Appendix I)': { ie: 0, bpl: 25.1 },
  'G.729A + VAD': { ie: 11, bpl: 19.0 },
  'G.723.1 6.3 kbit/s + VAD': { ie: 15, bpl: 16.1 },
  'GSM-EFR': { ie: 5, bpl: 10.0 },
} as const;
