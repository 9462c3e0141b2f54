// "The slowest block is one click away": the residual block with the largest summed median in a
// profile result, and the id of its box in the view model (src/view/view-groups.ts names block
// groups "block:<analysis block id>").

import type { GroupProfile, ProfileResult } from "../src/profile/result";

export interface SlowestBlock extends GroupProfile {
  groupId: string;
}

export function slowestBlockGroup(result: ProfileResult): SlowestBlock | null {
  let best: GroupProfile | null = null;
  for (const b of result.blocks) if (b.profiledNodes > 0 && (best === null || b.medianMs > best.medianMs)) best = b;
  return best ? { ...best, groupId: `block:${best.id}` } : null;
}
