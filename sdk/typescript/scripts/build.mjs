// Builds both halves of the dual package: dist/esm (ES modules) and dist/cjs (CommonJS), each with its
// own .d.ts files. Run by `npm run build`, and by `npm pack` / `npm publish` through "prepack", so a
// tarball packed from a fresh clone always carries the built code.
import { execFileSync } from "node:child_process";
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const sdk = join(dirname(fileURLToPath(import.meta.url)), "..");
rmSync(join(sdk, "dist"), { recursive: true, force: true });
for (const config of ["tsconfig.build.json", "tsconfig.build-cjs.json"]) {
  // `tsc` from this package's or any enclosing node_modules/.bin (npm puts them on PATH).
  execFileSync("tsc", ["-p", join(sdk, config)], { stdio: "inherit", cwd: sdk, shell: process.platform === "win32" });
}
mkdirSync(join(sdk, "dist/cjs"), { recursive: true });
writeFileSync(join(sdk, "dist/cjs/package.json"), JSON.stringify({ type: "commonjs" }) + "\n");
