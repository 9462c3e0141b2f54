// Residual blocks as the view shows them: the analysis' members (fork exclusive, merge inclusive)
// plus the parameter-free activation right after the merge (the ReLU after the add belongs to the
// block in the ResNet paper's figures and in the module tree), so consecutive blocks sit flush.

import type { GraphAnalysis, ModelSummary } from "../analysis/summary";
import type { GraphIndex } from "../analysis/graph-index";
import type { ResidualBlock } from "../analysis/residual";
import type { StageRow } from "../analysis/stages";

/**
 * The fields of a residual block the view reads. Both the analysis' ResidualBlock and the summary's
 * BlockSummary carry them, so the view reads either without copying it.
 */
export type BlockFacts = Readonly<
  Pick<ResidualBlock, "id" | "shortcut" | "nodes" | "mergeNode" | "forkNode" | "shortcutPath" | "inChannels" | "outChannels" | "scope">
>;

export type StageFacts = Readonly<Pick<StageRow, "kind" | "name" | "blocks">>;

export interface AnalysisFacts {
  blocks: readonly BlockFacts[];
  stages: readonly StageFacts[];
}

/** Accepts either analysis shape (the renderer holds a ModelSummary, the CLI a GraphAnalysis). */
export function analysisFacts(a: GraphAnalysis | ModelSummary): AnalysisFacts {
  return { blocks: "blocks" in a ? a.blocks : a.residualBlocks, stages: a.stages };
}

/** A block's member positions (topological indices, ascending), tail included. */
export interface ViewBlock {
  facts: BlockFacts;
  members: number[];
}

const TAIL_CATEGORIES = new Set(["activation", "dropout"]);

export function viewBlocks(blocks: readonly BlockFacts[], index: GraphIndex): ViewBlock[] {
  const { nodes, preds, indexOf } = index;
  const consumers = new Int32Array(nodes.length);
  const onlyConsumer = new Int32Array(nodes.length).fill(-1);
  preds.forEach((ps, v) => {
    for (const p of ps) {
      consumers[p]++;
      onlyConsumer[p] = v;
    }
  });
  const blockCount = new Int32Array(nodes.length);
  const memberLists = blocks.map((b) => b.nodes.map((id) => indexOf.get(id)).filter((v): v is number => v !== undefined));
  for (const list of memberLists) for (const v of list) blockCount[v]++;

  return blocks.map((facts, i) => {
    const members = memberLists[i];
    const merge = indexOf.get(facts.mergeNode);
    if (merge !== undefined) {
      const prefix = facts.scope === "" ? "" : `${facts.scope}/`;
      let cur = merge;
      for (;;) {
        if (consumers[cur] !== 1) break;
        const w = onlyConsumer[cur];
        const n = nodes[w];
        const inScope = prefix === "" || n.scope === facts.scope || n.scope.startsWith(prefix);
        // Only a node that no other (non-enclosing) block claims: nested blocks keep their own.
        const free = blockCount[w] === blockCount[merge] - 1;
        if (!TAIL_CATEGORIES.has(n.category) || n.params !== 0 || preds[w].length !== 1 || !inScope || !free) break;
        members.push(w);
        cur = w;
      }
    }
    members.sort((a, b) => a - b);
    return { facts, members };
  });
}
