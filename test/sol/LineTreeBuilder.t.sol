// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.30;

import {MerkleProof} from "@openzeppelin/contracts/utils/cryptography/MerkleProof.sol";
import {QuietTest} from "./QuietBound.sol";

import {LineLeaf} from "../../contracts/libraries/LineLeaf.sol";
import {LineTreeBuilder} from "../../contracts/libraries/LineTreeBuilder.sol";
import {RosterTree} from "./invariant/RosterTree.sol";
import {LineTreeBuilderHarness} from "./LineTreeBuilderHarness.sol";

/// @notice LineTreeBuilder, the on-chain root of a roster's lines built over several transactions,
/// against RosterTree (OpenZeppelin's StandardMerkleTree rebuilt in Solidity) and OpenZeppelin's
/// proof verifiers. Each chunk of lines runs in its own external call that resumes from the frontier
/// the previous chunk left, passed in calldata, as RosterLines does.
///
/// The reference frontier after `k` lines (`_reference`): the nodes whose subtree holds only lines
/// below `k` (complete) and whose parent's does not, ascending, each with its hash in the tree. A node
/// waits exactly while its sibling is incomplete, so these are the builder's waiting nodes.
contract LineTreeBuilderTest is QuietTest {
    LineTreeBuilderHarness internal h;

    function setUp() public {
        h = new LineTreeBuilderHarness();
    }

    /// @dev A frontier that is well formed but not the one the lines before `index` leave: the slot
    /// the next line would wait in is taken, and `add` refuses rather than overwrite it.
    function test_add_revertsWhen_slotTaken() public {
        // Four lines: nodes 3…6, line i at node 6 - i. Line 3 (node 3, a left child at depth 2) would
        // wait in the slot the frontier says node 5 holds.
        bytes32[] memory frontier = new bytes32[](2);
        (frontier[0], frontier[1]) = (bytes32(uint256(5)), keccak256("some leaf"));
        bytes32[] memory leaves = new bytes32[](1);
        leaves[0] = keccak256("line 3");
        vm.expectRevert(abi.encodeWithSelector(LineTreeBuilder.LineTreeBuilderSlotTaken.selector, uint256(3)));
        h.addLeaves(4, frontier, 3, leaves);
    }

    // ------------------------------------------------------------------------------- helpers

    /// @dev The leaves of a roster of `n` lines with households and amounts drawn from `seed`.
    function _leaves(uint256 n, uint256 seed) internal pure returns (bytes32[] memory leaves) {
        leaves = new bytes32[](n);
        for (uint256 i = 0; i < n; ++i) {
            uint64 household = uint64(uint256(keccak256(abi.encode(seed, "household", i))) % 1_000_000) + 1;
            uint128 amount = uint128(uint256(keccak256(abi.encode(seed, "amount", i))) % 2_000_000) + 1;
            leaves[i] = RosterTree.leaf(uint32(i), household, amount);
        }
    }

    function _slice(bytes32[] memory a, uint256 from, uint256 to) internal pure returns (bytes32[] memory s) {
        s = new bytes32[](to - from);
        for (uint256 i = from; i < to; ++i) s[i - from] = a[i];
    }

    /// @dev The frontier after the first `k` lines of the roster whose tree is `tree` (see the notice).
    function _reference(bytes32[] memory tree, uint256 k) internal pure returns (bytes32[] memory pairs) {
        uint256 size = tree.length;
        uint256 n = (size + 1) / 2;
        bool[] memory complete = new bool[](size);
        for (uint256 v = size; v > 0;) {
            --v;
            complete[v] = v >= n - 1 ? 2 * n - 2 - v < k : complete[2 * v + 1] && complete[2 * v + 2];
        }
        uint256 count = 0;
        for (uint256 v = 1; v < size; ++v) {
            if (complete[v] && !complete[(v - 1) / 2]) ++count;
        }
        pairs = new bytes32[](2 * count);
        uint256 c = 0;
        for (uint256 v = 1; v < size; ++v) {
            if (complete[v] && !complete[(v - 1) / 2]) {
                pairs[c++] = bytes32(v);
                pairs[c++] = tree[v];
            }
        }
    }

    /// @dev A frontier of a roster of `n` lines is pairs of words, ascending by node, every node a
    /// node of the tree other than the root.
    function _assertWellFormed(bytes32[] memory frontier, uint256 n) internal pure {
        assertEq(frontier.length % 2, 0, "a frontier is pairs");
        assertLe(frontier.length, 4 * LineTreeBuilder.DEPTHS, "at most two nodes per depth");
        uint256 previous = 0;
        for (uint256 i = 0; i < frontier.length; i += 2) {
            uint256 node = uint256(frontier[i]);
            assertGt(node, previous, "nodes ascending (and never the root)");
            assertLt(node, 2 * n - 1, "nodes inside the tree");
            previous = node;
        }
    }

    /// @dev Ends of 1-4 consecutive chunks of `n` lines, ascending, the last `n`.
    function _cuts(uint256 n, uint256 seed) internal pure returns (uint256[] memory ends) {
        uint256 wanted = n == 1 ? 0 : bound(seed, 0, 3); // cuts inside the roster
        uint256[] memory c = new uint256[](wanted + 1);
        uint256 count = 0;
        for (uint256 j = 0; j < wanted; ++j) {
            uint256 r = uint256(keccak256(abi.encode(seed, j)));
            // Half of the cuts near either end, where chunks of one or two lines meet the frontier's edges.
            uint256 cut = r % 4 == 0 ? 1 + (r >> 8) % 2 : r % 4 == 1 ? n - 1 - (r >> 8) % 2 : 1 + (r >> 8) % (n - 1);
            if (cut < 1) cut = 1;
            if (cut > n - 1) cut = n - 1;
            // Insert in order, once.
            uint256 at = count;
            bool seen = false;
            for (uint256 k = 0; k < count; ++k) {
                if (c[k] == cut) seen = true;
                if (c[k] > cut && at == count) at = k;
            }
            if (seen) continue;
            for (uint256 k = count; k > at; --k) c[k] = c[k - 1];
            c[at] = cut;
            ++count;
        }
        c[count++] = n;
        ends = new uint256[](count);
        for (uint256 k = 0; k < count; ++k) ends[k] = c[k];
    }

    /// @dev Builds the roster `leaves` chunk by chunk (chunk ends `ends`), each chunk in its own call
    /// resuming from the previous one's frontier, checking every frontier against the reference.
    function _buildInChunks(bytes32[] memory leaves, bytes32[] memory tree, uint256[] memory ends)
        internal
        view
        returns (bytes32 root)
    {
        uint256 n = leaves.length;
        bytes32[] memory frontier = new bytes32[](0);
        uint256 first = 0;
        for (uint256 c = 0; c < ends.length; ++c) {
            bytes32 hash;
            (root, frontier, hash) = h.addLeaves(n, frontier, first, _slice(leaves, first, ends[c]));
            assertEq(hash, keccak256(abi.encodePacked(frontier)), "frontierHash = keccak256 of the frontier's words");
            _assertWellFormed(frontier, n);
            assertEq(
                keccak256(abi.encode(frontier)),
                keccak256(abi.encode(_reference(tree, ends[c]))),
                "frontier = the complete nodes whose parent is not"
            );
            if (ends[c] < n) assertEq(root, bytes32(0), "no root before the last line");
            first = ends[c];
        }
        assertEq(frontier.length, 0, "the frontier is empty after the last line");
        assertEq(keccak256(abi.encodePacked(frontier)), keccak256(""), "its hash is keccak256 of nothing");
    }

    // ------------------------------------------------------------------------------- roots

    /// @notice Any roster of 1-700 lines, in 1-4 chunks: the root is StandardMerkleTree's, and
    /// OpenZeppelin verifies a line's proof and a multiproof against it.
    function testFuzz_chunks_buildTheStandardMerkleRoot(uint256 nSeed, uint256 seed, uint256 splitSeed, uint256 pick)
        public
        view
    {
        uint256 n = bound(nSeed, 1, 700);
        bytes32[] memory leaves = _leaves(n, seed);
        bytes32[] memory tree = RosterTree.build(leaves);
        bytes32 root = _buildInChunks(leaves, tree, _cuts(n, splitSeed));
        assertEq(root, tree[0], "root = StandardMerkleTree's root");

        uint256 k = pick % n;
        assertTrue(MerkleProof.verify(RosterTree.proof(tree, k), root, leaves[k]), "OpenZeppelin verifies a line's proof");
        // A multiproof of some of the first 256 lines.
        uint256 span = n < 256 ? n : 256;
        uint256 mask = (pick >> 16) & (span == 256 ? type(uint256).max : (uint256(1) << span) - 1);
        if (mask == 0) mask = uint256(1) << k % span;
        (, bytes32[] memory batch, bytes32[] memory proof, bool[] memory flags) = RosterTree.multiProof(tree, mask);
        assertTrue(MerkleProof.multiProofVerify(proof, flags, root, batch), "OpenZeppelin verifies a multiproof");
    }

    /// @notice Every roster of up to 17 lines, split once at every line, and line by line.
    function test_chunks_everySplitOfSmallRosters() public view {
        for (uint256 n = 1; n <= 17; ++n) {
            bytes32[] memory leaves = _leaves(n, n);
            bytes32[] memory tree = RosterTree.build(leaves);
            for (uint256 k = 1; k < n; ++k) {
                uint256[] memory ends = new uint256[](2);
                (ends[0], ends[1]) = (k, n);
                assertEq(_buildInChunks(leaves, tree, ends), tree[0], "two chunks: root");
            }
            uint256[] memory each = new uint256[](n);
            for (uint256 i = 0; i < n; ++i) each[i] = i + 1;
            assertEq(_buildInChunks(leaves, tree, each), tree[0], "line by line: root");
        }
    }

    /// @notice The leaf the contract hashes (LineLeaf.hashOf) is the reference leaf.
    function testFuzz_leaf_isTheStandardLeaf(uint32 index, uint64 household, uint128 amount) public pure {
        assertEq(LineLeaf.hashOf(index, household, amount), RosterTree.leaf(index, household, amount));
    }

    // ------------------------------------------------------------------------------- exact small cases

    /// @dev After the first `k` lines of the `n`-line roster, the frontier holds the nodes `nodes`
    /// (one byte each), with their hashes in the tree; after all `n`, the root.
    function _expect(uint256 n, uint256 k, bytes memory nodes) internal view {
        bytes32[] memory leaves = _leaves(n, 7);
        bytes32[] memory tree = RosterTree.build(leaves);
        (bytes32 root, bytes32[] memory frontier,) = h.addLeaves(n, new bytes32[](0), 0, _slice(leaves, 0, k));
        string memory what = string.concat("n = ", vm.toString(n), ", k = ", vm.toString(k));
        assertEq(frontier.length, 2 * nodes.length, what);
        for (uint256 i = 0; i < nodes.length; ++i) {
            uint256 node = uint8(nodes[i]);
            assertEq(uint256(frontier[2 * i]), node, what);
            assertEq(frontier[2 * i + 1], tree[node], what);
        }
        assertEq(root, k == n ? tree[0] : bytes32(0), what);
        if (k == n) return;
        // The rest of the lines, resumed from that frontier, give the root.
        (bytes32 rest,,) = h.addLeaves(n, frontier, k, _slice(leaves, k, n));
        assertEq(rest, tree[0], what);
    }

    function test_exact_oneLine() public view {
        _expect(1, 0, "");
        _expect(1, 1, ""); // the leaf is the root
        bytes32[] memory leaves = _leaves(1, 7);
        (bytes32 root,,) = h.addLeaves(1, new bytes32[](0), 0, leaves);
        assertEq(root, leaves[0]);
    }

    function test_exact_twoLines() public view {
        _expect(2, 1, hex"02");
        _expect(2, 2, "");
    }

    function test_exact_threeLines() public view {
        // Lines 0 and 1 at depth 2 (nodes 4, 3), line 2 at depth 1 (node 2).
        _expect(3, 1, hex"04");
        _expect(3, 2, hex"01"); // waits for line 2, the last
        _expect(3, 3, "");
    }

    function test_exact_fourLines() public view {
        _expect(4, 1, hex"06");
        _expect(4, 2, hex"02");
        _expect(4, 3, hex"0204");
        _expect(4, 4, "");
    }

    function test_exact_fiveLines() public view {
        // Lines 0 and 1 at depth 3 (nodes 8, 7), lines 2-4 at depth 2 (nodes 6, 5, 4).
        _expect(5, 1, hex"08");
        _expect(5, 2, hex"03"); // a left child waiting for line 4, the last
        _expect(5, 3, hex"0306");
        _expect(5, 4, hex"0203");
        _expect(5, 5, "");
    }

    function test_exact_eightLines() public view {
        _expect(8, 1, hex"0e");
        _expect(8, 2, hex"06");
        _expect(8, 3, hex"060c");
        _expect(8, 4, hex"02");
        _expect(8, 5, hex"020a");
        _expect(8, 6, hex"0204");
        _expect(8, 7, hex"020408");
        _expect(8, 8, "");
    }

    function test_exact_nineLines() public view {
        // Lines 0 and 1 at depth 4 (nodes 16, 15), lines 2-8 at depth 3 (nodes 14 ... 8); node 7, their
        // parent, waits for node 8 (the last line) while depth 3 runs through the others.
        _expect(9, 1, hex"10");
        _expect(9, 2, hex"07");
        _expect(9, 3, hex"070e");
        _expect(9, 4, hex"0607");
        _expect(9, 5, hex"06070c");
        _expect(9, 6, hex"0207");
        _expect(9, 7, hex"02070a");
        _expect(9, 8, hex"020407");
        _expect(9, 9, "");
    }

    /// @notice The largest roster (2^32 - 1 lines): the deepest depth (32) holds all but one line, and
    /// depth 31 holds a right and a left child waiting at once, the right one the smaller node.
    function test_exact_largestRoster_twoWaitingAtOneDepth() public view {
        uint256 n = type(uint32).max;
        bytes32[] memory leaves = _leaves(4, 3);
        (bytes32 root, bytes32[] memory frontier, bytes32 hash) = h.addLeaves(n, new bytes32[](0), 0, leaves);
        assertEq(root, bytes32(0));
        assertEq(frontier.length, 4);
        assertEq(uint256(frontier[0]), (uint256(1) << 32) - 4, "right child: lines 2 and 3");
        assertEq(frontier[1], RosterTree.hashPair(leaves[2], leaves[3]));
        assertEq(uint256(frontier[2]), (uint256(1) << 32) - 3, "left child: lines 0 and 1, waiting for the last line");
        assertEq(frontier[3], RosterTree.hashPair(leaves[0], leaves[1]));
        assertEq(hash, keccak256(abi.encodePacked(frontier)));
        // Resumed in another call, the next two lines pair on depth 31 with nothing else waiting there.
        bytes32[] memory more = _leaves(6, 3);
        (, bytes32[] memory next,) = h.addLeaves(n, frontier, 4, _slice(more, 4, 6));
        assertEq(next.length, 4);
        // Lines 4 and 5 pair on depth 32, their node with lines 2-3 on depth 31; that node, a left child
        // of depth 30, waits for its sibling (lines 0, 1 and the last).
        assertEq(uint256(next[0]), (uint256(1) << 31) - 3, "depth 30: lines 2-5");
        assertEq(next[1], RosterTree.hashPair(frontier[1], RosterTree.hashPair(more[4], more[5])));
        assertEq(uint256(next[2]), (uint256(1) << 32) - 3);
    }

    // ------------------------------------------------------------------------------- bad frontiers

    function _pairs(uint256[] memory nodes) internal pure returns (bytes32[] memory f) {
        f = new bytes32[](2 * nodes.length);
        for (uint256 i = 0; i < nodes.length; ++i) {
            f[2 * i] = bytes32(nodes[i]);
            f[2 * i + 1] = keccak256(abi.encode("hash", nodes[i]));
        }
    }

    function _nodes2(uint256 a, uint256 b) internal pure returns (bytes32[] memory) {
        uint256[] memory nodes = new uint256[](2);
        (nodes[0], nodes[1]) = (a, b);
        return _pairs(nodes);
    }

    function _nodes1(uint256 a) internal pure returns (bytes32[] memory) {
        uint256[] memory nodes = new uint256[](1);
        nodes[0] = a;
        return _pairs(nodes);
    }

    function _expectBad(uint256 n, bytes32[] memory frontier) internal {
        vm.expectRevert(LineTreeBuilder.LineTreeBuilderBadFrontier.selector);
        h.resume(n, frontier);
        // The same frontier with lines to add is refused before any line.
        bytes32[] memory one = new bytes32[](1);
        vm.expectRevert(LineTreeBuilder.LineTreeBuilderBadFrontier.selector);
        h.addLeaves(n, frontier, 1, one);
    }

    function test_resume_revertsWhen_oddLength() public {
        bytes32[] memory f = new bytes32[](1);
        f[0] = bytes32(uint256(7));
        _expectBad(9, f);
        bytes32[] memory three = new bytes32[](3);
        (three[0], three[1], three[2]) = (bytes32(uint256(2)), keccak256("h"), bytes32(uint256(7)));
        _expectBad(9, three);
    }

    function test_resume_revertsWhen_notAscending() public {
        _expectBad(9, _nodes2(7, 6));
        _expectBad(9, _nodes2(14, 2));
    }

    function test_resume_revertsWhen_duplicateNode() public {
        _expectBad(9, _nodes2(7, 7));
        _expectBad(9, _nodes2(8, 8));
    }

    function test_resume_revertsWhen_nodeZero() public {
        _expectBad(9, _nodes1(0));
        _expectBad(1, _nodes1(0)); // a one-line roster's only node is its root
        _expectBad(9, _nodes2(0, 7));
    }

    function test_resume_revertsWhen_nodeOutsideTheTree() public {
        _expectBad(9, _nodes1(17)); // 2n - 1
        _expectBad(9, _nodes2(7, 1000));
        _expectBad(9, _nodes1(type(uint256).max));
        _expectBad(2, _nodes1(3));
        _expectBad(1, _nodes1(1));
        // 2n - 2 is the first line's leaf: a node of the tree.
        bytes32[] memory last = _nodes1(16);
        assertEq(keccak256(abi.encode(h.resume(9, last))), keccak256(abi.encode(last)));
    }

    function test_resume_revertsWhen_twoLeftNodesAtOneDepth() public {
        _expectBad(9, _nodes2(7, 9)); // both odd, depth 3
        _expectBad(9, _nodes2(3, 5)); // both odd, depth 2
    }

    function test_resume_revertsWhen_twoRightNodesAtOneDepth() public {
        _expectBad(9, _nodes2(8, 10)); // both even, depth 3
        _expectBad(9, _nodes2(4, 6)); // both even, depth 2
    }

    /// @notice A left and a right node at one depth, one per depth elsewhere: accepted, and the builder
    /// gives back exactly the frontier it was resumed from.
    function test_resume_roundTripsAWellFormedFrontier() public view {
        uint256[] memory nodes = new uint256[](4);
        (nodes[0], nodes[1], nodes[2], nodes[3]) = (2, 4, 7, 8);
        bytes32[] memory f = _pairs(nodes);
        assertEq(keccak256(abi.encode(h.resume(9, f))), keccak256(abi.encode(f)));
        assertEq(h.resume(9, new bytes32[](0)).length, 0);
    }

    /// @notice Any list of words: `resume` either refuses it (LineTreeBuilderBadFrontier) or it is a
    /// well-formed frontier (pairs, nodes ascending inside the tree and not the root, at most one odd
    /// and one even node per depth), which the builder then gives back unchanged.
    function testFuzz_resume_acceptsExactlyTheWellFormedFrontiers(uint256 nSeed, uint256 lengthSeed, uint256 seed)
        public
        view
    {
        uint256 n = bound(nSeed, 1, 40);
        uint256 len = bound(lengthSeed, 0, 12);
        bytes32[] memory f = new bytes32[](len);
        uint256 node = 0;
        for (uint256 i = 0; i < len; ++i) {
            uint256 r = uint256(keccak256(abi.encode(seed, i)));
            if (i % 2 == 1) {
                f[i] = bytes32(r);
                continue;
            }
            // Mostly ascending steps inside the tree; sometimes a repeat, a step back, zero or past the tree.
            uint256 how = r % 16;
            if (how == 0) node = 0;
            else if (how == 1 && node > 0) node -= 1;
            else if (how == 2) node = 2 * n - 1 + (r >> 8) % 3;
            else if (how != 3) node += 1 + (r >> 8) % 4;
            f[i] = bytes32(node);
        }
        bool wellFormed = _wellFormed(f, n);
        try h.resume(n, f) returns (bytes32[] memory back) {
            assertTrue(wellFormed, "accepted a malformed frontier");
            assertEq(keccak256(abi.encode(back)), keccak256(abi.encode(f)), "round trip");
        } catch (bytes memory err) {
            assertFalse(wellFormed, "refused a well-formed frontier");
            assertEq(bytes4(err), LineTreeBuilder.LineTreeBuilderBadFrontier.selector, "refused as a bad frontier");
        }
    }

    function _wellFormed(bytes32[] memory f, uint256 n) internal pure returns (bool) {
        if (f.length % 2 != 0) return false;
        uint256 previous = 0;
        uint256 oddDepths = 0;
        uint256 evenDepths = 0;
        for (uint256 i = 0; i < f.length; i += 2) {
            uint256 node = uint256(f[i]);
            if (node <= previous || node > 2 * n - 2) return false;
            previous = node;
            uint256 depth = 0;
            while ((uint256(2) << depth) <= node + 1) ++depth;
            uint256 bit = uint256(1) << depth;
            if (node % 2 == 1) {
                if (oddDepths & bit != 0) return false;
                oddDepths |= bit;
            } else {
                if (evenDepths & bit != 0) return false;
                evenDepths |= bit;
            }
        }
        return true;
    }
}
