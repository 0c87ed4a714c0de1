/**
 * Where the process's own cgroups are, from /proc/self/cgroup and
 * /proc/self/mountinfo. Pure: both files are passed in as text.
 */

export interface ProcCgroupEntry {
  hierarchyId: number;
  /** v1 controllers of the hierarchy (`["cpu"]`, `["cpu", "cpuacct"]`); empty for the v2 entry. */
  controllers: string[];
  path: string;
}

export interface CgroupMount {
  fsType: "cgroup" | "cgroup2";
  mountPoint: string;
  /** The cgroup shown at the mount point (not "/" inside some containers). */
  root: string;
  /** For v1 mounts, the controllers it carries (from the super options). */
  controllers: string[];
}

export function parseProcSelfCgroup(text: string): ProcCgroupEntry[] {
  const entries: ProcCgroupEntry[] = [];
  for (const line of text.split("\n")) {
    const match = /^(\d+):([^:]*):(.*)$/.exec(line.trim());
    if (!match) continue;
    const [, id, controllers, path] = match;
    entries.push({
      hierarchyId: Number(id),
      controllers: controllers ? controllers.split(",").filter((c) => c !== "") : [],
      path: path ?? "/",
    });
  }
  return entries;
}

const unescapeMountField = (field: string): string =>
  field.replace(/\\([0-7]{3})/g, (_, octal: string) =>
    String.fromCharCode(Number.parseInt(octal, 8)),
  );

export function parseCgroupMounts(mountInfo: string): CgroupMount[] {
  const mounts: CgroupMount[] = [];
  for (const line of mountInfo.split("\n")) {
    const separator = line.indexOf(" - ");
    if (separator < 0) continue;
    const before = line.slice(0, separator).split(" ");
    const after = line.slice(separator + 3).split(" ");
    const fsType = after[0];
    if (fsType !== "cgroup" && fsType !== "cgroup2") continue;
    const root = before[3];
    const mountPoint = before[4];
    if (root === undefined || mountPoint === undefined) continue;
    const superOptions = (after[2] ?? "").split(",");
    mounts.push({
      fsType,
      mountPoint: unescapeMountField(mountPoint),
      root: unescapeMountField(root),
      controllers: fsType === "cgroup" ? superOptions.filter((o) => !o.includes("=")) : [],
    });
  }
  return mounts;
}

function directoryOf(path: string, mount: CgroupMount): string | undefined {
  const root = mount.root === "/" ? "" : mount.root;
  if (root !== "" && path !== root && !path.startsWith(`${root}/`)) return undefined;
  const relative = path.slice(root.length);
  return `${mount.mountPoint}${relative === "/" ? "" : relative}`;
}

/** The directory of the process's own cgroup in the v1 hierarchy carrying `controller`. */
export function ownCgroupV1Directory(
  controller: string,
  procSelfCgroup: string,
  mountInfo: string,
): string | undefined {
  const entry = parseProcSelfCgroup(procSelfCgroup).find((e) => e.controllers.includes(controller));
  if (!entry) return undefined;
  const mounts = parseCgroupMounts(mountInfo).filter(
    (m) => m.fsType === "cgroup" && m.controllers.includes(controller),
  );
  for (const mount of mounts) {
    const dir = directoryOf(entry.path, mount);
    if (dir !== undefined) return dir;
  }
  return undefined;
}

/** The directory of the process's own cgroup in the v2 (unified) hierarchy. */
export function ownCgroupV2Directory(
  procSelfCgroup: string,
  mountInfo: string,
): string | undefined {
  const entry = parseProcSelfCgroup(procSelfCgroup).find(
    (e) => e.hierarchyId === 0 && e.controllers.length === 0,
  );
  if (!entry) return undefined;
  for (const mount of parseCgroupMounts(mountInfo).filter((m) => m.fsType === "cgroup2")) {
    const dir = directoryOf(entry.path, mount);
    if (dir !== undefined) return dir;
  }
  return undefined;
}
