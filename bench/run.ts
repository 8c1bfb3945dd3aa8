// Runs every bench/*.bench.ts suite in turn (each prints its own results).
import { readdirSync } from "node:fs";

const dir = new URL(".", import.meta.url);
const only = (globalThis as { process?: { argv: string[] } }).process?.argv[2];
for (const f of readdirSync(dir).filter((n) => n.endsWith(".bench.ts")).sort()) {
  if (only && !f.includes(only)) continue;
  console.log(`\n# ${f}`);
  const mod = await import(new URL(f, dir).href);
  await mod.run();
}
