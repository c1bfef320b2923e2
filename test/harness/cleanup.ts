// Preloaded by bun test (bunfig.toml): after the last test, the temporary dirs go.
import { afterAll } from "bun:test";
import { removeTempDirs } from "./temp-dir.ts";

afterAll(removeTempDirs);
