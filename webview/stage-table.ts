// The paper-style stage table (ResNet paper Table 1): stage, output size, blocks, params, MACs.

import type { StageRow } from "../src/analysis/stages";
import { formatScaled, formatShape } from "../src/cli/format";
import { el } from "./dom";

export function createStageTable(stages: StageRow[], onSelect: (nodeId: string) => void): HTMLElement {
  if (stages.length === 0) return el("section", { className: "rg-stages", attrs: { hidden: "" } });
  const body = el(
    "tbody",
    {},
    stages.map((s) => {
      const tr = el("tr", { attrs: { "data-stage": s.name } }, [
        el("td", { text: s.name }),
        el("td", { text: formatShape(s.outputShape) }),
        el("td", { className: "rg-num", text: s.kind === "stage" ? String(s.blockCount) : "--" }),
        el("td", { className: "rg-num", text: formatScaled(s.params) }),
        el("td", { className: "rg-num", text: formatScaled(s.macs) }),
      ]);
      const last = s.nodes[s.nodes.length - 1];
      if (last) tr.addEventListener("click", () => onSelect(last));
      return tr;
    }),
  );
  const head = el("thead", {}, [
    el("tr", {}, ["Stage", "Output size", "Blocks", "Params", "MACs"].map((h, i) => el("th", { text: h, className: i >= 2 ? "rg-num" : "" }))),
  ]);
  return el("section", { className: "rg-stages" }, [
    el("h2", { text: "Stages" }),
    el("div", { className: "rg-stage-wrap" }, [el("table", { className: "rg-table", attrs: { "data-role": "stage-table" } }, [head, body])]),
  ]);
}
