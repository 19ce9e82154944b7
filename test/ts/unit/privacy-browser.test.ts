/**
 * The commitment must be computable in a browser (the residents' web page), so its modules may
 * import nothing from Node. This reads their import lines rather than trusting a comment.
 */
import { readFileSync } from "node:fs";

import { expect } from "chai";
import fc from "fast-check";

import { normaliseQueryCode, QUERY_CODE_ALPHABET } from "../../../src/privacy/queryCodeFormat.js";

const BROWSER_SAFE = ["src/privacy/commitment.ts", "src/privacy/queryCodeFormat.ts"];
const ALLOWED = new Set(["ethers", "./queryCodeFormat.js"]);

describe("privacy: browser-safe modules", function () {
  for (const file of BROWSER_SAFE) {
    it(`${file} imports only ethers and browser-safe siblings, and uses no Buffer`, function () {
      const source = readFileSync(file, "utf8");
      const imports = [...source.matchAll(/^import[^;]*?from\s+"([^"]+)"/gms)].map((m) => m[1]);
      for (const specifier of imports) expect(ALLOWED.has(specifier!), `import of ${specifier}`).to.equal(true);
      // Comments may well mention node:crypto (to say it is not used); the code may not.
      const code = source.replace(/\/\*[\s\S]*?\*\//g, "").replace(/\/\/.*$/gm, "");
      expect(code).not.to.match(/\bBuffer\b|\brequire\(|node:|\bprocess\./);
    });
  }
});

describe("privacy: normaliseQueryCode on anything a resident might type", function () {
  const canonicalCode = fc
    .array(fc.constantFrom(...QUERY_CODE_ALPHABET), { minLength: 16, maxLength: 16 })
    .map((chars) => chars.join(""));

  it("undoes case, separators and the I/L/O confusions", function () {
    fc.assert(
      fc.property(
        canonicalCode,
        fc.array(fc.integer({ min: 0, max: 5 }), { minLength: 16, maxLength: 16 }),
        (code, noise) => {
          const typed = Array.from(code)
            .map((c, i) => {
              const n = noise[i]!;
              let t = c;
              if (c === "1" && n === 1) t = "I";
              if (c === "1" && n === 2) t = "l";
              if (c === "0" && n === 1) t = "o";
              if (n === 3) t = t.toLowerCase();
              if (n === 4) t += " ";
              if (n === 5) t += "-";
              return t;
            })
            .join("");
          expect(normaliseQueryCode(typed)).to.equal(code);
        },
      ),
      { numRuns: 300 },
    );
  });
});
