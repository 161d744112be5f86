// The import boundaries of DESIGN.md, read by dependency-cruiser: no cycles between folders; the
// package never imports the application; everything outside the package reaches it only through
// its public entries, by name. Prints a report as JSON (`--json`) or as lines; exits 1 on a breach.
// Run with plain node: under tsx, dependency-cruiser's swc visitor does not load.
import { fileURLToPath } from 'node:url';
import { cruise } from 'dependency-cruiser';

const PACKAGE = 'packages/latchkey/';
const PUBLIC_ENTRIES = ['latchkey', 'latchkey/testing'];

process.chdir(fileURLToPath(new URL('..', import.meta.url))); // dependency-cruiser reports paths relative to here
const { output } = await cruise(['src', 'test', 'scripts', 'bench', 'examples', `${PACKAGE}src`, `${PACKAGE}test`], {
  // swc reads TypeScript, type-only imports included; TypeScript 7 has no JavaScript API to lend
  parser: 'swc',
  tsPreCompilationDeps: true,
  doNotFollow: { path: 'node_modules' },
  exclude: { path: ['/node_modules/', '/dist/', '^data/', '^bench/\\.tmp/'] },
  enhancedResolveOptions: {
    exportsFields: ['exports'],
    conditionNames: ['latchkey-source', 'import', 'node', 'default'],
    extensions: ['.ts', '.js', '.mjs'],
  },
  validate: true,
  ruleSet: {
    forbidden: [
      { name: 'no-cycles-between-folders', severity: 'error', scope: 'folder', from: {}, to: { circular: true } },
      {
        name: 'package-never-imports-the-app',
        severity: 'error',
        from: { path: `^${PACKAGE}` },
        to: { pathNot: [`^${PACKAGE}`, '^node_modules/'], dependencyTypesNot: ['core'] },
      },
    ],
  },
});

const describe = (violation) =>
  `${violation.rule.name}: ${violation.from} -> ${violation.to}${violation.cycle ? ` (cycle: ${violation.cycle.map((step) => step.name).join(' -> ')})` : ''}`;
const report = {
  cruised: output.modules.map((module) => module.source),
  unresolved: output.modules.filter((module) => module.couldNotResolve && !module.coreModule).map((module) => module.source),
  folderCycles: output.summary.violations.filter((violation) => violation.rule.name === 'no-cycles-between-folders').map(describe),
  packageImportsApp: output.summary.violations.filter((violation) => violation.rule.name === 'package-never-imports-the-app').map(describe),
  reachingIntoPackage: output.modules
    .filter((module) => !module.source.startsWith(PACKAGE))
    .flatMap((module) =>
      module.dependencies
        .filter((dependency) => dependency.resolved.startsWith(PACKAGE) && !PUBLIC_ENTRIES.includes(dependency.module))
        .map((dependency) => `${module.source} imports '${dependency.module}'`),
    ),
};
const breaches = [...report.unresolved.map((source) => `unresolved: ${source}`), ...report.folderCycles, ...report.packageImportsApp, ...report.reachingIntoPackage];
if (process.argv.includes('--json')) console.log(JSON.stringify(report));
else console.log(breaches.length === 0 ? `import boundaries kept (${report.cruised.length} modules)` : breaches.join('\n'));
process.exitCode = breaches.length === 0 ? 0 : 1;
