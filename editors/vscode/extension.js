// Starts `escape-route lsp` for YAML files and runs "Play from here" in a terminal.
// All the work is in the server (game/lsp/); this only connects VS Code to it.
const vscode = require("vscode");
const { LanguageClient } = require("vscode-languageclient/node");

let client;

function quote(word) {
  return /^[\w@%+=:,./-]+$/.test(word) ? word : `'${word.replace(/'/g, "'\\''")}'`;
}

function activate(context) {
  const settings = vscode.workspace.getConfiguration("escapeRoute");
  const [command, ...args] = settings.get("serverCommand");
  // Every YAML file goes to the server, which answers only for files in a folder with a story.yaml.
  client = new LanguageClient("escape-route", "3,500 Miles story", { command, args }, {
    documentSelector: [{ scheme: "file", language: "yaml" }],
  });
  context.subscriptions.push(vscode.commands.registerCommand("escape-route.playFrom", (node, root) => {
    const play = [...vscode.workspace.getConfiguration("escapeRoute").get("playCommand"), "--story", root, "--start", node];
    const terminal = vscode.window.createTerminal("3,500 Miles");
    terminal.show();
    terminal.sendText(play.map(quote).join(" "));
  }));
  return client.start();
}

function deactivate() {
  return client ? client.stop() : undefined;
}

module.exports = { activate, deactivate };
