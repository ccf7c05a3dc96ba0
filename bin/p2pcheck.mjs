#!/usr/bin/env node
// `p2pcheck` command (package.json "bin"): runs the TypeScript entry cli/main.ts through tsx's loader, so no build
// step is needed. tsx is a runtime dependency.
import { register } from 'tsx/esm/api';

register();
await import('../cli/main.ts');
