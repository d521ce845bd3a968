import { parseBenchmark } from '../../grammar/bench';
console.log(parseBenchmark());
