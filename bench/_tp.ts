import { benchThroughput } from './workflow.js';
const r = await benchThroughput('redis', Number(process.argv[2] ?? 2000));
console.log(r.alertsPerSecond.toFixed(1));
process.exit(0);
