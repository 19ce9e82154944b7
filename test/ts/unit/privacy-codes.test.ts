/**
 * Query codes, commitments and the bureau secret (src/privacy). Synthetic ID numbers only: region
 * prefix 99xxxx, which no province uses, with a correct ISO 7064 MOD 11-2 check character.
 */
import { expect } from "chai";
import fc from "fast-check";

import {
  deriveQueryCode,
  formatQueryCode,
  generateBureauSecret,
  householdCommitment,
  normaliseQueryCode,
  parseBureauSecret,
  parseDedupKey,
  personTag,
  QUERY_CODE_ALPHABET,
} from "../../../src/privacy/index.js";

/** A fictitious ID number: 17 digits plus the ISO 7064 MOD 11-2 check character. */
function idNumber(body17: string): string {
  const weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
  const sum = Array.from(body17).reduce((s, d, i) => s + Number(d) * weights[i]!, 0);
  return body17 + "10X98765432"[sum % 11]!;
}

const SECRET_A = "a".repeat(32) + "0123456789abcdef".repeat(2);
const SECRET_B = "0x" + "5e".repeat(16) + "c3".repeat(16);
const ID_1 = idNumber("99010119800101001");
const ID_2 = idNumber("99010119800101002");
const ID_X = idNumber("99010119800101009"); // check character X
const CODE_SHAPE = new RegExp(`^[${QUERY_CODE_ALPHABET}]{4}(-[${QUERY_CODE_ALPHABET}]{4}){3}$`);

describe("privacy: the ID-number helper of these tests", function () {
  it("computes MOD 11-2 check characters, including X", function () {
    expect(ID_1).to.equal("990101198001010014");
    expect(ID_X).to.equal("99010119800101009X");
  });
});

describe("privacy: deriveQueryCode", function () {
  it("is deterministic per secret and ID number", function () {
    expect(deriveQueryCode(SECRET_A, ID_1)).to.equal(deriveQueryCode(SECRET_A, ID_1));
  });

  it("matches a fixed vector (HMAC-SHA256, first 80 bits, Crockford base32)", function () {
    expect(deriveQueryCode(SECRET_A, ID_1)).to.equal(VECTOR_CODE);
  });

  it("differs per ID number and per secret", function () {
    const codes = new Set([
      deriveQueryCode(SECRET_A, ID_1),
      deriveQueryCode(SECRET_A, ID_2),
      deriveQueryCode(SECRET_A, ID_X),
      deriveQueryCode(SECRET_B, ID_1),
    ]);
    expect(codes.size).to.equal(4);
  });

  it("uses the decoded key bytes, so hex, 0x-hex and base64 of one key agree", function () {
    const hex = SECRET_A;
    const base64 = Buffer.from(hex, "hex").toString("base64");
    const expected = deriveQueryCode(hex, ID_1);
    expect(deriveQueryCode(`0x${hex.toUpperCase()}`, ID_1)).to.equal(expected);
    expect(deriveQueryCode(base64, ID_1)).to.equal(expected);
  });

  it("is XXXX-XXXX-XXXX-XXXX of the Crockford alphabet, and its own normal form", function () {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 999 }), (seq) => {
        const code = deriveQueryCode(SECRET_B, idNumber(`99020220000229${String(seq).padStart(3, "0")}`));
        expect(code).to.match(CODE_SHAPE);
        expect(formatQueryCode(normaliseQueryCode(code))).to.equal(code);
      }),
      { numRuns: 200 },
    );
  });

  it("refuses an ID number that is not normalised, without echoing it", function () {
    const lower = ID_X.toLowerCase();
    expect(() => deriveQueryCode(SECRET_A, lower)).to.throw(/normalised.*lowercase x/);
    try {
      deriveQueryCode(SECRET_A, lower);
    } catch (error) {
      expect((error as Error).message).not.to.include(lower);
    }
    expect(() => deriveQueryCode(SECRET_A, ID_1.slice(1))).to.throw(/17 ASCII digits/);
    expect(() => deriveQueryCode(SECRET_A, "９９０１０１１９８００１０１００１４")).to.throw(/normalised/);
  });

  it("refuses a weak secret", function () {
    expect(() => deriveQueryCode("secret", ID_1)).to.throw(/openssl rand -hex 32/);
  });
});

describe("privacy: normaliseQueryCode", function () {
  const CANONICAL = "0123456789ABCDEF";

  it("accepts the printed form and returns 16 characters without hyphens", function () {
    expect(normaliseQueryCode("0123-4567-89AB-CDEF")).to.equal(CANONICAL);
  });

  it("accepts lowercase, spaces, hyphens, full-width characters and other dashes", function () {
    expect(normaliseQueryCode("  0123 4567\t89ab-cdef ")).to.equal(CANONICAL);
    expect(normaliseQueryCode("０１２３－４５６７　８９ａｂ－ｃｄｅｆ")).to.equal(CANONICAL);
    expect(normaliseQueryCode("0123–4567—89AB‐CDEF")).to.equal(CANONICAL);
  });

  it("reads I and L as 1 and O as 0, in either case", function () {
    expect(normaliseQueryCode("OI23-4567-89AB-CDEF")).to.equal(CANONICAL);
    expect(normaliseQueryCode("ol23-4567-89ab-cdef")).to.equal(CANONICAL);
    expect(normaliseQueryCode("0L23 4567 89AB CDEF")).to.equal(CANONICAL);
  });

  it("rejects a wrong length, naming the count", function () {
    expect(() => normaliseQueryCode("0123-4567-89AB-CDE")).to.throw(/16 characters.*got 15/);
    expect(() => normaliseQueryCode("0123-4567-89AB-CDEF0")).to.throw(/got 17/);
    expect(() => normaliseQueryCode("")).to.throw(/got 0/);
  });

  it("rejects letters outside the alphabet (U is not in Crockford's), naming them", function () {
    expect(() => normaliseQueryCode("0123-4567-89AB-CDEU")).to.throw(/"U".*not used in query codes/);
    expect(() => normaliseQueryCode("0123-4567-89AB-CDE*")).to.throw(/"\*"/);
    expect(() => normaliseQueryCode("0123-4567-89AB-CDEß")).to.throw(/"ß"/);
  });
});

describe("privacy: householdCommitment", function () {
  it("matches a fixed vector", function () {
    expect(householdCommitment(ID_1, "0123-4567-89AB-CDEF")).to.equal(VECTOR_COMMITMENT);
  });

  it("is keccak256 of the domain-tagged ID number and canonical code", async function () {
    const { keccak256, toUtf8Bytes } = await import("ethers");
    expect(householdCommitment(ID_X, "abcd efgh jkmn pqrs")).to.equal(
      keccak256(toUtf8Bytes(`fund-disbursement/household/v1|${ID_X}|ABCDEFGHJKMNPQRS`)),
    );
  });

  it("is the same for every typed form of the code", function () {
    expect(householdCommitment(ID_1, "ol23 4567 89ab cdef")).to.equal(VECTOR_COMMITMENT);
  });

  it("differs per code and per ID number", function () {
    const a = householdCommitment(ID_1, "0123-4567-89AB-CDEF");
    expect(householdCommitment(ID_1, "0123-4567-89AB-CDEG")).not.to.equal(a);
    expect(householdCommitment(ID_2, "0123-4567-89AB-CDEF")).not.to.equal(a);
  });

  it("accepts a derived code end to end", function () {
    const code = deriveQueryCode(SECRET_A, ID_1);
    expect(householdCommitment(ID_1, code)).to.match(/^0x[0-9a-f]{64}$/);
  });

  it("refuses an unnormalised ID number or a bad code", function () {
    expect(() => householdCommitment(ID_X.toLowerCase(), "0123-4567-89AB-CDEF")).to.throw(/normalised/);
    expect(() => householdCommitment(` ${ID_1}`, "0123-4567-89AB-CDEF")).to.throw(/normalised/);
    expect(() => householdCommitment(ID_1, "0123-4567-89AB")).to.throw(/16 characters/);
  });
});

describe("privacy: parseBureauSecret and generateBureauSecret", function () {
  it("accepts 64+ hex digits, with or without 0x, and returns lowercase hex", function () {
    expect(parseBureauSecret(SECRET_A)).to.equal(SECRET_A);
    expect(parseBureauSecret(`0x${SECRET_A.toUpperCase()}\n`)).to.equal(SECRET_A);
    const long = SECRET_A + "ff".repeat(32);
    expect(parseBureauSecret(long)).to.equal(long);
  });

  it("accepts base64 of 32+ bytes", function () {
    const base64 = Buffer.from(SECRET_A, "hex").toString("base64");
    expect(parseBureauSecret(base64)).to.equal(SECRET_A);
  });

  it("rejects short secrets, explaining how to generate one", function () {
    expect(() => parseBureauSecret("")).to.throw(/empty.*openssl rand -hex 32/);
    expect(() => parseBureauSecret(SECRET_A.slice(2))).to.throw(/62 hex digits.*openssl rand -hex 32/);
    // 48 hex digits are also valid base64 (of 36 bytes) but are read as hex: 24 bytes, too short.
    expect(() => parseBureauSecret(SECRET_A.slice(0, 48))).to.throw(/48 hex digits \(24 bytes\)/);
    const base64Of31 = Buffer.alloc(31, 7).toString("base64");
    expect(() => parseBureauSecret(base64Of31)).to.throw(/base64 of 31 bytes.*openssl rand -hex 32/);
    expect(() => parseBureauSecret("correct horse battery staple")).to.throw(/neither hex.*nor base64/);
    expect(() => parseBureauSecret(SECRET_A + "f")).to.throw(/odd number/);
  });

  it("rejects a placeholder of one repeated byte", function () {
    expect(() => parseBureauSecret("0".repeat(64))).to.throw(/repeated/);
  });

  it("never echoes the secret in an error", function () {
    const almost = SECRET_A.slice(0, 60);
    try {
      parseBureauSecret(almost);
      expect.fail("should have thrown");
    } catch (error) {
      expect((error as Error).message).not.to.include(almost);
    }
  });

  it("generates fresh 32-byte hex secrets that parse", function () {
    const a = generateBureauSecret();
    const b = generateBureauSecret();
    expect(a).to.match(/^[0-9a-f]{64}$/);
    expect(a).not.to.equal(b);
    expect(parseBureauSecret(a)).to.equal(a);
  });
});

// Fixed vectors. The code was computed independently (Python hmac + hashlib, Crockford by hand);
// the commitment is keccak256 of "fund-disbursement/household/v1|990101198001010014|0123456789ABCDEF".
// Changing either changes every code printed and every commitment on chain.
const VECTOR_CODE = "HJRK-3XE0-NE4N-R4ZT";
const VECTOR_COMMITMENT = "0xfebb32b3c6f4b56877993ba579500edc5f3c0001f26fec915008be0899e73b50";

describe("person tags (one person, one household)", () => {
  // Computed independently with Python's hmac and hashlib: HMAC-SHA256(bytes of SECRET_A,
  // "fund-disbursement/person/v1|990101198001010014"). Changing it changes every tag on chain.
  const VECTOR_TAG = "0x118b941d57e463be8931fd318ae83afd4c951d6dac27be8f550c4b2fe85249d7";

  it("is HMAC-SHA256 of the domain and the normalised ID number under the deduplication key", () => {
    expect(personTag(SECRET_A, ID_1)).to.equal(VECTOR_TAG);
    // The same key written in base64 gives the same tag.
    expect(personTag(Buffer.from(SECRET_A, "hex").toString("base64"), ID_1)).to.equal(VECTOR_TAG);
  });

  it("depends on the key and the person, and is independent of the bureau secret", () => {
    expect(personTag(SECRET_B, ID_1)).not.to.equal(personTag(SECRET_A, ID_1));
    expect(personTag(SECRET_A, ID_2)).not.to.equal(personTag(SECRET_A, ID_1));
    // The same key as a bureau secret gives a query code and a commitment that share nothing with the tag.
    expect(householdCommitment(ID_1, deriveQueryCode(SECRET_A, ID_1))).not.to.equal(personTag(SECRET_A, ID_1));
  });

  it("refuses an ID number that is not normalised, and a weak key, without echoing either", () => {
    const message = (() => {
      try {
        personTag(SECRET_A, ID_X.toLowerCase());
        return "no error";
      } catch (error) {
        return (error as Error).message;
      }
    })();
    expect(message)
      .to.match(/must be normalised/)
      .and.not.to.contain(ID_X.slice(0, 10));
    expect(() => personTag("00".repeat(32), ID_1)).to.throw(/deduplication key is one byte repeated/);
    expect(() => parseDedupKey("abcd")).to.throw(/deduplication key is too short/);
  });
});
