/**
 * What `npx hardhat <task> --help` adds to Hardhat's own help: an example command per task, and
 * "(required)" on the options a task cannot run without.
 *
 * Hardhat 3 prints a task's help from its definition alone (description; each option's description,
 * type in the usage line, and `(default: …)`) and offers no hook for it, nor a slot for a required
 * option: every option has a default, here "" for "not given". So the example is the one source:
 * an option in the example is required, one in [brackets] is optional, and both are checked against
 * the task's options (test/ts/cli-help.test.ts). Where one of two is needed (--reason or
 * --reason-file, --policy-file or --policy-hash) both are optional here and the task says which.
 */
import type { TaskDefinition } from "hardhat/types/tasks";

/** One example per task, without `npx hardhat`; optional options in [brackets]. */
export const EXAMPLES: Record<string, string> = {
  "governance grant": "governance grant --role BUREAU --account 0x… [--delay 0]",
  "governance revoke": "governance revoke --role BUREAU --account 0x…",
  "governance bind-office":
    "governance bind-office --kind reviewer --region 110101000000 [--department 2] --account 0x…",
  "governance unbind-office": "governance unbind-office --account 0x…",
  "governance execute": "governance execute --target 0x… --data 0x…",
  "governance pause": "governance pause [--resume]",
  "programme create":
    'programme create --earmark MLA-2026-11 --period 202611 --root-region 110101000000 --ceiling "1,000,000.00" --cap 1500 --publicity-days 7 --stages 0@county,1@county,2@county [--policy-file policy.pdf] --policy-uri https://policy.example/p.pdf [--payout-days 30] [--dry-run]',
  "programme fund": 'programme fund --programme 1 --amount "1,000,000.00" [--dry-run]',
  "programme show": "programme show --programme 1",
  "budget allocate":
    'budget allocate --programme 1 --from-region 110101000000 --to-region 110101001000 --amount "500,000.00" [--reclaim] [--dry-run]',
  "budget show": "budget show --programme 1",
  "households register":
    "households register --roster roster.csv --region 110101001000 [--attestation-file attestation.pdf] [--dry-run]",
  "households recommit": "households recommit --roster roster.csv [--reason-file reason.pdf] [--dry-run]",
  "households import": "households import --predecessor old/deployed_addresses.json [--from-block 0]",
  "households suspend": "households suspend [--household 1234] --why deceased [--reason-file certificate.pdf]",
  "households reinstate": "households reinstate [--household 1234] [--reason-file decision.pdf]",
  "roster submit":
    "roster submit --programme 1 --region 110101001000 --roster roster.csv --out roster-1/ --document-uri https://town.example/公示.pdf [--dry-run]",
  "roster withdraw": "roster withdraw --roster 3 [--reason-file reason.pdf]",
  "roster close": "roster close --roster 3 [--reason-file reason.pdf]",
  "payout record": "payout record --roster 3 --bundle roster-1/roster-bundle.json [--chunk-size 2500] [--dry-run]",
  "dev advance-time": "dev advance-time --days 7",
  "review approve": "review approve --roster 3 [--dry-run]",
  "review reject": "review reject --roster 3 [--reason-file findings.pdf] [--dry-run]",
  "review confirm-close": "review confirm-close --roster 3 [--dry-run]",
  "review show": "review show --roster 3",
  "review sign": "review sign --roster 3 --out approval.json [--valid-hours 72]",
  "review relay": "review relay --roster 3 [--dry-run]",
  "publicity object": "publicity object --roster 3 --line 17 [--evidence-file objection.pdf] [--dry-run]",
  "publicity resolve":
    "publicity resolve --roster 3 --line 17 --bundle roster-1/roster-bundle.json [--uphold] [--dismiss] [--reason-file ruling.pdf] [--dry-run]",
  "bank settle": "bank settle --roster 3 --file bank-statement.csv [--dry-run]",
  "bank recover": "bank recover --reversal 2 --reference TX-20261130-0042 [--dry-run]",
  "reversal request": "reversal request --roster 3 --line 17 [--reason-file audit-finding.pdf] [--dry-run]",
  "reversal approve": "reversal approve --id 2 [--dry-run]",
  "reversal reject": "reversal reject --id 2 [--reason-file ruling.pdf] [--dry-run]",
  "reversal show": "reversal show --id 2",
  "resident check":
    "resident check --id-number 110101199001011234 --query-code ABCD-1234 [--rpc-url https://rpc.example]",
  "audit index": "audit index --db audit.sqlite [--rpc-url https://rpc.example]",
  "audit reconcile": "audit reconcile --db audit.sqlite [--programme 1] [--csv reconcile.csv]",
  "audit anomalies": "audit anomalies --db audit.sqlite [--csv anomalies.csv]",
  "audit offices": "audit offices --db audit.sqlite [--region 110101000000]",
  "audit trace": "audit trace --db audit.sqlite [--household 1234] [--roster 3]",
  "audit verify-roster": "audit verify-roster --roster 3 --list 公示名单.csv --bundle roster-1/roster-bundle.json",
  "audit verify-register": "audit verify-register --predecessor old/deployed_addresses.json",
  "audit report": "audit report --programme 1 [--region 110101001000] --pdf report.pdf",
  "audit export": "audit export --db audit.sqlite --table lines --csv lines.csv [--region 110101000000]",
  portal: "portal --rpc-url https://rpc.example --db portal.sqlite [--settings config.json]",
  "explorer sourcify": "explorer sourcify --out explorer-repo",
};

/** The options an example names: `required` outside [brackets], `optional` inside. */
export function exampleOptions(example: string): { required: string[]; optional: string[] } {
  const optional = [...example.matchAll(/\[--([a-z-]+)[^\]]*\]/g)].map((m) => m[1]!);
  const bare = example.replace(/\[[^\]]*\]/g, "");
  const required = [...bare.matchAll(/(?:^|\s)--([a-z-]+)/g)].map((m) => m[1]!);
  return { required, optional };
}

const kebab = (name: string) => name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);

/** `definition` with its example in the description and "(required)" on the options the example requires. */
export function withHelp(definition: TaskDefinition): TaskDefinition {
  const example = EXAMPLES[definition.id.join(" ")];
  if (example === undefined || !("options" in definition)) return definition;
  const { required } = exampleOptions(example);
  const options = Object.fromEntries(
    Object.entries(definition.options).map(([name, option]) => [
      name,
      required.includes(kebab(name)) ? { ...option, description: `${option.description} (required)` } : option,
    ]),
  );
  return {
    ...definition,
    description: `${(definition.description ?? "").replace(/\.$/, "")}. Example: npx hardhat ${example}`,
    options,
  };
}
