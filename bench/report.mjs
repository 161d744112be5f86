/**
 * Turns bench/results.json into the report: bench/chart.svg, the Results
 * section of bench/README.md, and the tables on stdout. run.mjs calls it at
 * the end of a run; run it alone to re-render the last results:
 *
 *   node bench/report.mjs
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { renderChart } from './chart.mjs';
import { updateReadme } from './lib/readme-results.mjs';
import { buildTables, tablesToText } from './lib/tables.mjs';

const file = (name) => fileURLToPath(new URL(name, import.meta.url));

/** Writes chart.svg and the README section for `results`; returns the text tables. */
export function writeReport(results) {
  writeFileSync(file('chart.svg'), renderChart(results));
  updateReadme(file('README.md'), results);
  return tablesToText(buildTables(results));
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  console.log(writeReport(JSON.parse(readFileSync(file('results.json'), 'utf8'))));
  console.log('\nwrote bench/chart.svg and the Results section of bench/README.md');
}
