// All schedules: the ones from configuration (read-only) and the ones people created in chat (in the
// store, so every replica sees them and they survive restarts).
import { keys } from "../store/keys.ts";
import type { Store } from "../store/store.ts";
import type { Schedule } from "./schedule.ts";

export class ScheduleBook {
  private readonly store: Store;
  private readonly fromConfig: readonly Schedule[];

  constructor(store: Store, fromConfig: readonly Schedule[]) {
    this.store = store;
    this.fromConfig = fromConfig;
  }

  async all(): Promise<Schedule[]> {
    const chat: Schedule[] = [];
    for (const key of await this.store.keys(keys.schedulePrefix)) {
      const raw = await this.store.get(key);
      if (raw) chat.push(JSON.parse(raw) as Schedule);
    }
    return [...this.fromConfig, ...chat];
  }

  async find(name: string): Promise<Schedule | undefined> {
    return (await this.all()).find((s) => s.name.toLowerCase() === name.toLowerCase());
  }

  async save(s: Schedule): Promise<void> {
    await this.store.put(keys.schedule(s.name), JSON.stringify(s));
  }

  async remove(name: string): Promise<void> {
    await this.store.delete(keys.schedule(name));
  }
}
