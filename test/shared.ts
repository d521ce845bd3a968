// Where ../shared sits: beside the checkout (the conformance corpus, the eBPF vectors).

import { resolve } from 'node:path';

export const SHARED = resolve(__dirname, '..', '..', 'shared');
