// Runs the GraphQL-over-HTTP spec's server audits (npm graphql-http) against a running server
// and fails on any MUST or SHOULD that does not pass. MAY audits are reported, not required.
import { auditServer } from 'graphql-http';

const url = process.argv[2];
if (!url) {
  console.error('usage: node audit.mjs http://127.0.0.1:PORT/graphql');
  process.exit(2);
}
const results = await auditServer({ url });
let failures = 0;
const counts = { MUST: [0, 0], SHOULD: [0, 0], MAY: [0, 0] };
for (const result of results) {
  const level = result.name.split(' ')[0];
  const bucket = counts[level] ?? (counts[level] = [0, 0]);
  bucket[1] += 1;
  if (result.status === 'ok') {
    bucket[0] += 1;
  } else if (level === 'MUST' || level === 'SHOULD') {
    failures += 1;
    console.error(`FAIL ${result.id} ${result.name}: ${result.reason}`);
  } else {
    console.log(`note ${result.id} ${result.name}: ${result.reason}`);
  }
}
for (const [level, [passed, total]] of Object.entries(counts)) {
  console.log(`${level}: ${passed}/${total} pass`);
}
process.exit(failures === 0 ? 0 : 1);
