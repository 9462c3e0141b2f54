// Runs inside desktop VS Code (extension host) under @vscode/test-electron: the extension activates on a
// Python model, exposes its commands, opens the graph and reports the analyzer's diagnostics.
const assert = require("node:assert/strict");
const path = require("node:path");
const vscode = require("vscode");

async function waitFor(check, what, timeoutMs = 20000) {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await check();
    if (v) return v;
    if (Date.now() > end) throw new Error(`Timed out waiting for ${what}.`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

exports.run = async function run() {
  const folder = vscode.workspace.workspaceFolders[0].uri.fsPath;
  const doc = await vscode.workspace.openTextDocument(path.join(folder, "torch_resnet.py"));
  const editor = await vscode.window.showTextDocument(doc);

  const commands = await vscode.commands.getCommands(true);
  for (const c of ["resgraph.showGraph", "resgraph.profileGpu", "resgraph.exportGraph"]) assert.ok(commands.includes(c), `command ${c} is registered`);

  // CodeLens above the model factories carries the one-line summary.
  const lenses = await waitFor(async () => {
    const l = await vscode.commands.executeCommand("vscode.executeCodeLensProvider", doc.uri);
    return l && l.some((x) => x.command && /params/.test(x.command.title)) ? l : undefined;
  }, "the CodeLens summary");
  assert.ok(lenses.some((x) => x.command.title.includes("11.7 M params")), "resnet18() lens shows 11.7 M params");

  await vscode.commands.executeCommand("resgraph.showGraph");
  await waitFor(() => vscode.window.tabGroups.all.some((g) => g.tabs.some((t) => /graph/i.test(t.label))), "the graph panel");

  // A shape error shows up in the Problems panel for this file, and goes away when undone.
  const line = doc.getText().split("\n").findIndex((l) => l.includes("self.conv2 = conv3x3(planes, planes)"));
  assert.ok(line >= 0, "the BasicBlock conv2 line exists");
  await editor.edit((e) => e.replace(new vscode.Range(line, 0, line, doc.lineAt(line).text.length), doc.lineAt(line).text.replace("conv3x3(planes, planes)", "conv3x3(planes * 2, planes)")));
  await waitFor(() => vscode.languages.getDiagnostics(doc.uri).some((d) => /expects/.test(d.message)), "a shape diagnostic");
  await vscode.commands.executeCommand("undo");
  await waitFor(() => !vscode.languages.getDiagnostics(doc.uri).some((d) => /expects/.test(d.message)), "the diagnostic to clear");
};
