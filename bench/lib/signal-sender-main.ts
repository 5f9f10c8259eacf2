/** The signal sender's process entry (see signal-sender.ts): one plan in over IPC, messages back, exit. */
import { sendPlan, type SendPlan } from './signal-sender.js';

process.once('message', (plan: SendPlan) => {
  sendPlan(plan, (m) => process.send!(m)).then(
    () => process.disconnect(),
    (e: unknown) => {
      process.stderr.write(`signal-sender: ${e instanceof Error ? e.message : String(e)}\n`);
      process.exit(1);
    },
  );
});
