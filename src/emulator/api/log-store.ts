export interface LogEvent {
  /** Increases with every event stored, across groups. */
  seq: number;
  logStreamName: string;
  timestamp: number;
  ingestionTime: number;
  message: string;
}

export interface LogStreamInfo {
  logStreamName: string;
  creationTime: number;
  firstEventTimestamp: number;
  lastEventTimestamp: number;
  lastIngestionTime: number;
  events: number;
  storedBytes: number;
}

export interface LogGroup {
  name: string;
  creationTime: number;
  /** Oldest first; trimmed from the front to the store's bound. */
  events: LogEvent[];
  streams: Map<string, LogStreamInfo>;
}

/**
 * CloudWatch Logs in memory: log groups of streams of events, keeping only
 * the newest `maxEventsPerGroup` events of each group so a long-running
 * emulator stays bounded.
 */
export class LogStore {
  private readonly groups = new Map<string, LogGroup>();
  private seq = 0;

  constructor(
    private readonly now: () => number,
    private readonly maxEventsPerGroup = 10_000,
  ) {}

  group(name: string): LogGroup | undefined {
    return this.groups.get(name);
  }

  allGroups(): LogGroup[] {
    return [...this.groups.values()].sort((a, b) => (a.name < b.name ? -1 : 1));
  }

  /** One invocation's log, as Lambda sends it: one event per line, each ending in a newline. */
  appendLog(groupName: string, logStreamName: string, log: string): void {
    const lines = log.split("\n");
    if (lines.at(-1) === "") lines.pop();
    const now = this.now();
    for (const line of lines) this.append(groupName, logStreamName, `${line}\n`, now);
  }

  append(groupName: string, logStreamName: string, message: string, timestamp: number): void {
    const now = this.now();
    let group = this.groups.get(groupName);
    if (group === undefined) {
      group = { name: groupName, creationTime: now, events: [], streams: new Map() };
      this.groups.set(groupName, group);
    }
    let stream = group.streams.get(logStreamName);
    if (stream === undefined) {
      stream = {
        logStreamName,
        creationTime: now,
        firstEventTimestamp: timestamp,
        lastEventTimestamp: timestamp,
        lastIngestionTime: now,
        events: 0,
        storedBytes: 0,
      };
      group.streams.set(logStreamName, stream);
    }
    stream.events += 1;
    stream.storedBytes += Buffer.byteLength(message);
    stream.lastEventTimestamp = Math.max(stream.lastEventTimestamp, timestamp);
    stream.lastIngestionTime = now;
    this.seq += 1;
    group.events.push({ seq: this.seq, logStreamName, timestamp, ingestionTime: now, message });
    // Trim in batches so a full group costs one splice per tenth of its bound.
    if (group.events.length > this.maxEventsPerGroup * 1.1) this.trim(group);
  }

  private trim(group: LogGroup): void {
    const dropped = group.events.splice(0, group.events.length - this.maxEventsPerGroup);
    for (const event of dropped) {
      const stream = group.streams.get(event.logStreamName);
      if (stream === undefined) continue;
      stream.events -= 1;
      stream.storedBytes -= Buffer.byteLength(event.message);
      if (stream.events === 0) group.streams.delete(event.logStreamName);
    }
    const seen = new Set<string>();
    for (const event of group.events) {
      if (seen.size === group.streams.size) break;
      if (seen.has(event.logStreamName)) continue;
      seen.add(event.logStreamName);
      const stream = group.streams.get(event.logStreamName);
      if (stream !== undefined) stream.firstEventTimestamp = event.timestamp;
    }
  }
}
