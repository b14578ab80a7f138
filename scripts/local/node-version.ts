// Owns the one Node.js requirement of the local stack: the SQS emulator (fauxqs) needs node:sqlite,
// Node 22.5+. `npm start`/`npm test` run under the project's own Node 24 (the `node` devDependency
// puts it first on PATH), so a machine whose own Node is 20 works; running a script with an older
// `node` directly fails here with one line instead of deep inside the emulator.
export const REQUIRED_NODE = "22.5";

export function nodeVersionProblem(version = process.versions.node): string | undefined {
  const [major = 0, minor = 0] = version.split(".").map(Number);
  if (major > 22 || (major === 22 && minor >= 5)) return undefined;
  return `payrail: the local stack needs Node ${REQUIRED_NODE}+ and this is Node ${version}; run it with \`npm start\` (or \`npm run …\`), which uses the project's own Node 24 from node_modules`;
}
