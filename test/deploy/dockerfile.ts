/** A small reader of our Dockerfile: stages and their instructions, continuations joined. */
export type Instruction = { op: string; args: string };
export type Stage = { from: string; name: string | null; steps: Instruction[] };

export function parseDockerfile(text: string): Stage[] {
  const lines = text.replace(/\\\n/g, " ").split("\n");
  const stages: Stage[] = [];
  for (const raw of lines) {
    const line = raw.trim();
    if (!line || line.startsWith("#")) continue;
    const [op, ...rest] = line.split(/\s+/);
    const args = rest.join(" ");
    if (op!.toUpperCase() === "FROM") {
      const match = /^(\S+)(?:\s+AS\s+(\S+))?$/i.exec(args)!;
      stages.push({ from: match[1]!, name: match[2] ?? null, steps: [] });
    } else {
      stages.at(-1)!.steps.push({ op: op!.toUpperCase(), args });
    }
  }
  return stages;
}

/** ENV k=v k2=v2 (our Dockerfile's only form). */
export function envPairs(args: string): [string, string][] {
  return args.split(/\s+/).filter(Boolean).map((pair) => {
    const at = pair.indexOf("=");
    return [pair.slice(0, at), pair.slice(at + 1)];
  });
}

/** The JSON (exec) form of CMD, or of HEALTHCHECK's CMD. */
export function execForm(args: string): string[] {
  const json = args.slice(args.indexOf("["));
  return JSON.parse(json) as string[];
}
