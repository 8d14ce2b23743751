// `--threads`: how many threads training, evaluation and export use.
import { availableParallelism } from 'node:os';
import { Option } from 'commander';
import { integer } from './parse.js';

/** `--threads <n>`, defaulting to the machine's available parallelism. */
export const threadsOption = (): Option =>
  new Option('--threads <n>', 'threads to use').argParser(integer(1, 1024)).default(availableParallelism(), 'the number of CPUs');
