// The registry here serves only some platform builds of native packages (swc, deno, msgpackr),
// so `npm install` leaves the other platforms' optional packages out of package-lock.json and
// `npm ci` then refuses the lock. This adds those entries with their os/cpu, so npm ci sees a
// complete lock and skips them as platform-incompatible, as it would anywhere else.
// Run after changing dependencies: node scripts/complete-lock.mjs
import { readFileSync, writeFileSync } from "node:fs";

const lock = JSON.parse(readFileSync("package-lock.json", "utf8"));
const pkgs = lock.packages;
const OS = { darwin: "darwin", linux: "linux", win32: "win32", freebsd: "freebsd", android: "android" };
const CPU = ["arm64", "x64", "ia32", "arm", "ppc64", "s390x", "riscv64", "loong64"];

function platformOf(name) {
  const parts = name.split("/").pop().split("-");
  const os = parts.find((p) => p in OS);
  const cpu = parts.find((p) => CPU.includes(p));
  return os && cpu ? { os: [os], cpu: [cpu] } : null;
}

let added = 0;
for (const [path, meta] of Object.entries(pkgs)) {
  if (!path.startsWith("node_modules/")) continue;
  for (const [dep, version] of Object.entries(meta.optionalDependencies ?? {})) {
    const key = `node_modules/${dep}`;
    if (pkgs[key]) continue;
    const plat = platformOf(dep);
    if (!plat) continue;
    pkgs[key] = { version, ...(meta.dev ? { dev: true } : {}), optional: true, ...plat };
    added++;
  }
}
const sorted = Object.fromEntries(Object.entries(pkgs).sort(([a], [b]) => (a === "" ? -1 : b === "" ? 1 : a.localeCompare(b))));
lock.packages = sorted;
writeFileSync("package-lock.json", JSON.stringify(lock, null, 2) + "\n");
console.log(`complete-lock: added ${added} platform-specific optional entries`);
