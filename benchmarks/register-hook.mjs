import { register } from 'node:module';
register('./esm-hook.mjs', import.meta.url);
