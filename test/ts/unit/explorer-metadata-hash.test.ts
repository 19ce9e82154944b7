/**
 * The metadata hash primitives on their own: IPFS hashes against known vectors (the hashes of
 * solc-compiled contracts are checked in explorer-sourcify.test.ts), solc's CBOR tail read and
 * refused when malformed, and source names that could leave the repository refused.
 */
import { expect } from "chai";
import { concat, encodeBase58, getBytes, hexlify, toUtf8Bytes } from "ethers";

import { decodeCbor, embeddedMetadata, ipfsHash } from "../../../src/explorer/metadata-hash.js";
import { sourceFilePath } from "../../../src/explorer/sourcify.js";

/** solc's tail for `ipfs` + `solc` 0.8.30: a2 64 "ipfs" 58 22 <34 bytes> 64 "solc" 43 00 08 1e, then 0x0033. */
function solcTail(multihash: Uint8Array): string {
  return hexlify(
    concat([
      "0xa2",
      "0x64",
      toUtf8Bytes("ipfs"),
      "0x5822",
      multihash,
      "0x64",
      toUtf8Bytes("solc"),
      "0x4300081e",
      "0x0033",
    ]),
  );
}

describe("explorer metadata hash", () => {
  it("ipfsHash_matchesIpfsAdd_onKnownFiles", () => {
    // `ipfs add` of "hello world\n", and of an empty file (default chunker, CIDv0).
    expect(ipfsHash("hello world\n")).to.equal("QmT78zSuBmuS4z925WZfrqQ1qHaJ56DQaTfyMUF7F8ff5o");
    expect(ipfsHash(new Uint8Array())).to.equal("QmbFMke1KXqnYyBBWxB74N4c5SBnJMVAiMNRcGu6x1AwQH");
  });

  it("ipfsHash_revertsWhen_overOneBlock", () => {
    expect(() => ipfsHash(new Uint8Array(262_145))).to.throw(/over one IPFS block/);
    expect(() => ipfsHash(new Uint8Array(262_144))).not.to.throw();
  });

  it("embeddedMetadata_readsSolcsTail", () => {
    const multihash = Uint8Array.from([0x12, 0x20, ...new Array<number>(32).fill(7)]);
    const code = hexlify(concat(["0x6080604052", solcTail(multihash)]));
    expect(embeddedMetadata(code)).to.deep.equal({ ipfs: encodeBase58(multihash), solc: "0.8.30" });
  });

  it("embeddedMetadata_revertsWhen_noCborTail", () => {
    expect(() => embeddedMetadata("0x")).to.throw(/no code/);
    // A length that points before the code's start.
    expect(() => embeddedMetadata("0x60806040ffff")).to.throw(/does not end with solc's CBOR/);
    // A well-formed map without a hash: { "solc": h'00081e' }.
    const noHash = concat(["0x6080", "0xa1", "0x64", toUtf8Bytes("solc"), "0x4300081e", "0x000a"]);
    expect(() => embeddedMetadata(hexlify(noHash))).to.throw(/no metadata hash/);
  });

  it("decodeCbor_revertsWhen_trailingBytesOrUnsupported", () => {
    expect(decodeCbor(getBytes("0xa1616101"))).to.deep.equal(new Map([["a", 1]]));
    expect(() => decodeCbor(getBytes("0xa161610100"))).to.throw(/trailing bytes/);
    expect(() => decodeCbor(getBytes("0x20"))).to.throw(/major type 1/); // -1
    expect(() => decodeCbor(getBytes("0x5f"))).to.throw(/length encoding 31/); // indefinite bytes
    expect(() => decodeCbor(getBytes("0x5805"))).to.throw(/truncated/);
  });

  it("sourceFilePath_keepsNames_andRefusesEscapes", () => {
    expect(sourceFilePath("project/contracts/Disbursement.sol")).to.equal("project/contracts/Disbursement.sol");
    expect(sourceFilePath("npm/@openzeppelin/contracts@5.7.0/access/manager/AccessManager.sol")).to.equal(
      "npm/@openzeppelin/contracts@5.7.0/access/manager/AccessManager.sol",
    );
    expect(sourceFilePath("c:/x.sol")).to.equal("c_/x.sol");
    for (const bad of ["../x.sol", "a/../../x.sol", "/etc/x.sol", "a\\b.sol", "a//b.sol", "./a.sol"])
      expect(() => sourceFilePath(bad), bad).to.throw(/cannot be a path/);
  });
});
