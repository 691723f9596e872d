#!/usr/bin/env node
// Entry point: makes sure src/generated matches spec/, then runs the CLI from
// TypeScript source (tsx compiles on the fly; the hot loop runs at full V8 speed).
import { register } from 'tsx/esm/api';

register();
const { ensureGenerated } = await import('../src/gen/ensure.ts');
if (!ensureGenerated()) process.exit(1);
const { main } = await import('../src/cli.ts');
process.exitCode = await main(process.argv.slice(2));
