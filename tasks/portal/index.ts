/**
 * The public portal's read service (阳光公示): follows the chain into its own index and serves the
 * portal's JSON API, read-only (src/portal). `npm run portal` starts it against the local node.
 */
import { task } from "hardhat/config";

import { auditOptions } from "../audit/index.js";

export const portalTasks = [
  auditOptions(
    task(
      "portal",
      "Serve the public portal's read-only API, following the chain into its index (--db) as blocks arrive",
    ),
    "portal.sqlite",
  )
    .addOption({ name: "host", description: "address to listen on", defaultValue: "127.0.0.1" })
    .addOption({ name: "port", description: "port to listen on", defaultValue: "8780" })
    .addOption({ name: "pollSeconds", description: "seconds between two looks at the chain", defaultValue: "2" })
    .addOption({
      name: "settings",
      description:
        "names of departments, regions and programmes, the residents' contact, the explorer and the nodes browsers check answers against (JSON; the residents' page config.json will do)",
      defaultValue: "",
    })
    .addOption({
      name: "publicUrl",
      description: "the portal's address as the public reaches it, for links in the warnings feed",
      defaultValue: "",
    })
    .setAction(() => import("./serve.js"))
    .build(),
];
