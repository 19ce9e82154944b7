/**
 * The warnings (预警) as an Atom feed, for an inspector's feed reader: one entry per finding, with an
 * id that stays the same while the finding stands (kind and subject), so a reader shows each once,
 * and the evidence (the transactions) in its content. Written by the `feed` library.
 */
import { Feed } from "feed";

import type { Finding } from "../audit/anomalies/findings.js";
import type { IndexHead } from "../indexer/index.js";

export function warningsFeed(
  findings: readonly Finding[],
  o: { chainId: bigint; head: IndexHead; publicUrl: string },
): string {
  const base = o.publicUrl.replace(/\/$/, "");
  const updated = o.head.time === undefined ? new Date(0) : new Date(o.head.time * 1000);
  const feed = new Feed({
    id: `urn:fund-disbursement:${o.chainId}:warnings`,
    title: `预警 Warnings — chain ${o.chainId}`,
    description: `Anomaly findings of the fund-disbursement index at block ${o.head.block}`,
    link: `${base}/#/warnings`,
    updated,
    generator: false,
    feedLinks: { atom: `${base}/api/warnings.atom` },
    copyright: "public record",
  });
  for (const f of findings) {
    const evidence = f.txs.map((tx) => `  ${tx}`).join("\n");
    feed.addItem({
      title: `${f.kind}: ${f.subject}`,
      id: `urn:fund-disbursement:${o.chainId}:warning:${f.kind}:${encodeURIComponent(f.subject)}`,
      link: `${base}/#/warnings/${encodeURIComponent(f.kind)}`,
      date: f.time ? new Date(f.time) : updated,
      description: f.detail,
      content: `${f.detail}\n\nblock ${f.block}; transactions:\n${evidence}`,
    });
  }
  return feed.atom1();
}
