import type { zhCN } from './zh-CN';

// The keys of the Chinese catalogue. `en` is typed `Catalogue`, so `tsc --noEmit` fails when en.ts
// misses a key of zh-CN.ts (missing property) or has one zh-CN.ts lacks (excess property).
export type MessageKey = keyof typeof zhCN;
export type Catalogue = { readonly [K in MessageKey]: string };
