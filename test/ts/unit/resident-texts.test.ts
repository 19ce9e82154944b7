/**
 * The residents' page and `resident check` say the same of each line (src/resident/i18n): every
 * outcome has a text in both languages with every placeholder filled, naming the line by its 序号.
 */
import { expect } from "chai";

import {
  type Lang,
  type LineOutcome,
  type LineRecord,
  outcomeText,
  type RosterRecord,
  translate,
} from "../../../src/resident/index.js";

const OUTCOMES = Object.keys({
  Confirmed: 0,
  Paid: 0,
  Returned: 0,
  Reversed: 0,
  ReversalPendingRecovery: 0,
  Excluded: 0,
  Frozen: 0,
  AwaitingLines: 0,
  AwaitingSignOff: 0,
  InPublicity: 0,
  Payable: 0,
  Overdue: 0,
  Skipped: 0,
  Withdrawn: 0,
  Rejected: 0,
  NotPaid: 0,
} satisfies Record<LineOutcome, 0>) as LineOutcome[];

// 2026-12-01 00:00 and 2026-12-08 16:00 in Beijing time (UTC+8).
const PUBLICITY_END = Date.UTC(2026, 11, 8, 8) / 1000;
const SUSPENDED_AT = Date.UTC(2026, 10, 30, 16) / 1000;

const roster: RosterRecord = {
  rosterId: 4n,
  programmeId: 1n,
  region: 110101001n,
  state: "InPublicity",
  lineCount: 3,
  total: 3_000_00n,
  stages: [],
  approvals: [],
  publicityEnd: PUBLICITY_END,
  payoutDeadline: PUBLICITY_END + 30 * 86_400,
};

function line(outcome: LineOutcome): LineRecord {
  return {
    rosterId: 4n,
    lineIndex: 1,
    programmeId: 1n,
    region: 110101001n,
    status: "Unpaid",
    hold: "None",
    outcome,
    reversals: [],
    objections: [],
    skippedFor: {
      reason: "Deceased",
      reasonHash: `0x${"11".repeat(32)}`,
      at: { block: 9, tx: `0x${"22".repeat(32)}`, time: SUSPENDED_AT, logIndex: 0 },
    },
  };
}

describe("resident texts: one set for the page and resident check", function () {
  for (const lang of ["zh", "en"] as Lang[]) {
    it(`${lang}: every outcome has a label and a text with every placeholder filled`, function () {
      for (const outcome of OUTCOMES) {
        const text = outcomeText(lang, line(outcome), roster);
        expect(text, outcome).to.have.length.above(10);
        expect(text, outcome).not.to.match(/\{\w+\}/);
        expect(translate(lang, `outcome.${outcome}`), outcome).not.to.equal(`outcome.${outcome}`);
      }
    });

    it(`${lang}: a line in publicity is named by roster and 序号 (from 1), with the end in Beijing time and whom to tell`, function () {
      const text = outcomeText(lang, line("InPublicity"), roster, "CONTACT");
      expect(text).to.contain("序号 2").and.to.contain("2026-12-08 16:00").and.to.contain("CONTACT");
    });

    it(`${lang}: a skipped line says why (the suspension's reason and date) and whom to contact`, function () {
      const text = outcomeText(lang, line("Skipped"), roster);
      expect(text)
        .to.contain(translate(lang, "reason.Deceased"))
        .and.to.contain("2026-12-01 00:00")
        .and.to.contain(translate(lang, "contact.default"));
    });
  }
});
