/**
 * The joint sign-off of a roster: its review stages, the office and account that review each for
 * the roster's region, which stages have approved, and when publicity ends. Shared by the review
 * tasks (approving by transaction, sealing, relaying seals) and what they print.
 */
import { ZeroAddress } from "ethers";

import {
  describeOffice,
  LEVELS,
  type ReviewStage,
  type ReviewStages,
  stageOffice,
  stageOfOffice,
  unpackStages,
} from "../offices.js";
import type { Suite } from "../suite.js";
import { rosterStateName } from "../chain/states.js";

/** "stage 2 (department 0 at county level)". */
export function stageLabel(stages: ReviewStages, stage: number): string {
  const s = stages.stages[stage];
  return s ? `stage ${stage + 1} (department ${s.department} at ${LEVELS[s.level]} level)` : `stage ${stage + 1}`;
}

/**
 * The stage of a roster of `region` whose office `account` holds, or an error that names the
 * account's office and the offices that do review this roster.
 */
export async function reviewingStageOf(
  suite: Suite,
  account: string,
  stages: ReviewStages,
  region: bigint,
  rosterId: bigint,
): Promise<number> {
  const office = await suite.directory.officeOf(account);
  const stage = stageOfOffice(stages, office, region);
  if (stage >= 0) return stage;
  const wanted = stages.stages.map((s, i) => `${stageLabel(stages, i)}: ${describeStageOffice(s, region)}`).join("; ");
  throw new Error(
    `account ${account} holds ${describeOffice(office)}, which reviews no stage of roster ${rosterId} (region ${region}); its stages are reviewed by ${wanted}. Sign with the account of one of those offices (--from)`,
  );
}

function describeStageOffice(stage: ReviewStage, region: bigint): string {
  const office = stageOffice(stage, region);
  return office ? describeOffice(office) : `no office (the roster's region lies above ${LEVELS[stage.level]} level)`;
}

export interface StageApproval {
  /** Counted from 0, as the contract does. */
  stage: number;
  department: number;
  level: number;
  /** The region of the office that reviews this stage for this roster. */
  officeRegion: bigint | null;
  /** That office's account in the Directory now (zero address: vacant). */
  account: string;
  approved: boolean;
}

export interface SignOffStatus {
  rosterId: bigint;
  state: string;
  ordered: boolean;
  stages: StageApproval[];
  /** Stages that have not approved yet. */
  missing: number[];
  /** When publicity ends (the roster becomes Payable); undefined before sign-off. */
  publicityEndsAt?: Date;
}

/** The roster's sign-off: each review stage, the office and account that review it, and whether it approved. */
export async function signOffOf(
  suite: Suite,
  rosterId: bigint,
): Promise<SignOffStatus & { view: Awaited<ReturnType<Suite["lens"]["rosterView"]>> }> {
  const view = await suite.lens.rosterView(rosterId);
  const { roster } = view;
  const reviewStages = unpackStages(roster.reviewStages);
  const stages = await Promise.all(
    reviewStages.stages.map(async ({ department, level }, stage) => {
      const office = stageOffice({ department, level }, roster.region);
      const account = office ? await suite.directory.holderOf(office) : ZeroAddress;
      return {
        stage,
        department,
        level,
        officeRegion: office?.region ?? null,
        account,
        approved: ((roster.approvals >> BigInt(stage)) & 1n) === 1n,
      };
    }),
  );
  return {
    rosterId,
    state: rosterStateName(view.state),
    ordered: reviewStages.ordered,
    stages,
    missing: stages.filter((s) => !s.approved).map((s) => s.stage),
    publicityEndsAt:
      roster.approvedAt === 0n ? undefined : new Date(Number(roster.approvedAt + roster.publicityPeriod) * 1000),
    view,
  };
}

/** The sign-off as lines of a task's text output (`review show`, and after an approval or a relay). */
export function signOffText(s: SignOffStatus): string {
  const lines = [
    `  sign-off${s.ordered ? " (stages in order)" : ""}: ${s.stages
      .map(
        (d) =>
          `stage ${d.stage + 1} department ${d.department} at ${LEVELS[d.level]} ${d.officeRegion ?? "?"} ${d.approved ? "approved" : "MISSING"}${d.account === ZeroAddress ? " (office vacant)" : ""}`,
      )
      .join(", ")}`,
  ];
  if (s.publicityEndsAt)
    lines.push(`  publicity ${s.state === "InPublicity" ? "ends" : "ended"} at ${s.publicityEndsAt.toISOString()}`);
  else if (s.missing.length > 0)
    lines.push(`  waiting for stage${s.missing.length === 1 ? "" : "s"} ${s.missing.map((i) => i + 1).join(", ")}`);
  return lines.join("\n");
}
