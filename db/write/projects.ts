import { eq } from "drizzle-orm";
import type { Db } from "../connect/open.ts";
import { experiments, projects } from "../schema.ts";

export type ProjectIds = { projectId: string; experimentId: string };

/**
 * Finds or creates a project and its one experiment. Safe under any number of
 * concurrent callers and replicas: both inserts are ON CONFLICT DO NOTHING on
 * unique keys, and the ids are read back after.
 */
export async function ensureProject(db: Db, name: string): Promise<ProjectIds> {
  await db.insert(projects).values({ id: crypto.randomUUID(), name }).onConflictDoNothing();
  const [project] = await db.select({ id: projects.id }).from(projects).where(eq(projects.name, name));
  if (!project) throw new Error(`project ${name} vanished after insert`);
  await db
    .insert(experiments)
    .values({ id: crypto.randomUUID(), projectId: project.id, name })
    .onConflictDoNothing();
  const [experiment] = await db
    .select({ id: experiments.id })
    .from(experiments)
    .where(eq(experiments.projectId, project.id));
  if (!experiment) throw new Error(`experiment for ${name} vanished after insert`);
  return { projectId: project.id, experimentId: experiment.id };
}

/** Caches project lookups; a project is never renamed or deleted. */
export function projectCache(db: Db) {
  const known = new Map<string, Promise<ProjectIds>>();
  return {
    resolve(name: string): Promise<ProjectIds> {
      let ids = known.get(name);
      if (!ids) {
        ids = ensureProject(db, name);
        known.set(name, ids);
        ids.catch(() => known.delete(name));
      }
      return ids;
    },
    async idOf(name: string): Promise<string | null> {
      const cached = known.get(name);
      if (cached) return (await cached).projectId;
      const [row] = await db.select({ id: projects.id }).from(projects).where(eq(projects.name, name));
      return row?.id ?? null;
    },
  };
}

export type ProjectCache = ReturnType<typeof projectCache>;
