/**
 * Run as a child by the throttle tests: throttles a busy grandchild hard,
 * prints its pid, and waits to be SIGKILLed, so the test can check the
 * grandchild is not left stopped when its owner dies without cleaning up.
 */
import { spawn } from "node:child_process";
import { UserSpaceThrottle } from "../../../src/emulator/limits/user-space-throttle.js";

const backend = new UserSpaceThrottle({ hostCores: 2 });
const group = await backend.createGroup("orphan", {
  memoryMb: 128,
  cpuCores: 0.05,
  periodMs: 20,
  tickMs: 4,
});
const child = spawn(process.execPath, ["-e", "for (;;) {}"], { detached: true, stdio: "ignore" });
if (child.pid === undefined) throw new Error("spawn failed");
group.attach(child.pid);
process.stdout.write(`${child.pid}\n`);
setInterval(() => {}, 1000);
