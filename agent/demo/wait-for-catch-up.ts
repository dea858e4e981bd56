// Before the demo stops the agent, the receiver must have read every line the simulator wrote:
// shutdown stops reading at once (as SIGTERM must), so lines still on disk would look "lost".
import type { Agent } from '../agent.ts';

/** Waits until the receivers accepted `lines` records, or until they make no progress for `stallMs`. */
export async function waitForCatchUp(agent: Agent, lines: number, stallMs = 5000): Promise<void> {
  let last = -1;
  let lastChange = Date.now();
  for (;;) {
    const accepted = await agent.metrics.value('meshtail_receiver_accepted_records_total');
    if (accepted >= lines) return;
    if (accepted !== last) {
      last = accepted;
      lastChange = Date.now();
    } else if (Date.now() - lastChange > stallMs) return;
    await new Promise((r) => setTimeout(r, 50));
  }
}
