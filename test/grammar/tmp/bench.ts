import { parseBenchmark } from '../../../grammar/bench';
console.log(JSON.stringify(parseBenchmark(100, 5)));
console.log(JSON.stringify(parseBenchmark(1000, 3)));
