import { copyFileSync, mkdirSync } from "node:fs";
import { fileURLToPath } from "node:url";
import type { Page } from "playwright-core";
import { startKalmia, type RunningKalmia } from "../../test/harness/start-kalmia.ts";
import { launchBrowser, type BrowserOptions } from "./browser.ts";
import { ensureDashboardBuilt } from "./build-dashboard.ts";

const root = fileURLToPath(new URL("../..", import.meta.url));

export type DashboardSession = {
  kalmia: RunningKalmia;
  page: Page;
  /** Page errors seen so far (uncaught exceptions in the dashboard). */
  pageErrors: string[];
  /** Saves a screenshot to test-artifacts/, and to docs/screenshots/ when `forReadme`. */
  screenshot(name: string, forReadme?: boolean): Promise<void>;
  close(): Promise<void>;
};

/** A real Kalmia process serving the freshly built dashboard, and a Chromium page on it. */
export async function openDashboardSession(env: Record<string, string> = {}, browserOptions: BrowserOptions = {}): Promise<DashboardSession> {
  await ensureDashboardBuilt();
  const kalmia = await startKalmia(env);
  const browser = await launchBrowser(browserOptions);
  const page = await browser.context.newPage();
  const pageErrors: string[] = [];
  page.on("pageerror", (error) => pageErrors.push(error.message));
  return {
    kalmia,
    page,
    pageErrors,
    async screenshot(name, forReadme = false) {
      mkdirSync(`${root}test-artifacts`, { recursive: true });
      const path = `${root}test-artifacts/${name}.png`;
      await page.screenshot({ path });
      if (forReadme) {
        mkdirSync(`${root}docs/screenshots`, { recursive: true });
        copyFileSync(path, `${root}docs/screenshots/${name}.png`);
      }
    },
    async close() {
      await browser.close();
      await kalmia.stop();
    },
  };
}
