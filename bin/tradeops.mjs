#!/usr/bin/env node
// `npx tradeops …` entry: runs the TypeScript CLI through tsx, so no build step is needed.
import { register } from 'tsx/esm/api';

register();
await import('./tradeops.ts');
